import type { ArtifactMeta, ArtifactStore } from './artifact-store';

/** Text that fits its limit, and the artifact holding the whole of it when it did not. */
export interface Spilled {
  text: string;
  artifact?: { id: string; bytes: number };
}

/** `text` cut to `max` characters with a pointer to the whole; the pointer says how to find it again. */
export function truncateWithPointer(text: string, max: number, artifact: { id: string; bytes: number }): string {
  const note = ` … [truncated: ${text.length} chars in full as artifact ${artifact.id} (${artifact.bytes} bytes)]`;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}

/** `text` as is when it fits in `max` characters; otherwise stored whole in `store` and returned cut, naming the artifact. */
export async function spillLongText(store: ArtifactStore, text: string, max: number, meta: ArtifactMeta): Promise<Spilled> {
  if (text.length <= max) return { text };
  const artifact = await store.put(text, meta);
  return { text: truncateWithPointer(text, max, artifact), artifact };
}

import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { projectDir } from '../agents/workspace';
import type { ArchiveBatch } from '../shared/archive';
import type { ActivityKit } from '.';

/** `archiveTasks`: appends finished tasks, their agents, finished objectives and answered decisions to `<dataDir>/<project>/archive.jsonl`, one JSON line each. */
export function makeArchiveTasks(kit: ActivityKit) {
  return async function archiveTasks(batch: ArchiveBatch): Promise<{ path: string; lines: number }> {
    const dir = projectDir(kit.dataDir, batch.project);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'archive.jsonl');
    const lines = [
      ...batch.tasks.map((task) => ({ task })),
      ...batch.agents.map((agent) => ({ agent })),
      ...(batch.objectives ?? []).map((objective) => ({ objective })),
      ...(batch.decisions ?? []).map((decision) => ({ decision })),
    ].map((l) => JSON.stringify(l));
    // Append is idempotent enough for a retry: a duplicated line repeats an id, which readers keep once.
    await appendFile(file, lines.join('\n') + '\n', 'utf8');
    return { path: file, lines: lines.length };
  };
}

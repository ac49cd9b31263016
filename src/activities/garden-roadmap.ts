import { readFile } from 'node:fs/promises';
import { appendDevLog, editRoadmap, planGarden, type GardenChange } from '../roadmap';
import type { GardenRoadmapInput, GardenRoadmapResult } from '../shared/activity-types';
import type { DevLogEntry, StreamSummary } from '../shared/roadmap-types';
import { writeFileAtomic } from './files';
import { loadRoadmaps, type LoadedRoadmap } from './roadmaps';

/**
 * `gardenRoadmap`: the roadmap health check and gardening of seed 003, across every target at once (dependencies
 * cross targets). Changed roadmaps and dev logs are written atomically; a malformed roadmap is never written, its
 * issues (file:line) are reported in the result.
 */
export function makeGardenRoadmap() {
  return async function gardenRoadmap(input: GardenRoadmapInput): Promise<GardenRoadmapResult> {
    const loaded = await loadRoadmaps(input.targets);
    const plan = planGarden(
      loaded.map((r) => ({ target: r.target, file: r.file, streams: r.parsed.streams, issues: r.parsed.issues })),
      input.updates,
      input.held,
    );
    for (const roadmap of loaded) {
      const edits = plan.changes.filter((c) => c.target === roadmap.target);
      if (!edits.length || roadmap.text === undefined) continue;
      const next = editRoadmap(roadmap.text, roadmap.parsed, edits);
      if (next !== roadmap.text) await writeFileAtomic(roadmap.file, next);
    }
    let devLogWritten = 0;
    for (const target of input.targets) {
      const entries = input.devLog.filter((e) => e.target === target.name);
      if (entries.length) devLogWritten += await appendEntries(target.devLog, entries);
    }
    return { targets: plan.health, open: openStreams(loaded, plan.changes), devLogWritten };
  };
}

async function appendEntries(file: string, entries: DevLogEntry[]): Promise<number> {
  const existing = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const { text, written } = appendDevLog(existing, entries);
  if (written) await writeFileAtomic(file, text);
  return written;
}

function openStreams(loaded: LoadedRoadmap[], changes: GardenChange[]): StreamSummary[] {
  const changed = new Map(changes.map((c) => [c.ref, c.status]));
  return loaded
    .flatMap((r) => r.parsed.streams)
    .map((s) => ({ ref: s.ref, title: s.title, ...(s.effort ? { effort: s.effort } : {}), status: changed.get(s.ref) ?? s.status }))
    .filter((s) => s.status !== 'complete');
}

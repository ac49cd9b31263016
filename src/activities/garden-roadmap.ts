import { readFile } from 'node:fs/promises';
import { commitRoadmapFiles } from '../git/record';
import { appendDevLog, editRoadmap, planGarden, type GardenChange } from '../roadmap';
import type { GardenRoadmapInput, GardenRoadmapResult } from '../shared/activity-types';
import type { DevLogEntry, StreamSummary } from '../roadmap/stream-types';
import { writeFileAtomic } from '../node/files';
import { loadRoadmaps, type LoadedRoadmap } from '../roadmap/load';

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
      // Seed 003's roadmaps date a completed stream's `Completed:` line (the activity may read the clock; the edit is pure).
      const next = editRoadmap(roadmap.text, roadmap.parsed, edits, { today: new Date().toISOString().slice(0, 10) });
      if (next !== roadmap.text) await writeFileAtomic(roadmap.file, next);
    }
    let devLogWritten = 0;
    for (const target of input.targets) {
      const entries = input.devLog.filter((e) => e.target === target.name);
      if (entries.length) devLogWritten += await appendEntries(target.devLog, entries);
    }
    // Where agents' work lands in git, Baton's roadmap and dev-log edits are committed on the integration branch too.
    for (const target of input.targets) {
      const changes = plan.changes.filter((c) => c.target === target.name).map((c) => `${c.ref} ${c.status}`);
      const logged = input.devLog.filter((e) => e.target === target.name).map((e) => e.ref ?? e.taskId);
      const subject = [changes.length ? `roadmap: ${changes.join(', ')}` : '', logged.length ? `dev log: ${logged.join(', ')}` : ''].filter(Boolean).join('; ');
      await commitRoadmapFiles(target, `Baton ${subject || 'roadmap and dev log'}`.slice(0, 200));
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

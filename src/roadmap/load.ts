import { readFile } from 'node:fs/promises';
import { emptySpelling, parseRoadmap, type ParsedRoadmap } from '.';
import type { RoadmapIssue } from './stream-types';
import type { Target } from '../shared/targets';

/** One target's roadmap as read from disk: its text and parse, or the issue that stopped it being read. */
export interface LoadedRoadmap {
  target: string;
  file: string;
  text?: string;
  parsed: ParsedRoadmap;
  /** The file does not exist yet: health reports it, but planning treats the target as having no streams. */
  missing?: true;
}

/** Read and parse every target's roadmap; a missing or unreadable file is an issue (file:1), not a throw. */
export async function loadRoadmaps(targets: Target[]): Promise<LoadedRoadmap[]> {
  return Promise.all(
    targets.map(async (t): Promise<LoadedRoadmap> => {
      try {
        const text = await readFile(t.roadmap, 'utf8');
        return { target: t.name, file: t.roadmap, text, parsed: parseRoadmap(text, { file: t.roadmap, target: t.name }) };
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'roadmap file not found' : `roadmap file cannot be read: ${(err as Error).message}`;
        const issue: RoadmapIssue = { file: t.roadmap, line: 1, message: why };
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT' ? { missing: true as const } : {};
        return { target: t.name, file: t.roadmap, parsed: { format: 'baton', spelling: emptySpelling(), streams: [], issues: [issue], fields: [] }, ...missing };
      }
    }),
  );
}

/** Issues as people read them: `plans/roadmap.md:12: duplicate id 1.2`. */
export function formatIssues(issues: RoadmapIssue[]): string[] {
  return issues.map((i) => `${i.file}:${i.line}: ${i.message}`);
}

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { loadRoadmaps } from '../../src/roadmap/load';
import type { PlanObjectiveInput } from '../../src/shared/activity-types';
import type { Target } from '../../src/shared/targets';
import { runActivity } from '../support/fake-anthropic/harness';

// A roadmap that holds no stream yet is reported by the health check with file:line, never silently; like a missing
// one it does not stop a free-form goal. A heading that looks like a stream but cannot be read does stop it.

const root = mkdtempSync(path.join(tmpdir(), 'baton-empty-roadmap-'));
const acts = createActivities({ dataDir: path.join(root, 'data') });
const env = () => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });

function target(name: string, roadmap: string): Target {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'plans'), { recursive: true });
  const file = path.join(dir, 'plans', 'roadmap.md');
  writeFileSync(file, roadmap);
  return { name, path: dir, roadmap: file, devLog: path.join(dir, 'plans', 'dev-log.md'), gates: [] };
}

const plan = (description: string, targets: Target[]) =>
  runActivity(env(), acts.planObjective, { runtime: 'scripted', project: 'demo', objective: { id: 'OBJ_001', description }, context: { completedTasks: [], insights: [] }, targets } satisfies PlanObjectiveInput);

test('an empty seed 003 roadmap is an issue at file:1 in the health check, yet a free-form goal is planned freely', async () => {
  const empty = target('aurora', '# Aurora Roadmap\n\n## Batch 1\n\nNothing planned yet.\n');
  const [loaded] = await loadRoadmaps([empty]);
  expect(loaded!.parsed).toMatchObject({ empty: true, streams: [], issues: [{ file: empty.roadmap, line: 1, message: expect.stringContaining('no work streams found') }] });
  const gardened = await runActivity(env(), acts.gardenRoadmap, { project: 'demo', targets: [empty], updates: [], held: [], devLog: [] });
  expect(gardened.targets[0]!.issues).toEqual([{ file: empty.roadmap, line: 1, message: expect.stringContaining('no work streams found') }]);
  const free = await plan('Add a contact page', [empty]);
  expect(free.tasks.length).toBeGreaterThan(0);
  expect(free.tasks.every((t) => t.stream === undefined)).toBe(true);
});

test('a heading that looks like a stream but is not read as one stops the goal, with its file:line', async () => {
  const odd = target('odd', '## Batch 1\n\n### Phase One: Parser\n- **Status:** 🟢 Ready\n');
  const err = await plan('Build the parser', [odd]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as ApplicationFailure).type).toBe('Roadmap.Malformed');
  expect((err as ApplicationFailure).message).toContain(`${odd.roadmap}:3: heading "Phase One: Parser" looks like a work stream`);
});

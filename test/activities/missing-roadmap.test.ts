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

// README: "A missing roadmap file is not an error." A free-form goal against a target whose roadmap does not
// exist yet is planned freely, while health still reports the missing file and a present but broken roadmap
// still stops the goal that needs it.

const root = mkdtempSync(path.join(tmpdir(), 'baton-missing-roadmap-'));
const acts = createActivities({ dataDir: path.join(root, 'data') });
const env = () => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });

function target(name: string, roadmap?: string): Target {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'plans'), { recursive: true });
  const file = path.join(dir, 'plans', 'roadmap.md');
  if (roadmap !== undefined) writeFileSync(file, roadmap);
  return { name, path: dir, roadmap: file, devLog: path.join(dir, 'plans', 'dev-log.md'), gates: [] };
}

const input = (description: string, targets: Target[]): PlanObjectiveInput => ({
  runtime: 'scripted',
  project: 'demo',
  objective: { id: 'OBJ_001', description },
  context: { completedTasks: [], insights: [] },
  targets,
});

const plan = (description: string, targets: Target[]) => runActivity(env(), acts.planObjective, input(description, targets));

const SITE = `# Site

### 1.1 Menu page
- **Effort:** S
- **Status:** available

Write the menu page.
`;

test('a free-form goal against a target whose roadmap file is missing is planned freely, as with no targets', async () => {
  const free = await plan('Add a contact page', []);
  const missing = await plan('Add a contact page', [target('fresh')]);
  expect(free.tasks.length).toBeGreaterThan(0);
  expect(missing.tasks.map((t) => [t.key, t.role, t.mission])).toEqual(free.tasks.map((t) => [t.key, t.role, t.mission]));
  expect(missing.tasks.every((t) => t.stream === undefined)).toBe(true);
});

test('a missing roadmap beside a real one: a goal matching the real roadmap still plans its stream', async () => {
  const result = await plan('Build the menu page', [target('empty'), target('site', SITE)]);
  expect(result.tasks.map((t) => t.stream)).toEqual(['site:1.1']);
});

test('health still reports the missing file at file:1', async () => {
  const t = target('later');
  const [loaded] = await loadRoadmaps([t]);
  expect(loaded).toMatchObject({ target: 'later', missing: true, parsed: { streams: [], issues: [{ file: t.roadmap, line: 1, message: 'roadmap file not found' }] } });
});

test('a roadmap that exists but is malformed still fails the goal with its file:line', async () => {
  const broken = target('broken', '# Broken\n\n### 1.1 One\n- **Status:** available\n\n### 1.1 Again\n- **Status:** available\n');
  const err = await plan('Add a contact page', [broken]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as ApplicationFailure).type).toBe('Roadmap.Malformed');
  expect((err as ApplicationFailure).message).toContain(`${broken.roadmap}:`);
});

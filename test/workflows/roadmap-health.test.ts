import * as fs from 'node:fs';
import { fieldsOf, gitTarget, read, taskFor, tempDir, waitForFile, waitForState } from '../support/git-targets';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

let env: WorkflowEnv;
let scenario: string;
beforeAll(async () => {
  env = await workflowEnv();
  scenario = writeScenario(env.dataDir, 'name: health\ndefaults: { delayMs: 100 }\n');
  await env.startWorkers();
});
afterAll(async () => env?.close());

const reposDir = (name: string) => tempDir(env.dataDir, name);

const MENU = `# Site

### 1.1 Menu data
- **Status:** available

### 1.2 Menu page
- **Status:** blocked — waiting on 1.1
- **Depends on:** 1.1

### 1.3 Contact page
- **Status:** available
`;

test('a goal that would spawn more agents than confirmAbove waits for a person to proceed', async () => {
  const project = uniqueProject('confirm');
  const site = gitTarget(reposDir('confirm'), 'site', MENU);
  await env.baton.start(project, { config: { scenario, targets: [site], confirmAbove: 1 } });
  const objective = await env.baton.addObjective(project, 'Build the menu');

  const asking = await waitForStatus(env.baton, project, (s) => s.pendingDecisions.length === 1 && s.phase === 'idle');
  const decision = asking.pendingDecisions[0]!;
  expect(decision).toMatchObject({ kind: 'confirm', objectiveId: objective.id });
  expect(decision.question).toContain('site:1.1, site:1.2');
  expect(asking.objectives[0]!.status).toBe('confirming');
  // Nothing spawns while the question is open.
  await new Promise((r) => setTimeout(r, 1500));
  const still = await env.baton.status(project);
  expect(still.metrics.total_agents_spawned).toBe(0);
  expect(still.tasks.map((t) => t.status)).toEqual(['pending', 'pending']);

  await env.baton.decide(project, { decisionId: decision.id, choice: 'proceed' });
  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives[0]!.status === 'completed');
  expect(done.tasks.map((t) => [t.stream, t.status])).toEqual([
    ['site:1.1', 'completed'],
    ['site:1.2', 'completed'],
  ]);
  expect(done.metrics.total_agents_spawned).toBe(2);
  expect(fieldsOf(read(site.roadmap), '1.3').status).toBe('available');
});

const DUPLICATE = `# Kitchen

### 1.1 Ovens
- **Status:** available

### 1.1 Fridges
- **Status:** available
`;

test('a malformed roadmap fails the objective that needs it, naming file:line; other work goes on', async () => {
  const project = uniqueProject('malformed');
  const root = reposDir('malformed');
  const site = gitTarget(root, 'site', MENU);
  const kitchen = gitTarget(root, 'kitchen', DUPLICATE);
  await env.baton.start(project, { config: { scenario, targets: [site, kitchen] } });

  const bad = await env.baton.runStreams(project, ['kitchen:1.1']);
  const failed = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(failed.objectives[0]).toMatchObject({ id: bad.id, status: 'failed' });
  expect(failed.objectives[0]!.error).toContain(`${kitchen.roadmap}:3: duplicate stream id 1.1 (lines 3 and 6)`);
  expect(failed.tasks).toHaveLength(0);
  const health = (await env.baton.status(project)).roadmap!.targets.find((t) => t.target === 'kitchen')!;
  expect(health.issues.map((i) => i.line)).toEqual([3, 6]);

  const good = await env.baton.runStreams(project, ['site:1.1']);
  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 2);
  expect(done.objectives[1]).toMatchObject({ id: good.id, status: 'completed' });
  expect(taskFor(done, 'site:1.1').status).toBe('completed');
  expect(fieldsOf(await waitForFile(site.roadmap, (t) => fieldsOf(t, '1.1').status === 'complete'), '1.1').status).toBe('complete');
  // A roadmap with problems is reported, never written.
  expect(read(kitchen.roadmap)).toBe(DUPLICATE);
});

test('gardening while idle picks up a roadmap edited by hand', async () => {
  const project = uniqueProject('garden');
  const site = gitTarget(reposDir('garden'), 'site', MENU);
  await env.baton.start(project, { config: { scenario, targets: [site], gardenEverySeconds: 2 } });
  const before = await waitForStatus(env.baton, project, (s) => s.phase === 'idle' && !!s.roadmap);
  expect(before.roadmap!.open.find((s) => s.ref === 'site:1.2')?.status).toBe('blocked');

  fs.writeFileSync(site.roadmap, MENU.replace('- **Status:** available', '- **Status:** complete'));
  const text = await waitForFile(site.roadmap, (t) => fieldsOf(t, '1.2').status === 'available', 8000);
  expect(fieldsOf(text, '1.2').status).toBe('available');
  expect(fieldsOf(text, '1.1').status).toBe('complete');
  const after = await waitForStatus(env.baton, project, (s) => s.roadmap!.open.some((o) => o.ref === 'site:1.2' && o.status === 'available'), 8000);
  expect(after.roadmap!.open.map((o) => o.ref)).toEqual(['site:1.2', 'site:1.3']);
  expect(after.roadmap!.targets[0]!.available).toEqual(['site:1.2', 'site:1.3']);
  // No objective asked for any of this.
  expect(after.objectives).toEqual([]);
  expect(after.tasks).toEqual([]);
  expect(after.phase).toBe('idle');
});

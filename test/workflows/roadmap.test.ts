import { agentsOn, fieldsOf, gitTarget, maxConcurrent, read, taskFor, tempDir, waitForFile, waitForState, withoutStatusAndOwner } from '../support/git-targets';
import { settled, uniqueProject, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => env?.close());

const reposDir = (name: string) => tempDir(env.dataDir, name);

const SITE = `# Crumb & Co. website

A small static site. Everything here but Status and Owner lines is a person's to keep.

## Phase 1 — Basics

### 1.1 Menu data
- **Effort:** S
- **Status:** available

Write \`menu.json\` with today's bakes.

- [ ] menu.json lists every bake

### 1.2 Order form
- **Effort:** M
- **Status:** blocked — waiting on api:1.1
- **Depends on:** 1.1, api:1.1

An order form that posts to the orders API.

## Later

Free text at the end stays exactly as written.
`;

const API = `# Orders API

### 1.1 Orders endpoint
- **Effort:** M
- **Status:** blocked — waiting on site:1.1
- **Depends on:** site:1.1

POST /orders, reading the menu the site publishes.
`;

const CHAIN_SCENARIO = `
name: chain
agents:
  - match: { stream: "site:1.1" }
    files: [{ path: menu.json, content: '{"bakes": ["sourdough", "rye"]}' }]
  - match: { stream: "api:1.1" }
    files: [{ path: orders.js, content: "module.exports = (order) => ({ ...order, ok: true });\\n" }]
  - match: { stream: "site:1.2" }
    files: [{ path: order.html, content: "<form action=/orders></form>\\n" }]
defaults: { delayMs: 150 }
`;

test('streams "all" runs a cross-target chain in dependency order and leaves both roadmaps complete, logged and otherwise untouched', async () => {
  const project = uniqueProject('chain');
  const root = reposDir('chain');
  const site = gitTarget(root, 'site', SITE, { gates: [{ name: 'json', command: `node -e "JSON.parse(require('fs').readFileSync('menu.json','utf8'))"` }] });
  const api = gitTarget(root, 'api', API, { gates: [{ name: 'syntax', command: 'node --check orders.js' }] });
  const scenario = writeScenario(env.dataDir, CHAIN_SCENARIO);
  await env.baton.start(project, { config: { scenario, targets: [site, api], maxAgents: 3 } });
  await env.baton.runStreams(project, 'all');

  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(done.objectives[0]!.status).toBe('completed');
  expect(done.objectives[0]!.interpretation).toMatchObject({ goalType: 'run-all', matchingStreams: ['site:1.1', 'api:1.1', 'site:1.2'] });
  const [menu, orders, form] = ['site:1.1', 'api:1.1', 'site:1.2'].map((ref) => taskFor(done, ref));
  expect([menu, orders, form].map((t) => t!.status)).toEqual(['completed', 'completed', 'completed']);
  expect(orders!.started! >= menu!.completed!).toBe(true);
  expect(form!.started! >= orders!.completed!).toBe(true);
  expect([menu, orders, form].every((t) => t!.verification?.passed)).toBe(true);
  // A dependency's files are read in the same repository only; across targets its summary is what carries over.
  expect(form!.outcome).toContain('Inputs read: menu.json');
  expect(orders!.outcome).not.toContain('Inputs read');

  // Each roadmap ends complete with the agent who did the work; every other byte is as the person wrote it.
  const siteText = await waitForFile(site.roadmap, (t) => fieldsOf(t, '1.2').status === 'complete');
  const apiText = read(api.roadmap);
  const owner = (taskId: string) => agentsOn(done, taskId).at(-1);
  expect(fieldsOf(siteText, '1.1')).toEqual({ status: 'complete', owner: owner(menu!.id) });
  expect(fieldsOf(siteText, '1.2')).toEqual({ status: 'complete', owner: owner(form!.id) });
  expect(fieldsOf(apiText, '1.1')).toEqual({ status: 'complete', owner: owner(orders!.id) });
  expect(withoutStatusAndOwner(siteText)).toBe(withoutStatusAndOwner(SITE));
  expect(withoutStatusAndOwner(apiText)).toBe(withoutStatusAndOwner(API));
  expect(siteText.split('\n').length).toBe(SITE.split('\n').length + 2);

  // One dev-log entry per stream, in the target that holds it.
  const siteLog = await waitForFile(site.devLog, (t) => (t.match(/<!-- baton:/g) ?? []).length >= 2);
  const apiLog = read(api.devLog);
  expect(siteLog.match(/<!-- baton:TASK_\d+ -->/g)).toEqual([`<!-- baton:${menu!.id} -->`, `<!-- baton:${form!.id} -->`]);
  expect(apiLog.match(/<!-- baton:TASK_\d+ -->/g)).toEqual([`<!-- baton:${orders!.id} -->`]);
  expect(siteLog).toMatch(/^## \d{4}-\d\d-\d\d — site:1\.1 Menu data$/m);
  expect(apiLog).toMatch(/^## \d{4}-\d\d-\d\d — api:1\.1 Orders endpoint$/m);
  expect(siteLog).toContain('- **Verification:** verified');
});

const FLAT = `# Work

### 1.1 One
- **Status:** available

### 1.2 Two
- **Status:** blocked — waiting on 1.1
- **Depends on:** 1.1

### 1.3 Three
- **Status:** available

### 1.4 Four
- **Status:** available
`;

test('one named stream runs alone; what it unblocks waits for the next request', async () => {
  const project = uniqueProject('one-stream');
  const work = gitTarget(reposDir('one'), 'work', FLAT, { gates: [{ name: 'repo', command: 'git rev-parse --is-inside-work-tree' }] });
  const scenario = writeScenario(env.dataDir, 'name: one\ndefaults: { delayMs: 100 }\n');
  await env.baton.start(project, { config: { scenario, targets: [work] } });
  await env.baton.runStreams(project, ['work:1.1']);

  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(done.tasks.map((t) => [t.stream, t.status])).toEqual([['work:1.1', 'completed']]);
  expect(done.metrics.total_agents_spawned).toBe(1);
  const text = await waitForFile(work.roadmap, (t) => fieldsOf(t, '1.2').status === 'available');
  expect(fieldsOf(text, '1.1').status).toBe('complete');
  expect(fieldsOf(text, '1.3').status).toBe('available');
});

test('parallel mode keeps up to maxAgents streams running at once', async () => {
  const project = uniqueProject('parallel');
  const work = gitTarget(reposDir('parallel'), 'work', FLAT.replace('- **Status:** blocked — waiting on 1.1\n- **Depends on:** 1.1', '- **Status:** available'));
  const scenario = writeScenario(env.dataDir, 'name: parallel\ndefaults: { delayMs: 700 }\n');
  await env.baton.start(project, { config: { scenario, targets: [work], maxAgents: 2, confirmAbove: 10 } });
  await env.baton.runStreams(project, 'all');

  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(done.tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  expect(maxConcurrent(done.agents.map((a) => ({ started: a.spawned, completed: a.finished })))).toBe(2);
});

test('batch mode starts a wave of available streams and the next only after the whole wave', async () => {
  const project = uniqueProject('batch');
  const work = gitTarget(reposDir('batch'), 'work', FLAT.replace('- **Status:** blocked — waiting on 1.1\n- **Depends on:** 1.1', '- **Status:** available'));
  const scenario = writeScenario(env.dataDir, 'name: batch\nagents:\n  - { match: { stream: "work:1.2" }, delayMs: 1500 }\ndefaults: { delayMs: 150 }\n');
  await env.baton.start(project, { config: { scenario, targets: [work], maxAgents: 3, mode: 'batch', confirmAbove: 10 } });
  await env.baton.runStreams(project, 'all');

  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  const [one, two, three, four] = ['work:1.1', 'work:1.2', 'work:1.3', 'work:1.4'].map((ref) => taskFor(done, ref));
  expect([one, two, three, four].map((t) => t!.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  // The first wave started together; the fourth waited for the slow one although the others finished early.
  expect(three!.started! < one!.completed!).toBe(true);
  expect(four!.started! >= two!.completed!).toBe(true);
  expect(maxConcurrent(done.tasks)).toBe(3);
});

test('the same stream asked for by several objectives at once is worked by exactly one task', async () => {
  const project = uniqueProject('no-double');
  const work = gitTarget(reposDir('double'), 'work', FLAT);
  const scenario = writeScenario(env.dataDir, 'name: double\ndefaults: { delayMs: 1500 }\n');
  await env.baton.start(project, { config: { scenario, targets: [work] } });
  await waitForState(env.baton, project, (s) => s.phase === 'idle');

  await Promise.all([1, 2, 3, 4].map((n) => env.baton.addObjective(project, `Run work:1.1 (request ${n})`, undefined, ['work:1.1'])));
  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 4);
  expect(done.tasks.filter((t) => t.stream === 'work:1.1')).toHaveLength(1);
  expect(done.agents).toHaveLength(1);
  expect(taskFor(done, 'work:1.1').status).toBe('completed');
  expect(fieldsOf(read(work.roadmap), '1.1').status).toBe('complete');
});

import { agentName } from '../../src/shared/names';
import { agentsOn, fieldsOf, gitTarget, read, taskFor, tempDir, waitForFile, waitForState } from '../support/git-targets';
import { settled, uniqueProject, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => env?.close());

const reposDir = (name: string) => tempDir(env.dataDir, name);

const ONE = `# Site

### 1.1 Prices
- **Status:** available

Publish the price list.
`;

const THREE = `# Site

### 1.1 Prices
- **Status:** available

### 1.2 Price page
- **Status:** blocked — waiting on 1.1
- **Depends on:** 1.1

### 1.3 Contact page
- **Status:** available
`;

/** The first developer a fresh project names; the gate below rejects its work so a second agent is needed. */
const FIRST = agentName('developer', 0);
const NOT_THE_FIRST_AGENT = { name: 'fresh', command: `test "$(cat who.txt)" != "${FIRST}"` };
const WHO_SCENARIO = 'name: who\nagents:\n  - { match: { stream: "site:1.1" }, files: [{ path: who.txt, content: "{{agent}}" }] }\ndefaults: { delayMs: 100 }\n';

test('a failing gate sends the work back to the same agent, whose fix passes', async () => {
  const project = uniqueProject('rework');
  const site = gitTarget(reposDir('rework'), 'site', ONE, { gates: [{ name: 'check', command: 'grep -qx ok out.txt' }] });
  const scenario = writeScenario(
    env.dataDir,
    `name: rework
agents:
  - { match: { stream: "site:1.1", round: 0 }, files: [{ path: out.txt, content: "broken\\n" }] }
  - { match: { stream: "site:1.1", round: 1 }, files: [{ path: out.txt, content: "ok\\n" }] }
defaults: { delayMs: 100 }
`,
  );
  await env.baton.start(project, { config: { scenario, targets: [site] } });
  await env.baton.runStreams(project, ['site:1.1']);

  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  const task = taskFor(done, 'site:1.1');
  expect(task.status).toBe('completed');
  expect(task.rework).toBe(1);
  expect(task.feedback).toEqual([expect.stringMatching(/^gate check failed \(exit 1\)/)]);
  expect(task.verification).toMatchObject({ passed: true, gates: [{ name: 'check', passed: true }] });
  expect(done.metrics.total_reworks).toBe(1);
  expect(done.metrics.total_verifications).toBe(2);
  const [first, second] = agentsOn(done, task.id);
  expect(second).toBe(first);
  expect(read(site.path + '/out.txt')).toBe('ok\n');
  expect(await waitForFile(site.devLog, (t) => t.includes('Rework:'))).toContain('- **Rework:** 1 round');
});

test('claims the work does not back are caught by review', async () => {
  const project = uniqueProject('false-claims');
  const root = reposDir('claims');
  const site = gitTarget(root, 'site', ONE, { gates: [{ name: 'roadmap', command: 'test -f plans/roadmap.md' }] });
  const api = gitTarget(root, 'api', ONE.replace('# Site', '# API'), { gates: [{ name: 'test', command: 'node --test' }] });
  const scenario = writeScenario(
    env.dataDir,
    `name: claims
agents:
  - match: { stream: "site:1.1" }
    files: [{ path: notes.md, content: "prices to follow\\n" }]
    claims: ["Updated src/prices.ts with the new prices"]
  - match: { stream: "api:1.1" }
    files: [{ path: prices.test.js, content: "require('node:test')('total', () => require('node:assert').equal(1 + 1, 3));\\n" }]
    summary: "Price endpoint written. All tests pass."
defaults: { delayMs: 100 }
`,
  );
  await env.baton.start(project, { config: { scenario, targets: [site, api], maxRework: 0 } });
  await env.baton.runStreams(project, ['site:1.1', 'api:1.1']);

  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  const untouched = taskFor(done, 'site:1.1');
  expect(untouched.status).toBe('failed');
  expect(untouched.verification).toMatchObject({ passed: false, gates: [{ name: 'roadmap', passed: true }] });
  expect(untouched.verification!.falseClaims).toEqual([expect.stringContaining('src/prices.ts was not changed')]);
  expect(untouched.skipped).toContain('src/prices.ts was not changed');

  const boast = taskFor(done, 'api:1.1');
  expect(boast.verification).toMatchObject({ passed: false, gates: [{ name: 'test', passed: false }] });
  expect(boast.verification!.falseClaims).toEqual([expect.stringMatching(/"All tests pass\." but gate test failed \(exit 1\)/)]);
  expect(fieldsOf(await waitForFile(api.roadmap, (t) => fieldsOf(t, '1.1').status !== 'available'), '1.1').status).toMatch(/^blocked — skipped: verification failed/);
});

test('retry: after the first agent fails, a fresh agent with another name takes the stream', async () => {
  const project = uniqueProject('retry');
  const site = gitTarget(reposDir('retry'), 'site', ONE.replace('- **Status:** available', '- **Status:** available\n- **On failure:** retry'), {
    gates: [NOT_THE_FIRST_AGENT],
  });
  const scenario = writeScenario(env.dataDir, WHO_SCENARIO);
  await env.baton.start(project, { config: { scenario, targets: [site], maxRework: 0 } });
  await env.baton.runStreams(project, ['site:1.1']);

  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  const task = taskFor(done, 'site:1.1');
  expect(task.status).toBe('completed');
  expect(task.freshAgents).toBe(1);
  expect(agentsOn(done, task.id)).toEqual([FIRST, expect.not.stringMatching(FIRST)]);
  expect(done.agents.map((a) => a.status)).toEqual(['failed', 'completed']);
  const owner = agentsOn(done, task.id)[1];
  expect(fieldsOf(await waitForFile(site.roadmap, (t) => fieldsOf(t, '1.1').status === 'complete'), '1.1')).toEqual({ status: 'complete', owner });
});

test('skip: the failed stream is marked blocked with the reason, what depends on it waits, the rest goes on', async () => {
  const project = uniqueProject('skip');
  const site = gitTarget(reposDir('skip'), 'site', THREE, { gates: [{ name: 'repo', command: 'git rev-parse --git-dir' }] });
  const scenario = writeScenario(
    env.dataDir,
    'name: skip\nagents:\n  - { match: { stream: "site:1.1" }, outcome: failure, summary: "the price source is down" }\ndefaults: { delayMs: 100 }\n',
  );
  await env.baton.start(project, { config: { scenario, targets: [site], recovery: { policy: 'skip', freshAgents: 1 }, confirmAbove: 10 } });
  await env.baton.runStreams(project, 'all');

  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(taskFor(done, 'site:1.1')).toMatchObject({ status: 'failed', skipped: expect.stringContaining('the price source is down') });
  expect(taskFor(done, 'site:1.2').status).toBe('pending');
  expect(taskFor(done, 'site:1.3').status).toBe('completed');
  expect(done.metrics.total_agents_spawned).toBe(2);
  const text = await waitForFile(site.roadmap, (t) => fieldsOf(t, '1.1').status !== 'available' && fieldsOf(t, '1.3').status === 'complete');
  expect(fieldsOf(text, '1.1').status).toBe('blocked — skipped: [simulated] the price source is down');
  expect(fieldsOf(text, '1.2').status).toBe('blocked — waiting on 1.1');
  expect(fieldsOf(text, '1.3').status).toBe('complete');
});

test('escalate: the stream waits for a person, who answers retry after the orchestration went idle', async () => {
  const project = uniqueProject('escalate');
  const site = gitTarget(reposDir('escalate'), 'site', ONE, { gates: [NOT_THE_FIRST_AGENT], recovery: { policy: 'escalate', freshAgents: 1 } });
  const scenario = writeScenario(env.dataDir, WHO_SCENARIO);
  await env.baton.start(project, { config: { scenario, targets: [site], maxRework: 0 } });
  await env.baton.runStreams(project, ['site:1.1']);

  const waiting = await waitForState(env.baton, project, (s) => s.phase === 'idle' && s.decisions.some((d) => d.status === 'pending'));
  const decision = waiting.decisions.find((d) => d.status === 'pending')!;
  expect(decision).toMatchObject({ kind: 'recovery', taskId: taskFor(waiting, 'site:1.1').id, question: expect.stringContaining('(site:1.1) failed') });
  expect(decision.deadline).toBeUndefined();
  expect(taskFor(waiting, 'site:1.1').status).toBe('stopped');
  expect(waiting.metrics.total_agents_spawned).toBe(1);

  await env.baton.decide(project, { decisionId: decision.id, choice: 'retry' });
  const done = await waitForState(env.baton, project, (s) => settled(s) && taskFor(s, 'site:1.1').status === 'completed');
  expect(done.decisions.find((d) => d.id === decision.id)).toMatchObject({ status: 'made', choice: 'retry' });
  expect(agentsOn(done, taskFor(done, 'site:1.1').id)).toEqual([FIRST, expect.not.stringMatching(FIRST)]);
  expect(done.objectives[0]!.status).toBe('completed');
});

test('escalate with a timeout: no answer in time falls back to skip', async () => {
  const project = uniqueProject('escalate-timeout');
  const site = gitTarget(reposDir('timeout'), 'site', ONE);
  const scenario = writeScenario(env.dataDir, 'name: timeout\nagents:\n  - { match: { stream: "site:1.1" }, outcome: failure, summary: "stuck" }\ndefaults: { delayMs: 100 }\n');
  await env.baton.start(project, { config: { scenario, targets: [site], recovery: { policy: 'escalate', freshAgents: 1, timeoutSeconds: 2 } } });
  await env.baton.runStreams(project, ['site:1.1']);

  const asked = await waitForState(env.baton, project, (s) => s.decisions.length === 1);
  expect(asked.decisions[0]).toMatchObject({ kind: 'recovery', status: 'pending', deadline: expect.any(String) });
  const done = await waitForState(env.baton, project, (s) => s.decisions[0]!.status === 'made' && settled(s), 20_000);
  const decision = done.decisions[0]!;
  expect(decision.choice).toBe('skip');
  expect(Date.parse(decision.decided!) - Date.parse(decision.created)).toBeGreaterThanOrEqual(2000);
  expect(taskFor(done, 'site:1.1')).toMatchObject({ status: 'failed', skipped: expect.stringContaining('stuck') });
  expect(done.metrics.total_agents_spawned).toBe(1);
  const text = await waitForFile(site.roadmap, (t) => fieldsOf(t, '1.1').status!.startsWith('blocked'));
  expect(fieldsOf(text, '1.1').status).toMatch(/^blocked — skipped: \[simulated\] stuck/);
});

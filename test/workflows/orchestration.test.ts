import * as fs from 'node:fs';
import * as path from 'node:path';
import { BATON_PHASE, BATON_PROJECT } from '../../src/shared/search-attributes';
import type { StatusView } from '../../src/shared/status';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const SCENARIO = `
name: wf-test
plans:
  - match: "alpha"
    tasks:
      - { key: research-a, role: researcher, mission: "Research A" }
      - { key: research-b, role: researcher, mission: "Research B" }
      - { key: build, role: developer, mission: "Build from A and B", dependsOn: [research-a, research-b] }
      - { key: review, role: reviewer, mission: "Review the build", dependsOn: [build] }
  - match: "beta"
    tasks:
      - { key: analyse, role: analyst, mission: "Analyse beta" }
      - { key: implement, role: developer, mission: "Implement beta", dependsOn: [analyse] }
      - { key: check, role: qa, mission: "Check beta", dependsOn: [implement] }
  - match: "slow"
    tasks:
      - { key: slow-one, role: researcher, mission: "Slow one" }
      - { key: slow-two, role: analyst, mission: "Slow two" }
      - { key: after, role: developer, mission: "After both", dependsOn: [slow-one, slow-two] }
agents:
  - match: { key: slow-one }
    delayMs: 4000
    files: [{ path: "out/slow-one.md", content: "done" }]
  - match: { key: slow-two }
    delayMs: 1500
    files: [{ path: "out/slow-two.md", content: "done" }]
defaults: { delayMs: 250 }
`;

let env: WorkflowEnv;
let scenario: string;

beforeAll(async () => {
  env = await workflowEnv();
  scenario = writeScenario(env.dataDir, SCENARIO);
  await env.startWorkers();
});
afterAll(async () => env?.close());

const byMission = (s: StatusView, mission: string) => {
  const task = s.tasks.find((t) => t.mission === mission);
  if (!task) throw new Error(`no task "${mission}"`);
  return task;
};

test('runs two objectives of seven tasks with parallel work, dependencies and a new objective mid-run', async () => {
  const project = uniqueProject('two-objectives');
  await env.baton.start(project, { config: { scenario, maxAgents: 3 }, objectives: ['Objective alpha'] });
  await waitForStatus(env.baton, project, (s) => s.runningAgents.length > 0);
  await env.baton.addObjective(project, 'Objective beta');

  const final = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 2);
  expect(final.objectives.map((o) => o.status)).toEqual(['completed', 'completed']);
  expect(final.tasks).toHaveLength(7);
  expect(final.tasks.every((t) => t.status === 'completed')).toBe(true);
  expect(final.metrics.total_agents_spawned).toBe(7);
  expect(final.metrics.total_sessions).toBe(1);

  // What the Temporal UI shows: the phase as a search attribute, the summary, the current details.
  const handle = env.baton.client.workflow.getHandle(`baton/${project}`);
  const described = await handle.describe();
  expect(described.typedSearchAttributes.get(BATON_PHASE)).toBe('idle');
  expect(described.typedSearchAttributes.get(BATON_PROJECT)).toBe(project);
  expect(await described.staticSummary()).toBe(`Baton orchestration · ${project}`);
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toContain('| 0 | 0 | 7 | 0 | 0 |');
  const history = await handle.fetchHistory();
  const summaries = (history.events ?? [])
    .filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => JSON.parse(Buffer.from(e.userMetadata?.summary?.data ?? '""').toString()) as string)
    // Events go to the bus through their own best-effort activity (one call per session when no bus is set).
    .filter((x) => !x.startsWith('publish '));
  expect(summaries).toHaveLength(7 + 2 + 2);
  expect(summaries.filter((x) => /^\w+ \(researcher\) \[simulated\] · TASK_\d+: Research [AB]$/.test(x))).toHaveLength(2);
  expect(summaries.filter((x) => x.startsWith('planner · OBJ_'))).toHaveLength(2);

  const context = await env.baton.context(project);
  const tasks = new Map(context.baton.tasks.map((t) => [t.mission, t]));
  const a = tasks.get('Research A')!;
  const b = tasks.get('Research B')!;
  const build = tasks.get('Build from A and B')!;
  // The two research tasks overlapped; the build waited for both.
  expect(a.started! < b.completed! && b.started! < a.completed!).toBe(true);
  expect(build.started! >= a.completed! && build.started! >= b.completed!).toBe(true);
  expect(context.completed_tasks).toHaveLength(7);
  expect(context.metrics.total_tasks_completed).toBe(7);

  // The scripted agents really wrote files, and the state was persisted in seed-002 shape.
  const persisted = JSON.parse(fs.readFileSync(path.join(env.dataDir, project, 'context.json'), 'utf8'));
  expect(persisted.project_name).toBe(project);
  expect(persisted.spawned_agents).toHaveLength(7);
  const workspace = path.join(env.dataDir, project, 'workspace');
  expect(build.artifacts.length).toBeGreaterThan(0);
  for (const artifact of build.artifacts) expect(fs.existsSync(path.join(workspace, artifact))).toBe(true);
});

test('immediate stop cancels running agents; resume finishes the work', async () => {
  const project = uniqueProject('stop-now');
  await env.baton.start(project, { config: { scenario }, objectives: ['Objective slow'] });
  await waitForStatus(env.baton, project, (s) => s.runningAgents.length === 2);
  const result = await env.baton.stop(project, {});
  expect(result.stoppedAgents).toHaveLength(2);

  const paused = await waitForStatus(env.baton, project, (s) => s.phase === 'paused');
  expect(paused.runningAgents).toHaveLength(0);
  expect(byMission(paused, 'Slow one').status).toBe('stopped');
  expect(byMission(paused, 'After both').status).toBe('pending');
  // The cancelled agent never finished its work.
  await new Promise((r) => setTimeout(r, 4500));
  expect(fs.existsSync(path.join(env.dataDir, project, 'workspace', 'out/slow-one.md'))).toBe(false);

  expect((await env.baton.resume(project)).session).toBe(2);
  const done = await waitForStatus(env.baton, project, settled);
  expect(done.tasks.every((t) => t.status === 'completed')).toBe(true);
});

test('graceful stop lets running agents finish and starts no new ones', async () => {
  const project = uniqueProject('stop-graceful');
  await env.baton.start(project, { config: { scenario }, objectives: ['Objective slow'] });
  await waitForStatus(env.baton, project, (s) => s.runningAgents.length === 2);
  expect(await env.baton.stop(project, { graceful: true })).toEqual({ stoppedAgents: [], graceful: true });

  const paused = await waitForStatus(env.baton, project, (s) => s.phase === 'paused');
  expect(byMission(paused, 'Slow one').status).toBe('completed');
  expect(byMission(paused, 'Slow two').status).toBe('completed');
  expect(byMission(paused, 'After both').status).toBe('ready');
  expect(paused.metrics.total_agents_spawned).toBe(2);
});

test('stopping one agent leaves the others running', async () => {
  const project = uniqueProject('stop-one');
  await env.baton.start(project, { config: { scenario }, objectives: ['Objective slow'] });
  const running = await waitForStatus(env.baton, project, (s) => s.runningAgents.length === 2);
  const slow = running.runningAgents.find((a) => a.taskId === byMission(running, 'Slow one').id)!;
  expect((await env.baton.stop(project, { agentId: slow.id })).stoppedAgents).toEqual([slow.id]);

  const after = await waitForStatus(env.baton, project, (s) => s.phase === 'idle');
  expect(byMission(after, 'Slow one').status).toBe('stopped');
  expect(byMission(after, 'Slow two').status).toBe('completed');
  expect(byMission(after, 'After both').status).toBe('pending');
});

test('malformed updates are rejected with the field named, and the workflow carries on', async () => {
  const project = uniqueProject('bad-input');
  await env.baton.start(project, { config: { scenario } });
  await waitForStatus(env.baton, project, (s) => s.phase === 'idle');
  const update = (name: string, arg: unknown) =>
    env.baton.client.workflow
      .getHandle(`baton/${project}`)
      .executeUpdate(name, { args: [arg] })
      .catch((err: Error) => Promise.reject(err.cause ?? err));

  await expect(update('addObjective', { description: '' })).rejects.toThrow(/description: description must not be empty/);
  await expect(update('addObjective', { descripton: 'typo' })).rejects.toThrow(/unknown field.*descripton/);
  await expect(update('completeTask', { taskId: 'nope', outcome: 'x' })).rejects.toThrow(/taskId: taskId must look like TASK_001/);
  await expect(update('completeTask', { taskId: 'TASK_999', outcome: 'x' })).rejects.toThrow(/no task TASK_999/);
  await expect(update('stop', { graceful: 'yes' })).rejects.toThrow(/graceful/);
  await expect(update('stop', { agentId: 'AGENT_0042' })).rejects.toThrow(/no agent AGENT_0042/);
  await expect(env.baton.recordInsight(project, '   ')).rejects.toThrow(/text must not be empty/);

  const objective = await env.baton.addObjective(project, 'Objective beta');
  expect(objective.id).toBe('OBJ_001');
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(done.tasks).toHaveLength(3);
  expect(done.objectives[0]!.status).toBe('completed');

  // Rejected updates never reached history.
  const history = await env.baton.client.workflow.getHandle(`baton/${project}`).fetchHistory();
  const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  expect(accepted).toHaveLength(1);
});

// A worker crash (kill -9) and restart mid-run is tested on real worker processes in test/chaos/worker-restart.test.ts.

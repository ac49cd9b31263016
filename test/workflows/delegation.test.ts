import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildReport, renderReport } from '../../src/client/report';
import { renderStatus } from '../../src/client/status-text';
import type { LeadReport } from '../../src/shared/delegation';
import type { OrchestrationState } from '../../src/shared/schemas';
import type { StatusView } from '../../src/shared/status';
import { runHistories, settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

// The root plans a lead researcher with a team; the lead's child plans its mission (the second plan) for three specialists.
const SCENARIO = `
name: delegation
plans:
  - match: "launch the product"
    tasks:
      - { key: lead-research, role: researcher, mission: "Lead the market research", lead: { team: "pricing, competitors, users" } }
      - { key: decide, role: advisor, mission: "Decide the launch plan", dependsOn: [lead-research] }
  - match: "lead the market research"
    tasks:
      - { key: pricing, role: researcher, mission: "Research pricing" }
      - { key: competitors, role: analyst, mission: "Analyse competitors" }
      - { key: users, role: researcher, mission: "Interview users", dependsOn: [pricing] }
  # A tree two levels deep: workstream A's lead has a lead of its own (a grandchild) that spends; B works slowly beside it.
  - match: "ship the release"
    tasks:
      - { key: lead-a, role: developer, mission: "Lead workstream A", lead: { team: "builders" } }
      - { key: lead-b, role: executor, mission: "Lead workstream B", lead: {} }
  - match: "lead workstream a"
    tasks:
      - { key: lead-a1, role: developer, mission: "Lead sub-stream A1", lead: {} }
  - match: "lead sub-stream a1"
    tasks:
      - { key: spend-one, role: developer, mission: "Spend one" }
      - { key: spend-two, role: developer, mission: "Spend two", dependsOn: [spend-one] }
  - match: "lead workstream b"
    tasks:
      - { key: b1, role: executor, mission: "B step 1" }
      - { key: b2, role: executor, mission: "B step 2", dependsOn: [b1] }
      - { key: b3, role: executor, mission: "B step 3", dependsOn: [b2] }
      - { key: b4, role: executor, mission: "B step 4", dependsOn: [b3] }
  # Slow work three levels down, for stops.
  - match: "stop the tree"
    tasks:
      - { key: lead-s, role: researcher, mission: "Lead slow research", lead: {} }
  - match: "lead slow research"
    tasks:
      - { key: lead-s1, role: researcher, mission: "Lead deeper research", lead: {} }
      - { key: slow-mid, role: qa, mission: "Slow mid" }
  - match: "lead deeper research"
    tasks:
      - { key: slow-deep, role: qa, mission: "Slow deep" }
  # A lead with a team big enough that its child continues-as-new midway.
  - match: "hand over midway"
    tasks:
      - { key: lead-many, role: analyst, mission: "Lead the many studies", lead: {} }
  - match: "lead the many studies"
    tasks:
      - { key: s1, role: researcher, mission: "Study 1" }
      - { key: s2, role: researcher, mission: "Study 2", dependsOn: [s1] }
      - { key: s3, role: researcher, mission: "Study 3", dependsOn: [s2] }
      - { key: s4, role: researcher, mission: "Study 4", dependsOn: [s3] }
      - { key: s5, role: researcher, mission: "Study 5", dependsOn: [s4] }
      - { key: s6, role: researcher, mission: "Study 6", dependsOn: [s5] }
      - { key: s7, role: researcher, mission: "Study 7", dependsOn: [s6] }
      - { key: s8, role: researcher, mission: "Study 8", dependsOn: [s7] }
  # A check that fails for its first agent, two levels down, under a policy that escalates failures to a person.
  - match: "check the flaky part"
    tasks:
      - { key: lead-check, role: reviewer, mission: "Lead the flaky checks", lead: {} }
  - match: "lead the flaky checks"
    tasks:
      - { key: lead-deep-check, role: reviewer, mission: "Lead the deep checks", lead: {} }
  - match: "lead the deep checks"
    tasks:
      - { key: flaky, role: qa, mission: "Flaky check" }
agents:
  - match: { key: flaky, agent: Probe }
    outcome: failure
    summary: "the check crashed on Probe's machine"
  - match: { key: spend-one }
    usage: { tokens: 60 }
    delayMs: 300
  - match: { key: spend-two }
    usage: { tokens: 60 }
    delayMs: 300
  - match: { role: executor }
    usage: { tokens: 1 }
    delayMs: 2000
  - match: { key: slow-mid }
    delayMs: 6000
    files: [{ path: "out/slow-mid.md", content: "done" }]
  - match: { key: slow-deep }
    delayMs: 6000
    files: [{ path: "out/slow-deep.md", content: "done" }]
defaults: { delayMs: 200, usage: { tokens: 10, costUsd: 0.01 } }
`;

let env: WorkflowEnv;
let scenario: string;

beforeAll(async () => {
  env = await workflowEnv();
  scenario = writeScenario(env.dataDir, SCENARIO);
  await env.startWorkers();
});
afterAll(async () => env?.close());

const stateOf = async (project: string): Promise<OrchestrationState> => (await env.baton.context(project)).baton;

test('a lead task runs as child workflow baton/<project>/<task>, which plans, runs and synthesizes its team and returns the lead report', async () => {
  const project = uniqueProject('lead');
  await env.baton.start(project, { config: { scenario, maxAgents: 3 }, objectives: ['Launch the product'] });
  const final = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(final.objectives[0]!.status).toBe('completed');
  const [lead, decide] = final.tasks;
  expect(lead).toMatchObject({ id: 'TASK_001', status: 'completed' });
  expect(decide).toMatchObject({ status: 'completed' });
  expect(lead!.outcome).toContain("Lead's team of 3: 3 completed, 0 failed");

  // The child is a real child workflow of the root, of the same type, and it returned the lead's report.
  const childId = `baton/${project}/TASK_001`;
  const child = env.baton.client.workflow.getHandle(childId);
  const described = await child.describe();
  expect(described.type).toBe('orchestration');
  expect(described.status.name).toBe('COMPLETED');
  expect(described.parentExecution?.workflowId).toBe(`baton/${project}`);
  const report = (await child.result()) as LeadReport;
  expect(report.status).toBe('success');
  expect(report.team.map((m) => [m.mission, m.status])).toEqual([
    ['Research pricing', 'completed'],
    ['Analyse competitors', 'completed'],
    ['Interview users', 'completed'],
  ]);
  expect(report.summary).toBe(lead!.outcome);
  // A new child has nothing to tell its parent before an agent starts (its parent recorded it at zero): its first
  // spend report follows its first agent, so planning is not held up by a signal round trip.
  const events = (await child.fetchHistory()).events ?? [];
  const firstAgent = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'spawnAgent');
  const firstReport = events.findIndex((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === 'childSpend');
  expect(firstAgent).toBeGreaterThan(0);
  expect(firstReport).toBeGreaterThan(firstAgent);

  // The root's ledger holds the whole tree exactly: three sub-agents and the advisor, 10 tokens each.
  const state = await stateOf(project);
  expect(state.spent).toMatchObject({ tokens: 40, costUsd: 0.04 });
  expect(state.tasks[0]!.spent).toMatchObject({ tokens: 30 });
  expect(state.delegation?.children.TASK_001).toMatchObject({ workflowId: childId, status: 'completed', depth: 1, agents: 3, running: 0, spent: { tokens: 30 } });
  // The sub-agents come back to the shared roster with their work remembered.
  const subAgents = report.team.map((m) => m.agent!);
  for (const name of subAgents) expect(state.roster[name]?.tasksCompleted).toBeGreaterThanOrEqual(1);
  // The decision waited for the lead's report.
  const leadTask = state.tasks[0]!;
  const decideTask = state.tasks[1]!;
  expect(decideTask.started! >= leadTask.completed!).toBe(true);

  // Status shows the child; the report shows the tree as text and as a mermaid diagram.
  const status = await env.baton.status(project);
  expect(status.children).toEqual([expect.objectContaining({ taskId: 'TASK_001', workflowId: childId, status: 'completed', agents: 3 })]);
  expect(renderStatus(status)).toContain(`leads ${childId} · 3 agents, 0 running · 30 tokens`);
  const text = renderReport(buildReport(status, await env.baton.context(project), new Date().toISOString()));
  expect(text).toContain('### Delegation Tree');
  expect(text).toMatch(/├── TASK_001 researcher \w+ — completed · lead of baton\/lead-[^ ]+\/TASK_001 \(3 agents, 30 tokens/);
  expect(text).toMatch(/│   ├── TASK_001 researcher \w+ — completed: Research pricing/);
  expect(text).toContain('```mermaid\ngraph TD');
});

/** The status of a child orchestration, or undefined while it does not exist yet. */
const childStatus = async (workflowId: string): Promise<StatusView | undefined> => {
  try {
    return await env.baton.client.workflow.getHandle(workflowId).query<StatusView>('status');
  } catch {
    return undefined;
  }
};
const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
};

test('a budget across the tree: a grandchild spends the root budget, the sibling subtree stops starting work, one decision at the root frees it all', async () => {
  const project = uniqueProject('tree-budget');
  await env.baton.start(project, { config: { scenario, maxAgents: 3, budget: { maxTokens: 100 } }, objectives: ['Ship the release'] });
  const root = `baton/${project}`;
  const spentRoot = await waitForStatus(env.baton, project, (s) => s.pendingDecisions.length > 0, 60_000);
  // One decision, at the root, about the root's budget: the grandchild's spend reached it through its parent.
  expect(spentRoot.pendingDecisions).toHaveLength(1);
  expect(spentRoot.pendingDecisions[0]).toMatchObject({ kind: 'budget' });
  expect(spentRoot.spent.tokens).toBeGreaterThanOrEqual(100);

  // The sibling subtree B holds: its running step finishes, nothing new starts.
  const b = await waitFor('B to hold', async () => {
    const s = await childStatus(`${root}/TASK_002`);
    return s && s.phase === 'paused' && s.runningAgents.length === 0 ? s : undefined;
  });
  const bDone = b.tasks.filter((t) => t.status === 'completed').length;
  expect(bDone).toBeLessThan(4);
  await new Promise((r) => setTimeout(r, 2500));
  const bLater = (await childStatus(`${root}/TASK_002`))!;
  expect(bLater.tasks.filter((t) => t.status === 'completed' || t.status === 'running')).toHaveLength(bDone);
  expect(bLater.metrics.total_agents_spawned).toBe(b.metrics.total_agents_spawned);

  // The root's ledger is the tree's at this moment: its children's reported spend.
  const held = (await env.baton.context(project)).baton;
  const children = held.delegation!.children;
  expect(held.spent.tokens).toBe(children.TASK_001!.spent.tokens + children.TASK_002!.spent.tokens);

  await env.baton.decide(project, { decisionId: spentRoot.pendingDecisions[0]!.id, choice: 'raise', budget: { maxTokens: 1000 } });
  const done = await waitForStatus(env.baton, project, (s) => settled(s), 60_000);
  expect(done.tasks.map((t) => t.status)).toEqual(['completed', 'completed']);
  expect(done.pendingDecisions).toEqual([]);
  // Exact: spend-one 60, spend-two 40 until the budget stopped it and 60 when it ran again, and B's four steps of 1.
  const state = await stateOf(project);
  expect(state.spent.tokens).toBe(164);
  expect(state.delegation!.children.TASK_001!.spent.tokens).toBe(160);
  expect(state.delegation!.children.TASK_002!.spent.tokens).toBe(4);
  const a = (await env.baton.client.workflow.getHandle(`${root}/TASK_001`).result()) as LeadReport;
  expect(a.spent.tokens).toBe(160);
  expect(a.team[0]!.child).toMatchObject({ workflowId: `${root}/TASK_001/TASK_001`, status: 'completed', depth: 2 });
});

test('an immediate stop of the root reaches the grandchildren at once, leaving no agent running; resume runs the tree again', async () => {
  const project = uniqueProject('tree-stop');
  const workspace = path.join(env.dataDir, project, 'workspace');
  await env.baton.start(project, { config: { scenario, maxAgents: 3 }, objectives: ['Stop the tree'] });
  const root = `baton/${project}`;
  const child = `${root}/TASK_001`;
  const grandchild = `${child}/TASK_001`;
  await waitFor('the grandchild agent', async () => ((await childStatus(grandchild))?.runningAgents.length ? true : undefined));
  await waitFor('the child agent', async () => ((await childStatus(child))?.runningAgents.length ? true : undefined));

  // The root's status names the agents working two levels down.
  const working = await waitForStatus(env.baton, project, (s) => (s.children?.[0]?.working ?? []).length === 2);
  expect(working.children![0]!.working).toEqual([expect.stringMatching(/^\w+ \(qa\) on TASK_002$/), expect.stringMatching(/^TASK_001 › \w+ \(qa\) on TASK_001$/)]);

  const stoppedAt = Date.now();
  const result = await env.baton.stop(project, {});
  expect(result.stoppedAgents).toHaveLength(1);
  const closed = async (id: string) => (await env.baton.client.workflow.getHandle(id).describe()).status.name;
  await waitFor('the tree to end', async () => ((await closed(child)) !== 'RUNNING' && (await closed(grandchild)) !== 'RUNNING' ? true : undefined), 10_000);
  expect(Date.now() - stoppedAt).toBeLessThan(5000);
  // Cancellation reached each as an immediate stop: it stopped its own agents, then returned what it had.
  for (const id of [child, grandchild]) {
    expect(await closed(id)).toBe('COMPLETED');
    expect((await env.baton.client.workflow.getHandle(id).result()) as LeadReport).toMatchObject({ status: 'failure', stopped: true });
  }
  // Each ended only after its own agents had: nothing is pending behind them.
  for (const id of [child, grandchild]) expect((await env.baton.client.workflow.getHandle(id).describe()).raw.pendingActivities ?? []).toEqual([]);
  const paused = await waitForStatus(env.baton, project, (s) => s.phase === 'paused');
  expect(paused.runningAgents).toEqual([]);
  expect(paused.tasks[0]).toMatchObject({ status: 'stopped', hold: { kind: 'person' } });
  // The cancelled agents never finished their work.
  await new Promise((r) => setTimeout(r, 6500));
  expect(fs.existsSync(path.join(workspace, 'out/slow-mid.md'))).toBe(false);
  expect(fs.existsSync(path.join(workspace, 'out/slow-deep.md'))).toBe(false);

  await env.baton.resume(project);
  const done = await waitForStatus(env.baton, project, settled, 60_000);
  expect(done.tasks[0]!.status).toBe('completed');
  expect(fs.existsSync(path.join(workspace, 'out/slow-deep.md'))).toBe(true);
});

test('an escalation two levels down surfaces in the root\'s pending decisions; baton decide at the root routes the answer down', async () => {
  const project = uniqueProject('tree-escalation');
  await env.baton.start(project, { config: { scenario, recovery: { policy: 'escalate', freshAgents: 1 } }, objectives: ['Check the flaky part'] });
  const root = `baton/${project}`;
  const waiting = await waitForStatus(env.baton, project, (s) => s.pendingDecisions.length > 0);
  expect(waiting.pendingDecisions).toHaveLength(1);
  const mirror = waiting.pendingDecisions[0]!;
  expect(mirror).toMatchObject({ kind: 'recovery', route: { taskId: 'TASK_001' } });
  expect(mirror.question).toContain("the check crashed on Probe's machine");
  // The middle orchestration mirrors the grandchild's decision; the root mirrors the middle's.
  const middle = (await childStatus(`${root}/TASK_001`))!;
  expect(middle.pendingDecisions).toEqual([expect.objectContaining({ kind: 'recovery', route: { taskId: 'TASK_001', decisionId: 'DEC_001' } })]);
  expect(mirror.route!.decisionId).toBe(middle.pendingDecisions[0]!.id);

  // A wrong answer is refused at the root, naming the choices.
  await expect(env.baton.decide(project, { decisionId: mirror.id, choice: 'proceed' })).rejects.toThrow(/retry.*skip/);
  await env.baton.decide(project, { decisionId: mirror.id, choice: 'retry', rationale: 'Probe had a bad day' });
  const done = await waitForStatus(env.baton, project, settled, 60_000);
  expect(done.tasks[0]).toMatchObject({ status: 'completed' });
  expect(done.pendingDecisions).toEqual([]);
  const deep = (await env.baton.client.workflow.getHandle(`${root}/TASK_001/TASK_001`).result()) as LeadReport;
  expect(deep.status).toBe('success');
  // The retry went to a fresh agent, as the grandchild's own decide does.
  expect(deep.team[0]).toMatchObject({ status: 'completed' });
  expect(deep.team[0]!.agent).not.toBe('Probe');
});

test('a child that ends without its report while its escalation waits at the root (terminated by hand) leaves no question behind for it', async () => {
  const project = uniqueProject('tree-ended-mirror');
  await env.baton.start(project, { config: { scenario, recovery: { policy: 'escalate', freshAgents: 1 } }, objectives: ['Check the flaky part'] });
  const waiting = await waitForStatus(env.baton, project, (s) => s.pendingDecisions.length > 0);
  const mirror = waiting.pendingDecisions[0]!;
  expect(mirror.route).toMatchObject({ taskId: 'TASK_001' });
  await env.baton.client.workflow.getHandle(`baton/${project}/TASK_001`).terminate('a person ended the subtree');
  // The lead task failed under the escalate policy: the root now asks about it, not about the child's question.
  const after = await waitForStatus(env.baton, project, (s) => s.children?.[0]?.status === 'failed' && !s.pendingDecisions.some((d) => d.id === mirror.id));
  expect(after.pendingDecisions.map((d) => d.route)).toEqual(after.pendingDecisions.map(() => undefined));
  const closed = (await stateOf(project)).decisions.find((d) => d.id === mirror.id);
  expect(closed).toMatchObject({ status: 'made', choice: 'closed: the child orchestration failed before an answer', route: { forwarded: true } });
});

test('a child continues-as-new like the root: same id, same parent, and its report still reaches the parent', async () => {
  const project = uniqueProject('lead-handover');
  // The config (and its hand-over threshold) is inherited by the child.
  await env.baton.start(project, { config: { scenario, continueAsNewAfterEvents: 100 }, objectives: ['Hand over midway'] });
  const done = await waitForStatus(env.baton, project, settled, 90_000);
  expect(done.tasks[0]).toMatchObject({ status: 'completed' });
  const childId = `baton/${project}/TASK_001`;
  const runs = await runHistories(env.baton.client, childId);
  expect(runs.length).toBeGreaterThan(1);
  const report = (await env.baton.client.workflow.getHandle(childId).result()) as LeadReport;
  expect(report.team.map((m) => m.status)).toEqual(Array(8).fill('completed'));
  expect(report.agents).toBe(8);
  // Spend reported by every run of the child reached the parent exactly once: 8 studies of 10 tokens.
  expect((await stateOf(project)).spent.tokens).toBe(80);
});

test('a graceful stop of the root holds every subtree: running agents finish and each level rests until resume carries on', async () => {
  const project = uniqueProject('tree-graceful');
  const workspace = path.join(env.dataDir, project, 'workspace');
  await env.baton.start(project, { config: { scenario, maxAgents: 3 }, objectives: ['Stop the tree'] });
  const child = `baton/${project}/TASK_001`;
  const grandchild = `${child}/TASK_001`;
  await waitFor('the grandchild agent', async () => ((await childStatus(grandchild))?.runningAgents.length ? true : undefined));

  expect((await env.baton.stop(project, { graceful: true })).graceful).toBe(true);
  // Each level holds: the grandchild pauses once its agent finished; the child, once its own agent has, waits on its lead only.
  await waitFor('the grandchild to pause', async () => ((await childStatus(grandchild))?.phase === 'paused' ? true : undefined), 30_000);
  const held = await waitFor('the child to hold', async () => {
    const s = await childStatus(child);
    return s?.paused && s.tasks.find((t) => t.mission === 'Slow mid')?.status === 'completed' ? s : undefined;
  }, 30_000);
  expect(held.runningAgents.map((a) => a.taskId)).toEqual(['TASK_001']);
  expect(fs.existsSync(path.join(workspace, 'out/slow-mid.md'))).toBe(true);
  expect(fs.existsSync(path.join(workspace, 'out/slow-deep.md'))).toBe(true);
  const holding = await env.baton.status(project);
  expect(holding.tasks[0]!.status).toBe('running');
  expect(holding.runningAgents.map((a) => a.taskId)).toEqual(['TASK_001']);

  await env.baton.resume(project);
  const done = await waitForStatus(env.baton, project, settled, 60_000);
  expect(done.tasks[0]!.status).toBe('completed');
  const report = (await env.baton.client.workflow.getHandle(child).result()) as LeadReport;
  expect(report.status).toBe('success');
});

test('malformed or misdirected delegation signals are recorded as rejected inputs naming what was wrong; nothing changes', async () => {
  const project = uniqueProject('lead-bad-signals');
  await env.baton.start(project, { config: { scenario }, objectives: ['Launch the product'] });
  await waitForStatus(env.baton, project, (s) => settled(s));
  const root = env.baton.client.workflow.getHandle(`baton/${project}`);
  const before = await stateOf(project);
  await root.signal('childSpend', { taskId: 'TASK_001', spent: { tokens: -5, costUsd: 0, unpricedTokens: 0 }, agents: 1, running: 0 });
  await root.signal('childSpend', { taskId: 'TASK_009', spent: { tokens: 5, costUsd: 0, unpricedTokens: 0 }, agents: 1, running: 0 });
  await root.signal('parentHold', { held: true });
  await root.signal('routedDecide', { decisionId: 'DEC_042', choice: 'retry' });
  const s = await waitForStatus(env.baton, project, (x) => x.rejectedInputs.length === 4);
  expect(s.rejectedInputs.map((r) => r.name)).toEqual(['childSpend', 'childSpend', 'parentHold', 'routedDecide']);
  expect(s.rejectedInputs[0]!.reason).toMatch(/spent\.tokens/);
  expect(s.rejectedInputs[1]!.reason).toContain('no child orchestration runs for TASK_009');
  expect(s.rejectedInputs[2]!.reason).toContain("not a lead task's child");
  expect(s.rejectedInputs[3]!.reason).toContain('no decision DEC_042');
  expect(s.paused).toBe(false);
  expect(s.spent).toEqual(before.spent);
});

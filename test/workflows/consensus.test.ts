import { buildReport, renderReport } from '../../src/client/report';
import { renderStatus } from '../../src/client/status-text';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

// Researchers are named Aria, Sage, Quinn… in a fresh project; the first advisor is Oracle (src/shared/names.ts).
const scenario = (aria: string, sage: string, quinn: string) => `
name: consensus
plans:
  - match: "database"
    tasks:
      - key: pick-db
        role: researcher
        mission: "Which database should the bakery shop use?"
        consensus: { agents: 3 }
      - { key: write-up, role: analyst, mission: "Write up the database choice", dependsOn: [pick-db] }
  - match: "release"
    tasks:
      - { key: check, role: reviewer, mission: "Is the release ready to ship?" }
      - { key: fix, role: developer, mission: "Fix what the review found", dependsOn: [check] }
  - match: "slow"
    tasks:
      - { key: slow-pick, role: researcher, mission: "A slow question", consensus: { agents: 3 } }
  - match: "hosting"
    tasks:
      - key: pick-host
        role: researcher
        mission: "Where should the bakery shop be hosted?"
        consensus: { agents: 3, quorum: 3, belowQuorum: escalate }
agents:
  - match: { key: slow-pick, round: 0 }
    delayMs: 4000
    summary: "Same"
  - match: { agent: Aria, key: pick-db }
    summary: "${aria}"
    insights: ["Backups matter"]
  - match: { agent: Sage, key: pick-db }
    summary: "${sage}"
    insights: ["Backups matter"]
  - match: { agent: Quinn, key: pick-db }
    summary: "${quinn}"
    insights: ["Backups matter"]
  - match: { agent: Aria, key: pick-host }
    summary: "Fly.io"
  - match: { agent: Sage, key: pick-host }
    summary: "Fly.io"
  - match: { agent: Quinn, key: pick-host }
    summary: "A VPS at Hetzner"
  - match: { role: advisor }
    summary: "SQLite: one file, no server to run"
defaults: { delayMs: 100 }
`;

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => env?.close());

async function decisionsOf(project: string) {
  return (await env.baton.context(project)).baton.decisions.filter((d) => d.kind === 'consensus');
}

test('agree: three researchers give the same answer; the task completes with it and a consensus decision records the agreement', async () => {
  const project = uniqueProject('consensus-agree');
  const file = writeScenario(env.dataDir, scenario('Postgres.', 'postgres', '  Postgres'));
  await env.baton.start(project, { config: { scenario: file, maxAgents: 3 }, objectives: ['Pick the database'] });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  const pick = done.tasks.find((t) => t.mission.startsWith('Which database'))!;
  expect(pick.status).toBe('completed');
  expect(pick.outcome).toBe('[simulated] Postgres.');
  // The dependent task ran after the decision.
  expect(done.tasks.find((t) => t.mission.startsWith('Write up'))!.status).toBe('completed');

  const context = await env.baton.context(project);
  const members = context.baton.agents.filter((a) => a.taskId === pick.id);
  expect(members.map((a) => a.name)).toEqual(['Aria', 'Sage', 'Quinn']);
  expect(members.every((a) => a.simulated && a.status === 'completed')).toBe(true);
  const [decision] = await decisionsOf(project);
  expect(decision).toMatchObject({ status: 'made', taskId: pick.id, choice: '[simulated] Postgres.' });
  expect(decision!.consensus).toMatchObject({ by: 'deterministic', quorum: 2, resolvedBy: 'quorum', agreement: 1, supporters: members.map((a) => a.id), conflicts: [] });
  expect(decision!.consensus!.agreed).toEqual(['[simulated] Postgres.', 'Backups matter']);
  expect(decision!.rationale).toContain('[deterministic comparison] 3 of 3 agents gave the same answer (Aria, Sage, Quinn)');
  expect(done.metrics.total_agents_spawned).toBe(4);
});

test('disagree with a tie-break: three different answers, an advisor with a fresh name decides', async () => {
  const project = uniqueProject('consensus-tie');
  const file = writeScenario(env.dataDir, scenario('Postgres', 'MySQL', 'SQLite'));
  await env.baton.start(project, { config: { scenario: file, maxAgents: 3 }, objectives: ['Pick the database'] });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  const pick = done.tasks.find((t) => t.mission.startsWith('Which database'))!;
  expect(pick.outcome).toBe('[simulated] SQLite: one file, no server to run');
  const context = await env.baton.context(project);
  expect(context.baton.agents.filter((a) => a.taskId === pick.id).map((a) => [a.name, a.role])).toEqual([
    ['Aria', 'researcher'],
    ['Sage', 'researcher'],
    ['Quinn', 'researcher'],
    ['Oracle', 'advisor'],
  ]);
  const [decision] = await decisionsOf(project);
  expect(decision).toMatchObject({ status: 'made', choice: pick.outcome });
  expect(decision!.consensus).toMatchObject({ resolvedBy: 'tie-break', tieBreaker: 'Oracle' });
  expect(decision!.consensus!.agreement).toBeCloseTo(1 / 3);
  expect(decision!.consensus!.conflicts[0]!.positions.map((p) => p.position)).toEqual(['[simulated] Postgres', '[simulated] MySQL', '[simulated] SQLite']);
  expect(decision!.rationale).toContain('Oracle (advisor) broke the tie');
});

test('below quorum with an escalation: the task waits for a person, who answers with an agent name', async () => {
  const project = uniqueProject('consensus-esc');
  await env.baton.start(project, { config: { scenario: writeScenario(env.dataDir, scenario('a', 'b', 'c')), maxAgents: 3 }, objectives: ['Choose hosting'] });
  const waiting = await waitForStatus(env.baton, project, (s) => s.pendingDecisions.length === 1 && s.phase === 'idle');
  const pending = waiting.pendingDecisions[0]!;
  expect(pending.kind).toBe('consensus');
  expect(pending.question).toContain('only 2 of 3 agents support one answer (quorum 3)');
  expect(pending.question).toContain('Quinn: [simulated] A VPS at Hetzner');
  expect(waiting.tasks[0]).toMatchObject({ status: 'stopped', hold: { kind: 'escalation', decisionId: pending.id } });

  // Resume does not run it again: only the answer frees it.
  await env.baton.resume(project);
  const resumed = await waitForStatus(env.baton, project, (s) => s.phase === 'idle' && s.session === 2);
  expect(resumed.tasks[0]!.status).toBe('stopped');

  const answered = await env.baton.decide(project, { decisionId: pending.id, choice: 'Quinn', rationale: 'we already rent there' });
  expect(answered).toMatchObject({ status: 'made', choice: 'Quinn' });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives[0]!.status === 'completed');
  expect(done.tasks[0]).toMatchObject({ status: 'completed', outcome: '[simulated] A VPS at Hetzner' });
  const [decision] = await decisionsOf(project);
  expect(decision!.consensus).toMatchObject({ resolvedBy: 'person', resolved: '[simulated] A VPS at Hetzner' });
  expect(done.metrics.total_agents_spawned).toBe(3);
});

test('baton objective --consensus: the reviewer task of the objective runs by consensus, its developer task does not; status and report show it', async () => {
  const project = uniqueProject('consensus-obj');
  const file = writeScenario(env.dataDir, scenario('x', 'y', 'z').replace('defaults:', `  - match: { key: check, agent: Argus }
    summary: "Ready"
    insights: ["The tests pass"]
  - match: { key: check, agent: Judge }
    summary: "ready."
    insights: ["the tests pass."]
  - match: { key: check, agent: Vigil }
    summary: "Not ready: the changelog is missing"
    insights: ["The tests pass"]
defaults:`));
  await env.baton.start(project, { config: { scenario: file, maxAgents: 3 } });
  await env.baton.addObjective(project, 'Ship the release', undefined, undefined, { agents: 3, quorum: 2 });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  const [check, fix] = done.tasks;
  expect(check!.consensus).toMatchObject({ agents: 3, quorum: 2, decision: 'made', resolvedBy: 'quorum' });
  expect(check!.consensus!.members.map((m) => m.name)).toEqual(['Argus', 'Judge', 'Vigil']);
  expect(check!.consensus!.agreement).toBeCloseTo(2 / 3);
  expect(check!.outcome).toBe('[simulated] Ready');
  expect(fix!.consensus).toBeUndefined();
  expect(fix!.status).toBe('completed');

  const text = renderStatus(done);
  expect(text).toContain('consensus of 3: Argus completed, Judge completed, Vigil completed · agreement 67% (quorum 2 of 3) · resolved by quorum');
  const report = renderReport(buildReport(done, await env.baton.context(project), new Date().toISOString()));
  expect(report).toContain('### Consensus decisions');
  expect(report).toContain(`agreement 67%, quorum 2 of 3 — quorum met; compared deterministically (scripted)`);
  expect(report).toContain('Agreed: The tests pass');
  expect(report).toContain('Conflict on the answer: Argus: [simulated] Ready | Judge: [simulated] ready. | Vigil: [simulated] Not ready: the changelog is missing');
  expect(report).toContain('Resolution: [simulated] Ready');
});

test('stopping one member stops the whole consensus task; resume runs it again from the start', async () => {
  const project = uniqueProject('consensus-stop');
  await env.baton.start(project, { config: { scenario: writeScenario(env.dataDir, scenario('a', 'b', 'c')), maxAgents: 3 }, objectives: ['A slow one'] });
  const running = await waitForStatus(env.baton, project, (s) => s.runningAgents.length === 3);
  await env.baton.stop(project, { agentId: running.runningAgents[1]!.id });
  const stopped = await waitForStatus(env.baton, project, (s) => s.phase === 'idle' && s.runningAgents.length === 0);
  expect(stopped.tasks[0]).toMatchObject({ status: 'stopped', hold: { kind: 'person' } });
  const first = (await env.baton.context(project)).baton.agents;
  expect(first.map((a) => a.status)).toEqual(['stopped', 'stopped', 'stopped']);
  expect(stopped.pendingDecisions).toEqual([]);

  await env.baton.resume(project);
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives[0]!.status === 'completed', 60_000);
  expect(done.tasks[0]).toMatchObject({ status: 'completed', outcome: '[simulated] Same', attempts: 2 });
  expect(done.tasks[0]!.consensus!.members.map((m) => m.status)).toEqual(['completed', 'completed', 'completed']);
});

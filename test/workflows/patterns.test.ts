import * as path from 'node:path';
import { buildReport, renderReport } from '../../src/client/report';
import { renderStatus } from '../../src/client/status-text';
import type { StatusView } from '../../src/shared/status';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

// Three objectives of three shapes, and one whose stated pattern its plan contradicts; none but the last states one.
const SCENARIO = `
name: patterns
plans:
  - match: "survey the market"
    tasks:
      - { key: pricing, role: researcher, mission: "Research pricing" }
      - { key: competitors, role: analyst, mission: "Analyse competitors" }
      - { key: users, role: researcher, mission: "Interview users" }
  - match: "fix the checkout"
    tasks:
      - { key: reproduce, role: qa, mission: "Reproduce the checkout bug" }
      - { key: fix, role: developer, mission: "Fix the checkout bug", dependsOn: [reproduce] }
      - { key: review, role: reviewer, mission: "Review the fix", dependsOn: [fix] }
  - match: "plan the launch"
    tasks:
      - { key: lead-research, role: researcher, mission: "Lead the launch research", lead: { team: "three experts" } }
      - { key: budget, role: analyst, mission: "Estimate the launch budget" }
  - match: "lead the launch research"
    tasks:
      - { key: expert-a, role: researcher, mission: "Expert A's view" }
      - { key: expert-b, role: researcher, mission: "Expert B's view" }
  - match: "pick a name"
    pattern: { kind: consensus, why: "A name is a matter of taste: several agents should agree" }
    tasks:
      - { key: name, role: advisor, mission: "Pick a name" }
defaults: { delayMs: 100, usage: { tokens: 10, costUsd: 0.01 } }
`;

const DEMO_SCENARIO = path.resolve(__dirname, '../../examples/demo/scenario.yaml');

let env: WorkflowEnv;
let scenario: string;

beforeAll(async () => {
  env = await workflowEnv();
  scenario = writeScenario(env.dataDir, SCENARIO);
  await env.startWorkers();
});
afterAll(async () => env?.close());

test('each objective gets a pattern from its plan, shown in status and the report; a stated pattern its plan contradicts is kept and flagged', async () => {
  const project = uniqueProject('patterns');
  const objectives = ['Survey the market', 'Fix the checkout', 'Plan the launch', 'Pick a name'];
  await env.baton.start(project, { config: { scenario, maxAgents: 3 }, objectives });
  const final = await waitForStatus(env.baton, project, (s: StatusView) => settled(s) && s.objectives.length === 4, 90_000);
  expect(final.objectives.map((o) => o.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  expect(final.objectives.map((o) => [o.pattern?.kind, o.pattern?.by])).toEqual([
    ['parallel', 'derived'],
    ['sequential', 'derived'],
    ['hierarchical', 'derived'],
    ['consensus', 'planner'],
  ]);
  expect(final.objectives[3]!.pattern?.mismatch).toBe('no task has consensus');

  const text = renderStatus(final);
  expect(text).toContain('pattern: parallel (derived) — 3 independent tasks run at once (pricing, competitors, users)');
  expect(text).toContain('pattern: sequential (derived) — a chain of 3 steps: reproduce → fix → review');
  expect(text).toContain('pattern: hierarchical (derived) — task lead-research leads a team; 1 independent task runs beside it');
  expect(text).toContain('pattern: consensus (planner; does not match the plan) — A name is a matter of taste');

  // The lead's child orchestration chose its own pattern for its team.
  const lead = final.tasks.find((t) => t.mission === 'Lead the launch research')!;
  const child = await env.baton.client.workflow.getHandle(`baton/${project}/${lead.id}`).query<StatusView>('status');
  expect(child.objectives[0]?.pattern).toMatchObject({ kind: 'parallel', by: 'derived' });

  const report = renderReport(buildReport(final, await env.baton.context(project), new Date().toISOString()));
  expect(report).toContain('| Objective | Description | Status | Pattern |');
  expect(report).toMatch(/\| OBJ_003 \| Plan the launch \| completed \| hierarchical \(derived\) — task lead-research leads a team/);
}, 120_000);

test('the demo scenario: a lead researcher runs three experts in child workflow baton/<project>/<task>, then three advisors agree on the offer', async () => {
  const project = uniqueProject('demo-patterns');
  await env.baton.start(project, { config: { scenario: DEMO_SCENARIO, maxAgents: 3 }, objectives: ['Plan the grand opening week'] });
  const final = await waitForStatus(env.baton, project, (s: StatusView) => settled(s) && s.objectives.length === 1, 90_000);
  expect(final.objectives[0]).toMatchObject({ status: 'completed', pattern: { kind: 'hierarchical', by: 'planner' } });
  expect(final.objectives[0]!.pattern?.mismatch).toBeUndefined();
  const state = (await env.baton.context(project)).baton;
  const [lead, offer] = state.tasks;
  expect(lead).toMatchObject({ status: 'completed', lead: { team: 'three experts: local market, baking trends, costs' } });
  expect(lead!.outcome).toContain("Lead's team of 3: 3 completed, 0 failed");
  const child = await env.baton.client.workflow.getHandle(`baton/${project}/${lead!.id}`).query<StatusView>('status');
  expect(child.tasks.map((t) => [t.role, t.status])).toEqual([
    ['researcher', 'completed'],
    ['researcher', 'completed'],
    ['analyst', 'completed'],
  ]);
  expect(offer).toMatchObject({ status: 'completed', role: 'advisor', outcome: expect.stringContaining('A free cardamom bun with every pre-order') });
  expect(offer!.consensus).toMatchObject({ agents: 3 });
  const decisions = state.decisions.filter((d) => d.kind === 'consensus');
  expect(decisions.map((d) => [d.status, d.consensus?.agreement, d.consensus?.answers.length])).toEqual([['made', 1, 3]]);
}, 120_000);

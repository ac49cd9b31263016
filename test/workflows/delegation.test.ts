import type { LeadReport } from '../../src/shared/delegation';
import type { OrchestrationState } from '../../src/shared/schemas';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

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
});

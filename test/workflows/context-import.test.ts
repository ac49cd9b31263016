import * as path from 'node:path';
import { runCli } from '../support/cli';
import { testServerAddress } from '../support/test-server';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const FIXTURES = path.join(__dirname, '../fixtures/context');
const SCENARIO = `
name: import
plans:
  - match: "conversion"
    tasks:
      - { key: guardrail, role: analyst, mission: "Analyse the conversion guardrail" }
defaults: { delayMs: 50 }
`;

let env: WorkflowEnv;
let scenario: string;

beforeAll(async () => {
  env = await workflowEnv();
  scenario = writeScenario(env.dataDir, SCENARIO);
  await env.startWorkers();
});
afterAll(async () => env?.close());

const cli = (project: string, args: string[]) => runCli([...args, '--address', testServerAddress(), '--data-dir', env.dataDir, '--project', project]);

test("seed 002's example, imported from the CLI, carries its ids and totals on through one more task", async () => {
  const project = uniqueProject('import-seed');
  const started = await cli(project, ['import', path.join(FIXTURES, 'seed-002-example.json'), '--scenario', scenario]);
  expect(started.stderr).toBe('');
  expect(started.stdout).toContain(`Imported into baton/${project}`);

  const s = await waitForStatus(env.baton, project, (v) => settled(v) && v.tasks.every((t) => t.status === 'completed'));
  expect(s.tasks.map((t) => t.id)).toEqual(['TASK_001', 'TASK_025']);
  expect(s.tasks[1]?.agent?.id).toBe('AGENT_0048');
  expect(s.metrics).toMatchObject({ total_sessions: 13, total_agents_spawned: 48, total_tasks_completed: 24 });
  expect(s.metrics.total_decisions_made).toBeGreaterThanOrEqual(15);
  expect(s.objectives).toMatchObject([{ id: 'OBJ_001', status: 'completed' }]);

  const status = await cli(project, ['status']);
  expect(status.stdout).toContain('Imported from a seed-002 context file: 1 agent(s), 0 completed phase(s)');
  expect(status.stdout).toContain('AGENT_0001  researcher');
  expect(status.stdout).toContain('Auth0 provides best enterprise features (imported)');
  expect(status.stdout).toMatch(/Metrics: 13 sessions · 48 agents spawned · 24 tasks completed/);
});

test("the Atlas tool's context.json runs its open tasks and plans its other open objective, ids continuing", async () => {
  const project = uniqueProject('import-atlas');
  const started = await cli(project, ['import', path.join(FIXTURES, 'atlas-context.json'), '--scenario', scenario]);
  expect(started.stdout).toContain(`Imported into baton/${project}`);

  const s = await waitForStatus(env.baton, project, (v) => settled(v) && v.objectives.every((o) => o.status === 'completed'));
  expect(s.tasks.map((t) => [t.id, t.status])).toEqual([
    ['TASK_001', 'completed'],
    ['TASK_002', 'completed'],
    ['TASK_003', 'completed'],
    ['TASK_004', 'completed'],
    ['TASK_005', 'completed'],
    ['TASK_006', 'completed'],
  ]);
  expect(s.tasks[5]).toMatchObject({ objectiveId: 'OBJ_002', mission: 'Analyse the conversion guardrail' });
  expect(s.runningAgents).toEqual([]);
  expect(s.imported?.agents.map((a) => a.type)).toEqual(['Researcher', 'Product Strategist', 'Developer', 'QA Specialist']);

  const report = await cli(project, ['report']);
  expect(report.stdout).toContain('### Imported Context');
  expect(report.stdout).toContain('- AGENT_0003  Developer');
  expect(report.stdout).toContain('(tasks TASK_003)');
  expect(report.stdout).toContain('- phases done: initialization → research → story_creation');
  expect(report.stdout).toContain('- [critical] Never log full card BINs: the PCI scope review flagged it');
});

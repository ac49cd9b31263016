import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

// A lead with two teams under it: three orchestrations whose workflow tasks can run on different threads at once.
const SCENARIO = `
name: threads
plans:
  - match: "split the survey"
    tasks:
      - { key: lead-north, role: researcher, mission: "Lead the north survey", lead: {} }
      - { key: lead-south, role: researcher, mission: "Lead the south survey", lead: {} }
  - match: "lead the"
    tasks:
      - { key: one, role: researcher, mission: "Survey one" }
      - { key: two, role: analyst, mission: "Survey two" }
      - { key: sum, role: analyst, mission: "Sum up", dependsOn: [one, two] }
defaults: { delayMs: 100, usage: { tokens: 5 } }
`;

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
});
afterAll(async () => env?.close());

test('workflowThreads sets the workflow worker\'s thread pool, and a delegation tree runs to completion on two threads', async () => {
  const running = await env.startWorkers({ workflowThreads: 2 });
  const [workflowWorker, agentWorker] = running.workers;
  expect(workflowWorker!.options.workflowThreadPoolSize).toBe(2);
  // The agent worker runs no workflows: the setting is the workflow worker's alone.
  expect(agentWorker!.options.taskQueue).not.toBe(workflowWorker!.options.taskQueue);

  const project = uniqueProject('threads');
  const scenario = writeScenario(env.dataDir, SCENARIO);
  await env.baton.start(project, { config: { scenario, maxAgents: 4 }, objectives: ['Split the survey'] });
  const final = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(final.objectives[0]!.status).toBe('completed');
  expect(final.tasks.map((t) => t.status)).toEqual(['completed', 'completed']);
  // Each lead's child ran its team of three, and the root's ledger holds all six agents' spend.
  expect(final.children?.map((c) => [c.taskId, c.status, c.agents])).toEqual([
    ['TASK_001', 'completed', 3],
    ['TASK_002', 'completed', 3],
  ]);
  expect(final.spent.tokens).toBe(30);
});

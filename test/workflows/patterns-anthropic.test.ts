import { renderStatus } from '../../src/client/status-text';
import { call, reply, submitReport, submitSynthesis, type FakeAnthropic, type FakeRequest, type FakeReply } from '../support/fake-anthropic';
import { settled, uniqueProject, waitForStatus, type WorkflowEnv } from '../support/workflow-env';
import { anthropicWorkflowEnv } from '../support/anthropic-workflow-env';

const KEY = 'sk-' + 'ant-test-2222222222222222222222222222222222';
const TASKS = [
  { key: 'docs', role: 'researcher', mission: 'Read the docs of both frameworks', dependsOn: [], successCriteria: ['notes'] },
  { key: 'bench', role: 'analyst', mission: 'Compare their benchmarks', dependsOn: [], successCriteria: ['a table'] },
];

/**
 * The fake planner: for "frameworks" it states parallel; for "vote" it first sends a malformed pattern (sent back to
 * it with the problem), then claims consensus for a plan with no consensus task.
 */
function model(req: FakeRequest): FakeReply {
  if (req.toolNames.includes('submit_plan')) {
    if (req.firstUserText.includes('frameworks')) return reply(call('submit_plan', { tasks: TASKS, pattern: { kind: 'parallel', why: 'Docs and benchmarks are independent angles.' } }));
    const fixing = req.lastToolResults.some((r) => r.isError);
    return reply(call('submit_plan', { tasks: TASKS, pattern: fixing ? { kind: 'consensus', why: 'The team should agree.' } : { kind: 'swarm', why: 'x' } }));
  }
  if (req.toolNames.includes('submit_synthesis')) return submitSynthesis();
  return submitReport({ summary: 'done' });
}

let env: WorkflowEnv;
let fake: FakeAnthropic;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ env, fake, close } = await anthropicWorkflowEnv(model, KEY));
});
afterAll(async () => close?.());

test('anthropic runtime: the planner is asked to choose a pattern, states it, a malformed one is sent back, a contradicted one is kept and flagged', async () => {
  const project = uniqueProject('patterns-llm');
  await env.baton.start(project, { config: { runtime: 'anthropic', maxAgents: 2 }, objectives: ['Compare the frameworks', 'Put it to a vote'] });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 2, 90_000);
  expect(done.objectives.map((o) => o.status)).toEqual(['completed', 'completed']);

  // The planner was told to choose, and submit_plan's schema offers the pattern.
  const planners = fake.requests.filter((r) => r.toolNames.includes('submit_plan'));
  expect(planners[0]!.system).toContain('Choosing the pattern');
  const tool = (planners[0]!.body.tools as { name: string; input_schema: { properties: Record<string, unknown> } }[]).find((t) => t.name === 'submit_plan')!;
  expect(Object.keys(tool.input_schema.properties)).toContain('pattern');
  // The malformed pattern went back to the model naming the field, and it answered again.
  expect(planners.some((r) => r.lastToolResults.some((t) => t.isError && /pattern\.kind/.test(t.content)))).toBe(true);

  expect(done.objectives[0]!.pattern).toEqual({ kind: 'parallel', why: 'Docs and benchmarks are independent angles.', by: 'planner' });
  expect(done.objectives[1]!.pattern).toMatchObject({ kind: 'consensus', by: 'planner', mismatch: 'no task has consensus' });
  expect(renderStatus(done)).toContain('pattern: consensus (planner; does not match the plan) — The team should agree. (but no task has consensus');
}, 120_000);

import { buildReport, renderReport } from '../../src/client/report';
import { call, reply, submitPlan, submitReport, submitSynthesis, type FakeAnthropic, type FakeRequest, type FakeReply } from '../support/fake-anthropic';
import { scanHistory } from '../support/secret-scan';
import { settled, uniqueProject, waitForStatus, type WorkflowEnv } from '../support/workflow-env';
import { anthropicWorkflowEnv } from '../support/anthropic-workflow-env';

const KEY = 'sk-' + 'ant-test-1111111111111111111111111111111111';
const ANSWERS: Record<string, string> = {
  'claude-model-a': 'Postgres: relational, and the team knows it',
  'claude-model-b': 'PostgreSQL, for its JSON columns',
  'claude-model-c': 'SQLite: one file is enough for a bakery',
};

/** The fake model: a planner asking for a 3-agent consensus (one model each), three researchers, a comparator that reads the answers. */
function model(req: FakeRequest): FakeReply {
  if (req.toolNames.includes('submit_plan')) {
    return submitPlan([
      {
        key: 'pick-db',
        role: 'researcher',
        mission: 'Which database should the bakery shop use?',
        dependsOn: [],
        successCriteria: ['one database, with a reason'],
        consensus: { agents: 3, models: Object.keys(ANSWERS) },
      },
    ]);
  }
  if (req.toolNames.includes('submit_comparison')) {
    // Read the answers the way a model would: from the request, by id.
    const answers = JSON.parse(/Their answers:\n\n([\s\S]*?)\n\nCompare them/.exec(req.firstUserText)![1]!) as { agentId: string; agent: string; answer: string }[];
    const postgres = answers.filter((a) => /postgres/i.test(a.answer));
    return reply(
      call('submit_comparison', {
        agreed: ['A relational store fits the shop'],
        conflicts: [{ topic: 'Server or file', positions: answers.map((a) => ({ agentId: a.agentId, position: a.answer })) }],
        resolved: 'Postgres',
        supporters: postgres.map((a) => a.agentId),
        rationale: 'Two of three name Postgres in different words; SQLite is the outlier.',
      }),
    );
  }
  if (req.toolNames.includes('submit_synthesis')) return submitSynthesis({ agreements: ['Postgres'] });
  const answer = ANSWERS[req.body.model as string];
  return answer ? submitReport({ summary: answer }) : submitReport({ status: 'failure', summary: `unexpected request for ${req.body.model}` });
}

let env: WorkflowEnv;
let fake: FakeAnthropic;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ env, fake, close } = await anthropicWorkflowEnv(model, KEY));
});
afterAll(async () => close?.());

test('anthropic runtime: the planner asks for consensus, three agents answer on their own models, a model compares them by meaning', async () => {
  const project = uniqueProject('consensus-llm');
  await env.baton.start(project, { config: { runtime: 'anthropic', maxAgents: 3 }, objectives: ['Choose the database'] });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1, 90_000);
  const task = done.tasks[0]!;
  expect(task).toMatchObject({ status: 'completed', outcome: 'Postgres' });
  expect(task.consensus!.members.map((m) => m.model)).toEqual(Object.keys(ANSWERS));

  // Each member called the API with its own model; the comparison was one more call with submit_comparison.
  const researchers = fake.requests.filter((r) => r.toolNames.includes('submit_report'));
  expect(researchers.map((r) => r.body.model).sort()).toEqual(Object.keys(ANSWERS));
  const comparisons = fake.requests.filter((r) => r.toolNames.includes('submit_comparison'));
  expect(comparisons).toHaveLength(1);
  expect(comparisons[0]!.firstUserText).toContain('Mission: Which database should the bakery shop use?');

  const context = await env.baton.context(project);
  const decision = context.baton.decisions.find((d) => d.kind === 'consensus')!;
  const members = context.baton.agents.filter((a) => a.taskId === task.id);
  expect(decision.consensus).toMatchObject({ by: 'llm', resolvedBy: 'quorum', quorum: 2, agreed: ['A relational store fits the shop'], supporters: [members[0]!.id, members[1]!.id] });
  expect(decision.consensus!.agreement).toBeCloseTo(2 / 3);
  expect(decision.consensus!.conflicts[0]!.positions.map((p) => p.agent)).toEqual(members.map((m) => m.name));
  expect(decision.rationale).toContain('SQLite is the outlier');
  // The comparison's tokens are billed to the task, on top of its members'.
  const membersTokens = members.reduce((n, a) => n + a.spent.tokens, 0);
  expect(context.baton.tasks[0]!.spent.tokens).toBeGreaterThan(membersTokens);

  const report = renderReport(buildReport(done, context, new Date().toISOString()));
  expect(report).toContain('agreement 67%, quorum 2 of 3 — quorum met; compared by a model');
  const history = await env.baton.client.workflow.getHandle(`baton/${project}`).fetchHistory();
  expect(scanHistory({ namespace: 'default', workflowId: `baton/${project}`, runId: '', history }, { patterns: [], literals: [KEY] }).findings).toEqual([]);
});

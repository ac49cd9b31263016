import type { StatusView, TaskView } from '../../src/shared/status';
import { call, fault, reply, say, startFakeAnthropic, submitPlan, submitReport, submitSynthesis, withUsage, type FakeAnthropic, type FakeReply, type FakeRequest } from '../support/fake-anthropic';
import { TEST_API_KEY } from '../support/fake-anthropic/harness';
import { settled, uniqueProject, waitForStatus, workflowEnv, type WorkflowEnv } from '../support/workflow-env';

// Malformed agent and LLM output from the fake Messages API: every row ends in a clear error naming what was wrong
// (or, for valid unicode and oversized output, in a completed task), and the orchestration keeps answering `status`.

const FIVE_MB = 5 * 1024 * 1024;
const UNICODE = 'Готово · 完成しました · ñandú · עברית · 🍞🥐 · Ω≈ç√∫';

/** One malformed model output: the fake's answer to the specialist whose mission carries `marker`, and what must follow. */
interface Row {
  input: string;
  marker: string;
  answer: (req: FakeRequest) => FakeReply;
  /** What the task shows afterwards: its status and a fragment of its error (or outcome). */
  status: TaskView['status'];
  expected: RegExp;
  /** Checks on what the model was sent back (a repair request naming the problem). */
  sentBack?: RegExp;
}

const repaired = (req: FakeRequest) => req.lastToolResults.some((r) => r.isError);
const wrongTypes = { status: 'done', summary: 42, artifacts: 'index.html', claims: [1, 2] };

const ROWS: Row[] = [
  { input: 'a body that is not valid JSON, on every attempt', marker: 'm-json', answer: () => fault.malformed(), status: 'failed', expected: /Anthropic API (sent a body that is not valid JSON|response could not be read)/ },
  { input: 'a message with negative token counts', marker: 'm-usage', answer: () => withUsage(submitReport(), { input_tokens: -5 }), status: 'failed', expected: /response is not a message: usage\.input_tokens/ },
  { input: 'a message whose stop_reason is a number', marker: 'm-stop', answer: () => ({ ...submitReport(), stopReason: 42 as unknown as string }), status: 'failed', expected: /response is not a message: stop_reason/ },
  { input: 'a report with wrong field types, twice', marker: 'm-types', answer: () => submitReport(wrongTypes), status: 'failed', expected: /the report is invalid: status: .*; summary: .*expected string/, sentBack: /the report is invalid: status:/ },
  { input: 'a report missing status and summary, twice', marker: 'm-missing', answer: () => reply(call('submit_report', { artifacts: [] })), status: 'failed', expected: /the report is invalid: status: .*; summary:/ },
  { input: 'a report with wrong types, then a corrected one', marker: 'm-repair', answer: (req) => submitReport(repaired(req) ? { summary: 'Fixed after the repair request' } : wrongTypes), status: 'completed', expected: /Fixed after the repair request/, sentBack: /summary: .*expected string/ },
  { input: 'a tool call with its required input missing', marker: 'm-tool', answer: (req) => (req.lastToolResults.length ? submitReport({ summary: 'Recovered from a bad tool call' }) : reply(call('read_file', {}))), status: 'completed', expected: /Recovered from a bad tool call/, sentBack: /path/ },
  { input: 'a call to a tool that does not exist', marker: 'm-unknown-tool', answer: (req) => (req.lastToolResults.length ? submitReport({ summary: 'Used the right tool' }) : reply(call('delete_everything', { path: '/' }))), status: 'completed', expected: /Used the right tool/, sentBack: /delete_everything/ },
  { input: 'a 5 MB report summary', marker: 'm-5mb-report', answer: () => submitReport({ summary: 'r'.repeat(FIVE_MB) }), status: 'completed', expected: /artifact [0-9a-f]{64}/ },
  { input: '5 MB of plain text, then a report', marker: 'm-5mb-text', answer: (req) => (req.body?.messages?.length > 1 ? submitReport({ summary: 'Said a lot, then reported' }) : reply(say('t'.repeat(FIVE_MB)))), status: 'completed', expected: /Said a lot, then reported/ },
  { input: 'a report in unicode', marker: 'm-unicode', answer: () => submitReport({ summary: UNICODE, insights: [`${UNICODE} insight`] }), status: 'completed', expected: new RegExp(UNICODE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) },
  { input: 'a report with control characters', marker: 'm-control', answer: () => submitReport({ summary: 'Done\u0000 with \u001b[31mred\u001b[0m text\u0007 and a tab\t' }), status: 'completed', expected: /Done/ },
];

/** Objectives whose planner (or the session's synthesizer) misbehaves. */
const PLAN_ROWS = [
  { input: 'a plan with a dependency cycle, twice', marker: '(p-cycle)', expected: /the plan is invalid: dependency cycle a → b → a/ },
  { input: 'a plan with a bad key and an unknown role, twice', marker: '(p-types)', expected: /the plan is invalid: tasks\.0\.key: key must be lowercase.*; tasks\.0\.role:/ },
  { input: 'a planner reply that is not valid JSON, on every attempt', marker: '(p-json)', expected: /Anthropic API (sent a body that is not valid JSON|response could not be read)/ },
];

function model(req: FakeRequest): FakeReply {
  const text = req.firstUserText;
  if (req.toolNames.includes('submit_plan')) {
    if (text.includes('(p-cycle)')) return submitPlan([{ key: 'a', role: 'analyst', mission: 'A', dependsOn: ['b'] }, { key: 'b', role: 'analyst', mission: 'B', dependsOn: ['a'] }]);
    if (text.includes('(p-types)')) return submitPlan([{ key: 'Bad Key', role: 'wizard', mission: 'Cast a spell' }]);
    if (text.includes('(p-json)')) return fault.malformed();
    return submitPlan(ROWS.map((r) => ({ key: r.marker, role: 'researcher', mission: `Handle row ${r.marker}` })));
  }
  if (req.toolNames.includes('submit_synthesis')) return submitSynthesis({ decisions: 'ship it', agreements: [42] });
  const row = ROWS.find((r) => text.includes(`row ${r.marker}\n`));
  return row ? row.answer(req) : submitReport({ status: 'failure', summary: `unexpected request: ${text.slice(0, 80)}` });
}

let env: WorkflowEnv;
let fake: FakeAnthropic;
let done: StatusView;
const project = uniqueProject('bad-llm');
const saved = { url: process.env.ANTHROPIC_BASE_URL, key: process.env.ANTHROPIC_API_KEY };

beforeAll(async () => {
  fake = await startFakeAnthropic(model, { apiKey: TEST_API_KEY });
  process.env.ANTHROPIC_BASE_URL = fake.url;
  process.env.ANTHROPIC_API_KEY = TEST_API_KEY;
  env = await workflowEnv();
  await env.startWorkers();
  const objectives = ['Handle every malformed output row', ...PLAN_ROWS.map((r) => `Plan this objective ${r.marker}`)];
  await env.baton.start(project, { config: { runtime: 'anthropic', maxAgents: ROWS.length }, objectives });
  done = await waitForStatus(env.baton, project, (s) => settled(s) && s.tasks.length === ROWS.length, 90_000);
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  process.env.ANTHROPIC_BASE_URL = saved.url;
  process.env.ANTHROPIC_API_KEY = saved.key;
});

async function expectStillRunning(): Promise<void> {
  expect((await env.baton.client.workflow.getHandle(`baton/${project}`).describe()).status.name).toBe('RUNNING');
  expect((await env.baton.status(project)).project).toBe(project);
}

describe('agent output', () => {
  test.each(ROWS)('$input', async (row) => {
    const task = done.tasks.find((t) => t.mission === `Handle row ${row.marker}`);
    expect(task?.status).toBe(row.status);
    expect(row.status === 'failed' ? task?.error : task?.outcome).toMatch(row.expected);
    if (row.sentBack) {
      const repairs = fake.requests.filter((r) => r.firstUserText.includes(`row ${row.marker}\n`)).flatMap((r) => r.lastToolResults.filter((t) => t.isError));
      expect(repairs.map((t) => t.content).join('\n')).toMatch(row.sentBack);
    }
    await expectStillRunning();
  });
});

describe('planner and synthesizer output', () => {
  test.each(PLAN_ROWS)('$input', async (row) => {
    const objective = done.objectives.find((o) => o.description.includes(row.marker));
    expect(objective?.status).toBe('failed');
    expect(objective?.error).toMatch(row.expected);
    await expectStillRunning();
  });

  test('a synthesis with wrong field types, twice', async () => {
    const insights = (await env.baton.context(project)).key_insights;
    expect(insights.find((i) => i.startsWith('Synthesis of session 1 failed'))).toMatch(/the synthesis is invalid: .*(agreements|decisions)/);
    await expectStillRunning();
  });
});

test('oversized output stays out of history; unicode comes through intact', async () => {
  const history = await env.baton.client.workflow.getHandle(`baton/${project}`).fetchHistory();
  expect(JSON.stringify(history).length).toBeLessThan(1024 * 1024);
  const context = await env.baton.context(project);
  expect(context.completed_tasks.map((t) => t.outcome)).toContain(UNICODE);
  expect(context.key_insights).toContain(`${UNICODE} insight`);
});

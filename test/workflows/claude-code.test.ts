import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { call, fault, reply, startFakeAnthropic, structured, structuredReport, withUsage, type FakeAnthropic, type FakeReply, type FakeRequest } from '../support/fake-anthropic';
import { claudeProcesses } from '../support/fake-anthropic/claude-code';
import { costOf } from '../../src/agents/prices';
import { scanHistory } from '../support/secret-scan';
import { settled, uniqueProject, waitForStatus, workflowEnv, type WorkflowEnv } from '../support/workflow-env';

// A whole orchestration on `runtime: claude-code`: the real Claude Code binary for planner, agents and synthesizer,
// talking to the fake Messages API through ANTHROPIC_BASE_URL, on the shared Temporal dev server.
const KEY = 'sk-' + 'ant-test-claude-code-0000000000000000000000';

const researcherCalls = new Map<string, number>();
const TURN_USAGE = { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const TURN_USD = 0.003;

function model(req: FakeRequest): FakeReply {
  const conversation = JSON.stringify(req.body.messages);
  if (req.system.includes('Role: planner') && conversation.includes('Stop me midway')) {
    return structured({ tasks: [{ key: 'slow', role: 'developer', mission: 'Hang on purpose', dependsOn: [], successCriteria: ['never'] }] });
  }
  // Whether the agent already called a tool is read from the conversation itself (Claude Code may add text after tool results).
  if (conversation.includes('Hang on purpose')) return conversation.includes('"name":"Glob"') ? fault.hang() : reply(call('Glob', { pattern: '**/*' }));
  if (req.system.includes('Role: planner') && conversation.includes('Spend together')) {
    return structured({ tasks: [1, 2, 3].map((n) => ({ key: `spend-${n}`, role: 'developer', mission: `Spend forever ${n}`, dependsOn: [], successCriteria: ['never'] })) });
  }
  // Each turn of these agents costs exactly $0.003 on claude-sonnet-5-5 (1000 × $2 + 100 × $10 per million).
  if (conversation.includes('Spend forever')) return withUsage(reply(call('Glob', { pattern: '**/*' })), TURN_USAGE);
  if (req.system.includes('Role: planner')) {
    return structured({
      tasks: [
        { key: 'research', role: 'researcher', mission: 'Research what the bakery homepage needs', dependsOn: [], successCriteria: ['three needs'] },
        { key: 'build', role: 'developer', mission: 'Write site/index.html from the research', dependsOn: ['research'], successCriteria: ['valid html'] },
      ],
    });
  }
  if (req.system.includes('Role: synthesizer')) return structured({ agreements: ['Opening hours go first'], conflicts: [], patterns: [], unknowns: [], insights: [], decisions: [] });
  const project = /on project "([^"]+)"/.exec(JSON.stringify(req.body.messages))?.[1] ?? '?';
  if (req.system.includes('Role: researcher')) {
    // First attempt: a tool call, then the API fails; Temporal retries and the retry resumes the session.
    const n = (researcherCalls.get(project) ?? 0) + 1;
    researcherCalls.set(project, n);
    if (n === 1) return reply(call('Glob', { pattern: '**/*' }));
    if (n === 2) return fault.serverError();
    return structuredReport({ summary: "Visitors want hours, address, today's bakes", insights: ['Opening hours go first'] });
  }
  if (req.system.includes('Role: developer')) {
    if (!conversation.includes('"name":"Write"')) return reply(call('Write', { file_path: 'site/index.html', content: '<h1>Crumb &amp; Co.</h1><p>Open 7–15</p>\n' }));
    return structuredReport({ summary: 'Wrote site/index.html', artifacts: ['site/index.html'], claims: ['page has opening hours'] });
  }
  return structuredReport({ status: 'failure', summary: `unexpected request: ${req.system.slice(0, 80)}` });
}

let env: WorkflowEnv;
let fake: FakeAnthropic;
const saved = { url: process.env.ANTHROPIC_BASE_URL, key: process.env.ANTHROPIC_API_KEY, config: process.env.CLAUDE_CONFIG_DIR };

beforeAll(async () => {
  fake = await startFakeAnthropic(model, { apiKey: KEY });
  process.env.ANTHROPIC_BASE_URL = fake.url;
  process.env.ANTHROPIC_API_KEY = KEY;
  process.env.CLAUDE_CONFIG_DIR = fs.mkdtempSync(path.join(tmpdir(), 'baton-claude-config-'));
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  for (const [name, value] of [['ANTHROPIC_BASE_URL', saved.url], ['ANTHROPIC_API_KEY', saved.key], ['CLAUDE_CONFIG_DIR', saved.config]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

test('planner, agents and synthesizer run on Claude Code; a failed attempt is retried in its session and its spend is in the ledger', async () => {
  const project = uniqueProject('cc');
  await env.baton.start(project, { config: { runtime: 'claude-code', budget: { maxUsd: 5 } }, objectives: ['Build the bakery homepage'] });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1, 150_000);

  expect(done.objectives[0]!.status).toBe('completed');
  expect(done.tasks.map((t) => [t.role, t.status])).toEqual([
    ['researcher', 'completed'],
    ['developer', 'completed'],
  ]);
  expect(fs.readFileSync(path.join(env.dataDir, project, 'workspace', 'site/index.html'), 'utf8')).toContain('Open 7–15');

  // The retry resumed the first attempt's session: its request carries the first attempt's tool call.
  const research = fake.requests.filter((r) => r.system.includes('Role: researcher') && JSON.stringify(r.body.messages).includes(project));
  expect(research).toHaveLength(3);
  expect(JSON.stringify(research[2]!.body.messages)).toContain('Glob');

  // What the attempt that failed had spent counts in the ledger, and the total is what was billed: every answered
  // request of this project (planner, agents, the failed attempt, synthesizer) at Claude Code's list prices.
  const billed = fake.requests
    .filter((r) => r.answered && JSON.stringify(r.body.messages).includes(project))
    .reduce((sum, r) => {
      const u = r.answered!;
      return sum + costOf(String(r.body.model), { inputTokens: u.input_tokens, outputTokens: u.output_tokens, cacheWriteTokens: u.cache_creation_input_tokens, cacheReadTokens: u.cache_read_input_tokens }).costUsd;
    }, 0);
  expect(done.spent.costUsd).toBeCloseTo(billed, 5);
  expect(done.spent.costUsd).toBeGreaterThan(0);
  expect(done.spent.failedUsd ?? 0).toBeGreaterThan(0);
  const researcher = done.team.find((a) => a.role === 'researcher')!;
  expect(researcher.spent.failedUsd ?? 0).toBeGreaterThan(0);
  const context = await env.baton.context(project);
  expect(context.baton.agents.every((a) => a.simulated === false && a.runtime === 'claude-code')).toBe(true);

  // The key is in no request body and nowhere in history.
  expect(fake.requests.every((r) => r.apiKey === KEY && !r.raw.includes(KEY))).toBe(true);
  const history = await env.baton.client.workflow.getHandle(`baton/${project}`).fetchHistory();
  const fetched = { namespace: 'default', workflowId: `baton/${project}`, runId: '', history };
  expect(scanHistory(fetched, { patterns: [], literals: [KEY] }).findings).toEqual([]);
});

test('a stop mid-agent ends the Claude Code process within 5 s and the stopped attempt\'s spend is counted', async () => {
  const project = uniqueProject('ccstop');
  await env.baton.start(project, { config: { runtime: 'claude-code' }, objectives: ['Stop me midway'] });
  const hanging = () => fake.requests.filter((r) => JSON.stringify(r.body.messages).includes('Hang on purpose') && JSON.stringify(r.body.messages).includes('"name":"Glob"'));
  for (let i = 0; i < 600 && hanging().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(hanging()).toHaveLength(1);
  const pids = claudeProcesses();
  expect(pids.length).toBeGreaterThan(0);
  const running = await waitForStatus(env.baton, project, (s) => s.tasks.some((t) => t.status === 'running'), 30_000);
  const stoppedAt = Date.now();
  await env.baton.stop(project, {});
  while (pids.some(alive) && Date.now() - stoppedAt < 5000) await new Promise((r) => setTimeout(r, 50));
  expect(pids.filter(alive)).toEqual([]);
  const stopped = await waitForStatus(env.baton, project, (s) => s.tasks.every((t) => t.status !== 'running') && (s.spent.failedUsd ?? 0) > 0, 30_000);
  expect(running.tasks).toHaveLength(1);
  // The stopped attempt's Glob turn was billed: it is in the ledger as failed spend.
  expect(stopped.spent.failedUsd).toBeGreaterThan(0);
  expect(stopped.spent.costUsd).toBeGreaterThanOrEqual(stopped.spent.failedUsd!);
});

test('agents spending at once share the budget: together they overshoot it by at most one turn per agent started', async () => {
  const project = uniqueProject('ccshare');
  const maxUsd = 0.03;
  await env.baton.start(project, { config: { runtime: 'claude-code', maxAgents: 3, budget: { maxUsd } }, objectives: ['Spend together'] });
  const done = await waitForStatus(env.baton, project, (s) => s.tasks.length === 3 && s.pendingDecisions.some((d) => d.kind === 'budget') && s.tasks.every((t) => t.status !== 'running'), 120_000);
  // Each agent started got an equal share of the room left; one stopped at its share while room was left is started again.
  const starts = fake.requests.filter((r) => JSON.stringify(r.body.messages).includes('Spend forever') && JSON.stringify(r.body.messages).includes(project) && !JSON.stringify(r.body.messages).includes('"type":"tool_use"')).length;
  expect(starts).toBeGreaterThanOrEqual(3);
  expect(done.spent.costUsd).toBeGreaterThan(maxUsd * 0.9);
  expect(done.spent.costUsd).toBeLessThanOrEqual(maxUsd + starts * TURN_USD + 1e-9);
  // Without sharing, each of the three would have been allowed the whole room: up to three times the budget.
  expect(done.spent.costUsd).toBeLessThan(maxUsd * 2);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { call, reply, submitPlan, submitReport, submitSynthesis, type FakeAnthropic, type FakeRequest, type FakeReply } from '../support/fake-anthropic';
import { scanHistory } from '../support/secret-scan';
import { settled, uniqueProject, waitForStatus, type WorkflowEnv } from '../support/workflow-env';
import { anthropicWorkflowEnv } from '../support/anthropic-workflow-env';

const KEY = 'sk-' + 'ant-test-0000000000000000000000000000000000';

/** The fake model: a planner, a researcher, a developer that writes a file, a reviewer that reads it, a synthesizer. */
function model(req: FakeRequest): FakeReply {
  const answered = req.lastToolResults.length > 0;
  if (req.toolNames.includes('submit_plan')) {
    return submitPlan([
      { key: 'research', role: 'researcher', mission: 'Research what the bakery homepage needs', dependsOn: [], successCriteria: ['three needs'] },
      { key: 'build', role: 'developer', mission: 'Write site/index.html from the research', dependsOn: ['research'], successCriteria: ['valid html'] },
      { key: 'review', role: 'reviewer', mission: 'Review site/index.html', dependsOn: ['build'], successCriteria: ['verdict'] },
    ]);
  }
  if (req.toolNames.includes('submit_synthesis')) {
    return submitSynthesis({ agreements: ['Opening hours go first'], decisions: [{ question: 'Ship the homepage?', choice: 'ship', rationale: 'Review passed', needsPerson: false }] });
  }
  if (req.firstUserText.includes('Research what the bakery')) {
    return submitReport({ summary: 'Visitors want hours, address, today\'s bakes', insights: ['Opening hours go first'] });
  }
  if (req.firstUserText.includes('Write site/index.html')) {
    if (!answered) return reply(call('write_file', { path: 'site/index.html', content: '<h1>Crumb &amp; Co.</h1><p>Open 7–15</p>' }));
    return submitReport({ summary: 'Wrote site/index.html', artifacts: ['site/index.html'], claims: ['page has opening hours'] });
  }
  if (req.firstUserText.includes('Review site/index.html')) {
    if (!answered) return reply(call('read_file', { path: 'site/index.html' }));
    const seen = req.lastToolResults[0]?.content ?? '';
    return submitReport({ summary: seen.includes('Open 7–15') ? 'Accepted: hours are on the page' : 'Rejected: no hours', reflections: ['Read the file before judging'] });
  }
  return submitReport({ status: 'failure', summary: `unexpected request: ${req.firstUserText.slice(0, 80)}` });
}

let env: WorkflowEnv;
let fake: FakeAnthropic;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ env, fake, close } = await anthropicWorkflowEnv(model, KEY));
});
afterAll(async () => close?.());

test('planner, specialists and synthesizer all run on the anthropic runtime, with tools that really edit the workspace', async () => {
  const project = uniqueProject('claude');
  await env.baton.start(project, { config: { runtime: 'anthropic', budget: { maxUsd: 5 } }, objectives: ['Build the bakery homepage'] });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1, 90_000);

  expect(done.objectives[0]!.status).toBe('completed');
  expect(done.tasks.map((t) => [t.role, t.status])).toEqual([
    ['researcher', 'completed'],
    ['developer', 'completed'],
    ['reviewer', 'completed'],
  ]);
  expect(done.tasks[2]!.outcome).toContain('Accepted: hours are on the page');
  const html = fs.readFileSync(path.join(env.dataDir, project, 'workspace', 'site/index.html'), 'utf8');
  expect(html).toContain('Open 7–15');

  // Cost ledger: every call's usage is counted per agent and in total; the models come from the role defaults.
  expect(done.spent.tokens).toBeGreaterThan(0);
  expect(done.spent.costUsd).toBeGreaterThan(0);
  expect(done.team.every((a) => a.spent.tokens > 0)).toBe(true);
  const context = await env.baton.context(project);
  expect(context.baton.agents.map((a) => a.model)).toEqual(['claude-sonnet-5-5', 'claude-sonnet-5-5', 'claude-sonnet-5-5']);
  expect(context.baton.agents.every((a) => a.simulated === false && typeof a.transcript === 'string')).toBe(true);
  expect(context.baton.decisions.map((d) => d.choice)).toEqual(['ship']);

  // Prompt caching on the system prompt, the real SDK talking, and the key never in any body or history.
  expect(fake.requests.some((r) => JSON.stringify(r.body.system).includes('cache_control'))).toBe(true);
  expect(fake.requests.every((r) => r.apiKey === KEY && !r.raw.includes(KEY))).toBe(true);
  const history = await env.baton.client.workflow.getHandle(`baton/${project}`).fetchHistory();
  // The scan decodes every payload: it finds the objective's text, and not the key.
  const fetched = { namespace: 'default', workflowId: `baton/${project}`, runId: '', history };
  expect(scanHistory(fetched, { patterns: [], literals: ['Build the bakery homepage'] }).findings.length).toBeGreaterThan(0);
  expect(scanHistory(fetched, { patterns: [], literals: [KEY] }).findings).toEqual([]);
});

test('a rejected API key becomes an escalation, not a retry loop; fixing it and answering retry finishes the work', async () => {
  const project = uniqueProject('badkey');
  process.env.ANTHROPIC_API_KEY = 'sk-' + 'ant-wrong-key-000000000000000000000000';
  const before = fake.requests.length;
  try {
    await env.baton.start(project, { config: { runtime: 'anthropic' }, objectives: ['Build the bakery homepage'] });
    const waiting = await waitForStatus(env.baton, project, (s) => s.phase === 'idle' && s.pendingDecisions.length === 1, 60_000);
    const escalation = waiting.pendingDecisions[0]!;
    expect(escalation.kind).toBe('escalation');
    expect(escalation.question).toMatch(/401|ANTHROPIC_API_KEY/);
    expect(escalation.question.includes('sk-' + 'ant-wrong')).toBe(false);
    expect(waiting.objectives[0]!.status).toBe('pending');
    // One planner call, no retries against a key that cannot work.
    expect(fake.requests.length - before).toBe(1);

    process.env.ANTHROPIC_API_KEY = KEY;
    await expect(env.baton.decide(project, { decisionId: escalation.id, choice: 'ignore' })).rejects.toThrow(/"retry" or "stop"/);
    await env.baton.decide(project, { decisionId: escalation.id, choice: 'retry' });
    const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.tasks.length === 3, 90_000);
    expect(done.objectives[0]!.status).toBe('completed');
  } finally {
    process.env.ANTHROPIC_API_KEY = KEY;
  }
});

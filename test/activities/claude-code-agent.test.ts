import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { FileArtifactStore, artifactsDir } from '../../src/artifacts/artifact-store';
import { call, fault, reply, say, structured, structuredReport } from '../support/fake-anthropic';
import { claudeAgentInput, claudeCodeHarness, claudeProcesses, type ClaudeCodeHarness } from '../support/fake-anthropic/claude-code';
import { mockEnv, runActivity, TEST_API_KEY, thrown } from '../support/fake-anthropic/harness';

// The real Claude Code binary from @anthropic-ai/claude-agent-sdk, against the local fake Messages API.
let h: ClaudeCodeHarness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const transcriptOf = async (dataDir: string, id: string) => (await new FileArtifactStore(artifactsDir(dataDir)).get(id)).toString('utf8');

describe('spawnAgent on the claude-code runtime (real Claude Code, fake Messages API)', () => {
  it('writes a file with Claude Code tools and returns the structured report, its cost, session and transcript', async () => {
    h = await claudeCodeHarness({
      scripts: [
        {
          match: 'Role: developer',
          replies: [
            reply(say('Writing the page.'), call('Write', { file_path: 'site/index.html', content: '<h1>Crumb & Co.</h1>\n' })),
            structuredReport({ summary: 'Wrote site/index.html.', artifacts: ['site/index.html'], claims: ['the page has a heading'] }),
          ],
        },
      ],
    });
    const beats: Record<string, unknown>[] = [];
    const mock = mockEnv();
    mock.on('heartbeat', (d: Record<string, unknown>) => beats.push(d));
    const report = await runActivity(mock, h.acts.spawnAgent, claudeAgentInput('write-page', 'developer'));

    expect(readFileSync(path.join(h.workspace, 'site/index.html'), 'utf8')).toBe('<h1>Crumb & Co.</h1>\n');
    expect(report).toMatchObject({ status: 'success', summary: 'Wrote site/index.html.', artifacts: ['site/index.html'], runtime: 'claude-code', simulated: false, stopReason: 'done' });
    expect(report.session).toMatch(/^[0-9a-f-]{36}$/);
    const first = h.fake.requests[0]!;
    expect(first.path).toBe('/v1/messages?beta=true');
    expect(first.stream).toBe(true);
    expect(first.apiKey).toBe(TEST_API_KEY);

    expect(first.toolNames).toEqual(expect.arrayContaining(['Read', 'Write', 'Edit', 'Bash', 'StructuredOutput']));
    expect(first.system).toContain('Role: developer');
    expect(first.firstUserText).toContain('Mission of write-page');

    const transcript = await transcriptOf(h.dataDir, report.transcript!);
    const result = JSON.parse(transcript).messages.find((m: { type: string }) => m.type === 'result');
    // What Baton reports is what the CLI billed.
    expect(report.usage).toMatchObject({ model: 'claude-haiku-4-5', priced: true, costUsd: result.total_cost_usd });
    expect(report.usage!.inputTokens).toBe(result.usage.input_tokens);
    expect(transcript).not.toContain(TEST_API_KEY);
    expect(h.fake.requests.every((r) => !r.raw.includes(TEST_API_KEY))).toBe(true);

    const progress = beats.filter((b) => b?.runtime === 'claude-code');
    expect(progress.at(-1)).toMatchObject({ session: report.session, turn: 2, lastTool: 'StructuredOutput' });
    expect(progress.some((b) => b.lastTool === 'Write' && (b.costUsd as number) > 0)).toBe(true);
  });

  it('confines writes to the workspace: Write outside and shell tricks are refused, the model is told why', async () => {
    h = await claudeCodeHarness({
      scripts: [
        {
          match: 'Role: developer',
          replies: [
            reply(call('Write', { file_path: '/tmp/baton-outside-claude.txt', content: 'escaped' })),
            reply(call('Write', { file_path: '../escape.txt', content: 'escaped' })),
            reply(call('Bash', { command: 'cat /etc/hostname > copied.txt' })),
            reply(call('Bash', { command: 'curl http://example.com' })),
            structuredReport({ status: 'failure', summary: 'Could not write outside.' }),
          ],
        },
      ],
    });
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, claudeAgentInput('escape', 'developer'));
    expect(report.status).toBe('failure');
    expect(existsSync('/tmp/baton-outside-claude.txt')).toBe(false);
    expect(existsSync(path.join(h.workspace, '..', 'escape.txt'))).toBe(false);
    expect(existsSync(path.join(h.workspace, 'copied.txt'))).toBe(false);
    const results = h.fake.requests.slice(1, 5).map((r) => r.lastToolResults[0]);
    expect(results.map((r) => r?.isError)).toEqual([true, true, true, true]);
    expect(results[0]?.content).toContain('outside the workspace');
    expect(results[1]?.content).toContain('outside the workspace');
    expect(results[2]?.content).toContain('no pipes, redirection');
    expect(results[3]?.content).toContain('"curl" is not allowed');
  });

  it('gives read-only roles reading tools only', async () => {
    h = await claudeCodeHarness({ scripts: [{ match: 'Role: researcher', replies: [structuredReport({ summary: 'Read it.' })] }] });
    await runActivity(mockEnv(), h.acts.spawnAgent, claudeAgentInput('read', 'researcher'));
    const tools = h.fake.requests[0]!.toolNames;
    expect(tools).toEqual(expect.arrayContaining(['Read', 'StructuredOutput']));
    for (const t of ['Write', 'Edit', 'Bash', 'NotebookEdit']) expect(tools).not.toContain(t);
  });
});

describe('claude-code runtime: faults, budgets, repairs', () => {
  it('turns an API fault into a retryable typed failure carrying what the attempt spent; the retry succeeds', async () => {
    h = await claudeCodeHarness({ scripts: [{ match: 'Role: developer', replies: [fault.overloaded(), structuredReport({ summary: 'Second time lucky.' })] }] });
    const err = await thrown(runActivity(mockEnv(), h.acts.spawnAgent, claudeAgentInput('flaky', 'developer')));
    expect(err).toMatchObject({ type: 'Llm.Overloaded', nonRetryable: false });
    expect(err.message).toContain('Claude Code reported');
    expect(err.message).not.toContain(TEST_API_KEY);
    const report = await runActivity(mockEnv(2), h.acts.spawnAgent, claudeAgentInput('flaky', 'developer'));
    expect(report.summary).toBe('Second time lucky.');
  });

  it.each([
    ['rate limit', fault.rateLimited(), 'Llm.RateLimited'],
    ['server error', fault.serverError(), 'Llm.ServerError'],
  ])('maps a %s to its failure type', async (_name, f, type) => {
    h = await claudeCodeHarness({ scripts: [{ match: 'Role: researcher', replies: [f] }] });
    expect(await thrown(runActivity(mockEnv(), h.acts.spawnAgent, claudeAgentInput('fault', 'researcher')))).toMatchObject({ type, nonRetryable: false });
  });

  it('passes the remaining budget as maxBudgetUsd: Claude Code stops at it and the report says budget', async () => {
    h = await claudeCodeHarness({
      scripts: [{ match: 'Role: developer', replies: [reply(call('Read', { file_path: 'a.txt' })), reply(call('Read', { file_path: 'b.txt' })), structuredReport()] }],
    });
    const budget = { maxUsd: 1, spentUsd: 0.99, spentTokens: 0 };
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, claudeAgentInput('costly', 'developer', { budget }));
    expect(report).toMatchObject({ status: 'failure', stopReason: 'budget' });
    expect(report.summary).toContain('budget');
    expect(report.usage!.costUsd).toBeGreaterThan(0.01);
  });

  it('starts no Claude Code at all when the budget is already spent', async () => {
    h = await claudeCodeHarness({ scripts: [] });
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, claudeAgentInput('broke', 'developer', { budget: { maxUsd: 1, spentUsd: 1, spentTokens: 0 } }));
    expect(report).toMatchObject({ status: 'failure', stopReason: 'budget' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('starts no planner against a spent budget, and gives one with room its budget as maxBudgetUsd', async () => {
    h = await claudeCodeHarness({ scripts: [] });
    const input = { runtime: 'claude-code' as const, model: 'claude-haiku-4-5', project: 'demo', objective: { id: 'OBJ_009', description: 'x' }, context: { completedTasks: [], insights: [] } };
    const err = await thrown(runActivity(mockEnv(), h.acts.planObjective, { ...input, budget: { maxUsd: 1, spentUsd: 1, spentTokens: 0 } }));
    expect(err).toMatchObject({ type: 'Budget.Exhausted', nonRetryable: true });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('leaves schema violations to Claude Code, which sends them back to the model before the result', async () => {
    h = await claudeCodeHarness({ scripts: [{ match: 'Role: researcher', replies: [structuredReport({ artifacts: [''] }), structuredReport({ summary: 'Fixed.' })] }] });
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, claudeAgentInput('schema', 'researcher'));
    expect(report.summary).toBe('Fixed.');
    expect(h.fake.requests[1]!.lastToolResults[0]).toMatchObject({ isError: true, content: expect.stringContaining('does not match required schema') });
  });

  it('repairs a plan that fails Baton checks once, in the same session, then fails clearly', async () => {
    const cyclic = { tasks: [{ key: 'a', role: 'researcher', mission: 'A', dependsOn: ['b'] }, { key: 'b', role: 'researcher', mission: 'B', dependsOn: ['a'] }] };
    const sound = { tasks: [{ key: 'a', role: 'researcher', mission: 'A' }] };
    h = await claudeCodeHarness({
      scripts: [
        { match: 'plan-ok', replies: [structured(cyclic), structured(sound)] },
        { match: 'plan-bad', replies: [structured(cyclic), structured(cyclic)] },
      ],
    });
    const input = (id: string) => ({ runtime: 'claude-code' as const, model: 'claude-haiku-4-5', project: 'demo', objective: { id, description: id }, context: { completedTasks: [], insights: [] } });
    const plan = await runActivity(mockEnv(), h.acts.planObjective, input('plan-ok'));
    expect(plan.tasks.map((t) => t.key)).toEqual(['a']);
    expect(plan.usage!.costUsd).toBeGreaterThan(0);
    const repair = h.fake.requests[1]!;
    expect(repair.body.messages[0].content.map((b: { text?: string }) => b.text ?? '').join(' ')).toContain('plan-ok');
    expect(JSON.stringify(repair.body.messages.at(-1))).toContain('Your structured result was rejected: the plan is invalid: dependency cycle');
    expect(repair.toolNames).toEqual(['StructuredOutput']);
    const err = await thrown(runActivity(mockEnv(), h.acts.planObjective, input('plan-bad')));
    expect(err).toMatchObject({ type: 'Plan.Invalid', nonRetryable: true });
    expect(err.message).toContain('still invalid after one repair');
  });
});

describe('claude-code runtime: stops and sessions', () => {
  it('aborts on cancellation: the Claude Code process and its children are gone within 5 s', async () => {
    h = await claudeCodeHarness({ scripts: [{ match: 'Role: developer', replies: [fault.hang()] }] });
    const mock = mockEnv();
    const running = thrown(runActivity(mock, h.acts.spawnAgent, claudeAgentInput('stuck', 'developer')));
    for (let i = 0; i < 200 && h.fake.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    const pids = claudeProcesses();
    expect(pids.length).toBeGreaterThan(0);
    const stoppedAt = Date.now();
    mock.cancel();
    const err = await running;
    expect(err).toBeInstanceOf(CancelledFailure);
    while (pids.some(alive) && Date.now() - stoppedAt < 5000) await new Promise((r) => setTimeout(r, 25));
    expect(pids.filter(alive)).toEqual([]);
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
  });

  it('resumes the session a crashed attempt heartbeated instead of starting over', async () => {
    h = await claudeCodeHarness({
      scripts: [
        { match: 'Role: developer', replies: [reply(call('Write', { file_path: 'half.txt', content: 'first half\n' })), fault.serverError(), structuredReport({ summary: 'Finished after the crash.', artifacts: ['half.txt'] })] },
      ],
    });
    const beats: Record<string, unknown>[] = [];
    const first = mockEnv();
    first.on('heartbeat', (d: Record<string, unknown>) => beats.push(d));
    const crash = await thrown(runActivity(first, h.acts.spawnAgent, claudeAgentInput('crashy', 'developer')));
    const crashUsage = (crash.details as { usage: { costUsd: number } }[])[0]!.usage;
    expect(crashUsage.costUsd).toBeGreaterThan(0);
    const last = beats.filter((b) => b?.runtime === 'claude-code').at(-1)!;
    expect(last.session).toMatch(/^[0-9a-f-]{36}$/);
    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: last }, { logger: new DefaultLogger('ERROR') });
    const report = await runActivity(retry, h.acts.spawnAgent, claudeAgentInput('crashy', 'developer'));
    expect(report).toMatchObject({ summary: 'Finished after the crash.', session: last.session });
    // Claude Code's resumed total includes the crashed attempt's spend; Baton counts each attempt once.
    const resumedResult = JSON.parse(await transcriptOf(h.dataDir, report.transcript!)).messages.find((m: { type: string }) => m.type === 'result');
    expect(resumedResult.total_cost_usd).toBeCloseTo(crashUsage.costUsd + report.usage!.costUsd, 6);
    const resumed = h.fake.requests.at(-1)!;
    const history = JSON.stringify(resumed.body.messages);
    expect(history).toContain('Mission of crashy');
    expect(history).toContain('half.txt');
    expect(history).toContain('was interrupted before it finished');
  });

  it('continues the same session in a rework round, with the gate failures as the next prompt', async () => {
    h = await claudeCodeHarness({
      scripts: [{ match: 'Role: developer', replies: [structuredReport({ summary: 'First try.' }), structuredReport({ summary: 'Fixed the tests.' })] }],
    });
    const first = await runActivity(mockEnv(), h.acts.spawnAgent, claudeAgentInput('page', 'developer'));
    const again = await runActivity(mockEnv(), h.acts.spawnAgent, claudeAgentInput('page', 'developer', { rework: { round: 1, failures: ['gate test failed: 2 tests fail'] } }));
    expect(again).toMatchObject({ summary: 'Fixed the tests.', session: first.session });
    const history = JSON.stringify(h.fake.requests.at(-1)!.body.messages);
    expect(history).toContain('Mission of page');
    expect(history).toContain('First try.');
    expect(history).toContain('rework round 1');
    expect(history).toContain('gate test failed: 2 tests fail');
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
}

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { FileArtifactStore, artifactsDir } from '../../src/artifacts/artifact-store';
import { call, fault, reply, say, slow, submitReport, withUsage } from '../support/fake-anthropic';
import { agentInput, anthropicHarness, mockEnv, runActivity, TEST_API_KEY, thrown, type AnthropicHarness } from '../support/fake-anthropic/harness';

let h: AnthropicHarness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const transcriptOf = async (dataDir: string, id: string) => (await new FileArtifactStore(artifactsDir(dataDir)).get(id)).toString('utf8');

describe('spawnAgent on the anthropic runtime (fake Messages API)', () => {
  it('runs a developer whose tool calls really write a file, then submits its report', async () => {
    h = await anthropicHarness({
      scripts: [
        {
          match: 'Role: developer',
          replies: [
            reply(say('I will write the page.'), call('write_file', { path: 'site/index.html', content: '<h1>Crumb & Co.</h1>\n' })),
            reply(call('edit_file', { path: 'site/index.html', oldText: 'Crumb', newText: 'Crumb' }), call('read_file', { path: 'site/index.html' })),
            submitReport({ summary: 'Wrote site/index.html.', artifacts: ['site/index.html'], claims: ['the page has a heading'], reflections: ['start with tests'] }),
          ],
        },
      ],
    });
    const beats: unknown[] = [];
    const mock = mockEnv();
    mock.on('heartbeat', (d: unknown) => beats.push(d));
    const report = await runActivity(mock, h.acts.spawnAgent, agentInput('write-page', 'developer', { sharedContext: ['The bakery is called Crumb & Co.'] }));

    expect(readFileSync(path.join(h.workspace, 'site/index.html'), 'utf8')).toBe('<h1>Crumb & Co.</h1>\n');
    expect(report).toMatchObject({
      status: 'success',
      summary: 'Wrote site/index.html.',
      artifacts: ['site/index.html'],
      claims: ['the page has a heading'],
      reflections: ['start with tests'],
      simulated: false,
      runtime: 'anthropic',
      stopReason: 'done',
    });
    expect(report.usage).toMatchObject({ model: 'claude-haiku-4-5', inputTokens: 300, outputTokens: 150, priced: true });
    expect(report.usage?.cacheWriteTokens).toBeGreaterThan(0);
    expect(report.usage?.cacheReadTokens).toBeGreaterThan(0);
    expect(report.usage?.costUsd).toBeGreaterThan(0);
    expect(beats).toContainEqual({ turn: 3, inputTokens: 200, outputTokens: 100 });

    // The tool results went back to the model, and the edit found its text exactly once.
    const third = h.fake.requests[2];
    expect(third?.lastToolResults.map((r) => [r.isError, r.content])).toEqual([
      [false, 'replaced 1 occurrence(s) in site/index.html'],
      [false, '<h1>Crumb & Co.</h1>\n'],
    ]);
    // Prompt caching: the system prompt and the shared-context prefix are marked.
    const first = h.fake.requests[0]?.body;
    expect(first.system[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(first.messages[0].content[0]).toMatchObject({ cache_control: { type: 'ephemeral' } });
    expect(first.messages[0].content[0].text).toContain('Crumb & Co.');
    expect(first.tools.map((t: { name: string }) => t.name)).toEqual(['list_files', 'read_file', 'search_files', 'write_file', 'edit_file', 'run_command', 'submit_report']);

    const transcript = await transcriptOf(h.dataDir, report.transcript ?? '');
    expect(JSON.parse(transcript)).toMatchObject({ runtime: 'anthropic', role: 'developer', outcome: 'done', turns: 3 });
    expect(JSON.parse(transcript).messages).toHaveLength(7);
  });

  it("works in the target repository, with the target's identity context cached first and the rework failures in the mission", async () => {
    const site = mkdtempSync(path.join(tmpdir(), 'baton-site-'));
    writeFileSync(path.join(site, 'IDENTITY.md'), 'Crumb & Co. speaks warmly and never uses exclamation marks.\n');
    h = await anthropicHarness({ scripts: [{ match: 'Role: developer', replies: [reply(call('write_file', { path: 'index.html', content: '<h1>Hi</h1>\n' })), submitReport({ artifacts: ['index.html'] })] }] });
    const target = { name: 'site', path: site, identity: path.join(site, 'IDENTITY.md') };
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, agentInput('hero', 'developer', { target, rework: { round: 1, failures: ['gate test failed: hero has no heading'] } }));

    expect(report.artifacts).toEqual(['index.html']);
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toBe('<h1>Hi</h1>\n');
    const [prefix, mission] = h.fake.requests[0]?.body.messages[0].content;
    expect(prefix).toMatchObject({ cache_control: { type: 'ephemeral' } });
    expect(prefix.text).toBe('# Identity context of site\n\nCrumb & Co. speaks warmly and never uses exclamation marks.');
    expect(mission.text).toContain('Target: site.');
    expect(mission.text).toContain('## Rework round 1: verification failed');
    expect(mission.text).toContain('- gate test failed: hero has no heading');
  });

  it('streams long outputs (max_tokens above the streaming threshold) and reads tool input deltas', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: researcher', replies: [reply(say('Looking around.'), call('list_files', {})), submitReport({ summary: 'Nothing here yet.' })] }] }, { maxTokens: 16_000 });
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, agentInput('look', 'researcher'));
    expect(h.fake.requests.map((r) => r.stream)).toEqual([true, true]);
    expect(h.fake.requests[1]?.lastToolResults[0]?.content).toBe('. is empty');
    expect(report).toMatchObject({ status: 'success', summary: 'Nothing here yet.', stopReason: 'done' });
    expect(report.usage?.outputTokens).toBe(100);
  });

  it('does not stream when max_tokens is small', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: analyst', replies: [submitReport()] }] }, { maxTokens: 1024 });
    await runActivity(mockEnv(), h.acts.spawnAgent, agentInput('a', 'analyst'));
    expect(h.fake.requests[0]?.stream).toBe(false);
    expect(h.fake.requests[0]?.body.max_tokens).toBe(1024);
  });

  it('returns a refused path escape to the model as an error, writes nothing outside, and carries on', async () => {
    h = await anthropicHarness({
      scripts: [{ match: 'Role: developer', replies: [reply(call('write_file', { path: '../escaped.txt', content: 'x' })), submitReport({ status: 'failure', summary: 'Could not write there.' })] }],
    });
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, agentInput('escape', 'developer'));
    expect(h.fake.requests[1]?.lastToolResults[0]).toMatchObject({ isError: true, content: expect.stringContaining('refused workspace path "../escaped.txt"') });
    expect(report.status).toBe('failure');
    expect(() => readFileSync(path.join(h!.dataDir, 'demo', 'escaped.txt'))).toThrow(/ENOENT/);
  });

  it('feeds an invalid report back once and accepts the repaired one', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: reviewer', replies: [reply(call('submit_report', { status: 'maybe', summary: '' })), submitReport({ summary: 'Accepted.' })] }] });
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, agentInput('review', 'reviewer'));
    expect(report.summary).toBe('Accepted.');
    const feedback = h.fake.requests[1]?.lastToolResults[0];
    expect(feedback?.isError).toBe(true);
    expect(feedback?.content).toContain('the report is invalid: status');
    expect(feedback?.content).toContain('Fix it and call submit_report again');
  });

  it('fails non-retryably with Llm.InvalidOutput when the report is invalid twice', async () => {
    const bad = reply(call('submit_report', { summary: 'no status' }));
    h = await anthropicHarness({ scripts: [{ match: 'Role: reviewer', replies: [bad, bad] }] });
    const err = await thrown(runActivity(mockEnv(), h.acts.spawnAgent, agentInput('review', 'reviewer')));
    expect(err).toMatchObject({ type: 'Llm.InvalidOutput', nonRetryable: true });
    expect(err.message).toContain('still invalid after one repair; transcript artifact');
  });

  it('stops with stopReason budget at the next turn once the budget is spent', async () => {
    const turn = (n: number) => withUsage(reply(call('write_file', { path: `notes/${n}.md`, content: `${n}` })), { input_tokens: 400, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    h = await anthropicHarness({ scripts: [{ match: 'Role: developer', replies: [turn(1), turn(2), turn(3), submitReport()] }] });
    const budget = { maxTokens: 1400, spentTokens: 400, spentUsd: 0 };
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, agentInput('spend', 'developer', { budget }));
    // 400 spent before + 2 turns × 500 reaches the 1400 limit: the third request is never sent.
    expect(h.fake.requests).toHaveLength(2);
    expect(report).toMatchObject({ status: 'failure', stopReason: 'budget', artifacts: ['notes/1.md', 'notes/2.md'] });
    expect(report.summary).toContain('the budget is spent');
  });

  it('stops with stopReason turn_limit when the agent never submits', async () => {
    h = await anthropicHarness(() => reply(say('Still thinking…')), { maxTurns: 3 });
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, agentInput('dawdle', 'analyst'));
    expect(report).toMatchObject({ status: 'failure', stopReason: 'turn_limit' });
    expect(report.summary).toContain('limit of 3 turns');
    expect(h.fake.requests[1]?.body.messages.at(-1).content[0].text).toContain('call submit_report to finish');
  });

  it.each(['always', 'never'] as const)('aborts the in-flight request promptly when cancelled (streaming: %s)', async (streaming) => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: developer', replies: [fault.hang()] }] }, { streaming });
    const mock = mockEnv();
    const started = Date.now();
    const running = runActivity(mock, h.acts.spawnAgent, agentInput('long', 'developer'));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.requests).toHaveLength(1);
    mock.cancel();
    const err = await thrown(running);
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('cancels a running command with the agent, killing it', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: qa', replies: [reply(call('run_command', { argv: ['node', '-e', 'setTimeout(() => {}, 20000)'] }))] }] });
    const mock = mockEnv();
    const beats: unknown[] = [];
    mock.on('heartbeat', (d: unknown) => beats.push(d));
    const started = Date.now();
    const running = runActivity(mock, h.acts.spawnAgent, agentInput('suite', 'qa'));
    await new Promise((r) => setTimeout(r, 400));
    const during = beats.length;
    mock.cancel();
    expect(await thrown(running)).toBeInstanceOf(CancelledFailure);
    expect(during).toBeGreaterThan(3);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops at the next turn when the USD budget is spent', async () => {
    const turn = withUsage(reply(call('list_files', {})), { input_tokens: 100_000, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    h = await anthropicHarness({ scripts: [{ match: 'Role: researcher', replies: [turn, turn, submitReport()] }] });
    // 100k haiku input tokens cost $0.10: the first turn already reaches the $0.10 left.
    const report = await runActivity(mockEnv(), h.acts.spawnAgent, agentInput('usd', 'researcher', { budget: { maxUsd: 1, spentUsd: 0.9, spentTokens: 0 } }));
    expect(h.fake.requests).toHaveLength(1);
    expect(report).toMatchObject({ stopReason: 'budget', status: 'failure', usage: { costUsd: 0.1 } });
    expect(report.summary).toContain('$1.0000 of $1.00 spent');
  });

  it('heartbeats while a slow request is in flight', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: analyst', replies: [slow(400, submitReport())] }] });
    const mock = mockEnv();
    const beats: unknown[] = [];
    mock.on('heartbeat', (d: unknown) => beats.push(d));
    await runActivity(mock, h.acts.spawnAgent, agentInput('slow', 'analyst'));
    expect(beats.filter((b) => (b as { turn: number }).turn === 1).length).toBeGreaterThan(3);
  });

  it('sends the configured key in a header and never in a body, transcript or error', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: developer', replies: [reply(call('run_command', { argv: ['node', '-e', 'console.log(process.env.ANTHROPIC_API_KEY ?? "unset")'] })), submitReport()] }] });
    const previous = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = TEST_API_KEY;
    try {
      const report = await runActivity(mockEnv(), h.acts.spawnAgent, agentInput('leak', 'developer'));
      expect(h.fake.requests[1]?.lastToolResults[0]?.content).toContain('stdout (6 bytes):\nunset');
      expect(h.fake.requests.every((r) => r.apiKey === TEST_API_KEY && !r.raw.includes(TEST_API_KEY))).toBe(true);
      expect(await transcriptOf(h.dataDir, report.transcript ?? '')).not.toContain(TEST_API_KEY);
      expect(JSON.stringify(report)).not.toContain(TEST_API_KEY);
    } finally {
      if (previous === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = previous;
    }
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { createActivities } from '../../src/activities';
import { createAnthropicRuntime } from '../../src/agents/anthropic/anthropic-runtime';
import type { AgentRuntime } from '../../src/agents/runtime';
import { artifactsDir, FileArtifactStore } from '../../src/artifacts/artifact-store';
import type { VerifyWorkInput } from '../../src/shared/activity-types';
import type { Gate } from '../../src/shared/targets';
import { call, reply, startFakeAnthropic, submitReport, type FakeAnthropic } from '../support/fake-anthropic';
import { mockEnv, runActivity, TEST_API_KEY, thrown } from '../support/fake-anthropic/harness';

/** The worker's own verifyWork, with `anthropic` replaceable by one pointed at the fake Messages API. */
const verifyWorkFor = (dataDir: string, anthropic?: AgentRuntime) => createActivities({ dataDir, ...(anthropic ? { runtimes: { anthropic } } : {}) }).verifyWork;

const GIT = ['-c', 'user.name=Baton Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];
const git = (cwd: string, ...args: string[]) => execFileSync('git', [...GIT, ...args], { cwd, stdio: 'pipe' });

/** A temp git repo with a committed site, then the agent's work: index.html edited, order.html added. */
function repo(opts: { git?: boolean } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'baton-verify-'));
  const dataDir = path.join(root, 'data');
  const workspace = path.join(root, 'target');
  mkdirSync(path.join(workspace, 'site'), { recursive: true });
  writeFileSync(path.join(workspace, 'site/index.html'), '<h1>Crumb & Co.</h1>\n');
  writeFileSync(path.join(workspace, 'site/menu.html'), '<ul><li>Bread</li></ul>\n');
  if (opts.git !== false) {
    git(workspace, 'init', '-q');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'baseline');
  }
  writeFileSync(path.join(workspace, 'site/index.html'), '<h1>Crumb & Co.</h1>\n<a href="order.html">Order</a>\n');
  writeFileSync(path.join(workspace, 'site/order.html'), '<form><input type="email" required></form>\n');
  const store = new FileArtifactStore(artifactsDir(dataDir));
  return { dataDir, workspace, store, text: async (id: string | undefined) => (await store.get(id ?? '')).toString('utf8') };
}

const gate = (name: string, command: string, timeoutSeconds = 30): Gate => ({ name, command, timeoutSeconds });

function input(workspace: string, over: Partial<VerifyWorkInput> = {}): VerifyWorkInput {
  return {
    runtime: 'scripted',
    project: 'demo',
    taskId: 'TASK_003',
    agentName: 'Ada',
    mission: 'Add an order form and link it from the home page',
    round: 1,
    workspace,
    gates: [],
    summary: 'Added site/order.html and linked it.',
    claims: [],
    ...over,
  };
}

describe('verifyWork (rules reviewer, real git repo)', () => {
  it('passes when every gate passes and the claims match the changed files', async () => {
    const r = repo();
    const verify = verifyWorkFor(r.dataDir);
    const gates = [gate('test', 'grep -q email site/order.html && echo "2 tests passed"'), gate('lint', 'true')];
    const result = await runActivity(mockEnv(), verify, input(r.workspace, { gates, claims: ['all tests pass', 'added site/order.html', 'index.html links to the form'] }));

    expect(result).toMatchObject({ passed: true, failures: [], review: { passed: true, by: 'rules', falseClaims: [] } });
    expect(result.gates.map((g) => [g.name, g.passed, g.exitCode, g.tail])).toEqual([
      ['test', true, 0, '2 tests passed'],
      ['lint', true, 0, ''],
    ]);
    expect(result.changedFiles.sort()).toEqual(['site/index.html', 'site/order.html']);
    const diff = await r.text(result.diff);
    expect(diff).toContain('+<a href="order.html">Order</a>');
    expect(diff).toContain('+<form><input type="email" required></form>');
    expect(diff).not.toContain('menu.html');
  });

  it('reports a failing gate with its tail, keeps running later gates, and stores the full output', async () => {
    const r = repo();
    const verify = verifyWorkFor(r.dataDir);
    const gates = [gate('test', 'seq 1 100; echo "FAIL menu.test.js: expected 3 items" >&2; exit 1'), gate('lint', 'echo lint ok')];
    const result = await runActivity(mockEnv(), verify, input(r.workspace, { gates, claims: ['all tests pass'] }));

    expect(result.passed).toBe(false);
    const [test, lint] = result.gates;
    expect(test).toMatchObject({ name: 'test', passed: false, exitCode: 1, timedOut: false });
    expect(test?.tail.split('\n')).toEqual([...Array.from({ length: 19 }, (_, i) => String(82 + i)), 'FAIL menu.test.js: expected 3 items']);
    expect(lint).toMatchObject({ passed: true, tail: 'lint ok' });
    expect(result.failures).toEqual(['gate test failed (exit 1): FAIL menu.test.js: expected 3 items', 'claims "all tests pass" but gate test failed (exit 1)']);
    expect(result.review).toMatchObject({ passed: false, by: 'rules', falseClaims: ['claims "all tests pass" but gate test failed (exit 1)'] });

    const output = await r.text(test?.output);
    expect(output).toContain('$ seq 1 100;');
    expect(output).toMatch(/^1\n2\n3\n/m);
    expect(output).toContain('100\nFAIL menu.test.js: expected 3 items\n[exit 1 after');
  });

  it('fails a gate that runs past its timeout, quickly and with a clear tail', async () => {
    const r = repo();
    const verify = verifyWorkFor(r.dataDir);
    const beats: unknown[] = [];
    const mock = mockEnv();
    mock.on('heartbeat', (d: unknown) => beats.push(d));
    const started = Date.now();
    const result = await runActivity(mock, verify, input(r.workspace, { gates: [gate('slow', 'echo starting; sleep 5', 1)] }));

    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.gates[0]).toMatchObject({ passed: false, exitCode: null, timedOut: true, tail: 'starting\ntimed out after 1 s' });
    expect(result.failures).toEqual(['gate slow failed (timed out): timed out after 1 s']);
    expect(beats).toContainEqual({ gate: 'slow' });
  });

  it('kills a running gate and rejects with a CancelledFailure when cancelled', async () => {
    const r = repo();
    const verify = verifyWorkFor(r.dataDir);
    const mock = mockEnv();
    const started = Date.now();
    const running = runActivity(mock, verify, input(r.workspace, { gates: [gate('long', 'sleep 30 & echo $! > sleep.pid; wait')] }));
    await waitFor(() => existsSync(path.join(r.workspace, 'sleep.pid')));
    mock.cancel();
    const err = await thrown(running);
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(2000);
    const pid = Number(readFileSync(path.join(r.workspace, 'sleep.pid'), 'utf8'));
    await waitFor(() => !alive(pid));
  });

  it('catches a false claim even though every gate passes', async () => {
    const r = repo();
    const verify = verifyWorkFor(r.dataDir);
    const result = await runActivity(mockEnv(), verify, input(r.workspace, { gates: [gate('test', 'true')], claims: ['updated site/menu.html with prices', 'the page feels friendly'] }));

    expect(result.gates.every((g) => g.passed)).toBe(true);
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(['claims "updated site/menu.html with prices" but site/menu.html was not changed in the workspace']);
    expect(result.review.notes).toEqual(['not checked: "the page feels friendly"']);
  });

  it('works without version control: no changed files, a diff saying so, file claims become notes', async () => {
    const r = repo({ git: false });
    const verify = verifyWorkFor(r.dataDir);
    const result = await runActivity(mockEnv(), verify, input(r.workspace, { claims: ['added site/order.html'] }));
    expect(result).toMatchObject({ passed: true, changedFiles: [], review: { passed: true, falseClaims: [] } });
    expect(result.review.notes[0]).toContain('no version control');
    expect(await r.text(result.diff)).toContain('No version control');
  });

  it('runs gates with a scrubbed environment, so secrets never reach their output', async () => {
    const r = repo();
    process.env.BATON_TEST_SECRET_TOKEN = 'tok-verify-should-not-leak';
    try {
      const result = await runActivity(mockEnv(), verifyWorkFor(r.dataDir), input(r.workspace, { gates: [gate('env', 'env')] }));
      expect(result.gates[0]?.passed).toBe(true);
      expect(await r.text(result.gates[0]?.output)).not.toContain('tok-verify-should-not-leak');
    } finally {
      delete process.env.BATON_TEST_SECRET_TOKEN;
    }
  });

  it('fails non-retryably with Input.Invalid naming a workspace that does not exist', async () => {
    const r = repo();
    const missing = path.join(r.workspace, 'nowhere');
    const err = await thrown(runActivity(mockEnv(), verifyWorkFor(r.dataDir), input(missing)));
    expect(err).toMatchObject({ type: 'Input.Invalid', nonRetryable: true });
    expect(err.message).toContain(missing);
  });
});

describe('verifyWork (LLM reviewer on the fake Messages API)', () => {
  let fake: FakeAnthropic | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('asks a reviewer agent that reads the workspace, and adds the rules reviewer facts to its verdict', async () => {
    fake = await startFakeAnthropic(
      {
        scripts: [
          {
            match: 'Role: reviewer',
            replies: [
              reply(call('read_file', { path: 'site/order.html' })),
              submitReport({ status: 'failure', summary: 'The form has no name field.', claims: ['"the form asks for a name": site/order.html has only an email input'] }),
            ],
          },
        ],
      },
      { apiKey: TEST_API_KEY },
    );
    const anthropic = createAnthropicRuntime({ baseURL: fake.url, apiKey: TEST_API_KEY, heartbeatEveryMs: 50, timeoutMs: 10_000 });
    const r = repo();
    const verify = verifyWorkFor(r.dataDir, anthropic);
    const claims = ['the form asks for a name', 'all tests pass'];
    const result = await runActivity(
      mockEnv(),
      verify,
      input(r.workspace, { runtime: 'anthropic', model: 'claude-haiku-4-5', claims, gates: [gate('test', 'echo "1 failing: name field"; exit 1')] }),
    );

    expect(result.passed).toBe(false);
    expect(result.review).toMatchObject({
      passed: false,
      by: 'llm',
      falseClaims: ['claims "all tests pass" but gate test failed (exit 1)', 'reviewer: "the form asks for a name": site/order.html has only an email input'],
    });
    expect(result.review.notes).toContain('reviewer: The form has no name field.');
    expect(result.failures).toEqual(['gate test failed (exit 1): 1 failing: name field', ...result.review.falseClaims]);
    expect(result.usage).toMatchObject({ model: 'claude-haiku-4-5', inputTokens: 200, outputTokens: 100, priced: true });

    const mission = fake.requests[0]?.firstUserText ?? '';
    expect(mission).toContain('- "the form asks for a name"');
    expect(mission).toContain('### Gate test: FAILED');
    expect(mission).toContain('1 failing: name field');
    expect(mission).toContain('+<form><input type="email" required></form>');
    // The reviewer's tools read the agent's workspace, not the project's.
    expect(fake.requests[1]?.lastToolResults[0]?.content).toContain('type="email"');
  });
});

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether `pid` runs (a zombie nobody reaped counts as dead). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
}

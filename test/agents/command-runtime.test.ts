import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { createActivities } from '../../src/activities';
import { parseCommandConfig } from '../../src/agents/command/config';
import { createCommandRuntime } from '../../src/agents/command/command-runtime';
import { extractJson } from '../../src/agents/command/output';
import { AgentRuntimeError, type AgentRunContext } from '../../src/agents/runtime';
import { artifactsDir, FileArtifactStore } from '../../src/artifacts/artifact-store';
import type { SpawnAgentInput } from '../../src/shared/activity-types';
import { mockEnv, runActivity } from '../support/fake-anthropic/harness';

const AGENT = path.join(__dirname, 'fixtures/cli-agent.js');

function context(controller = new AbortController()): AgentRunContext {
  const root = mkdtempSync(path.join(tmpdir(), 'baton-command-'));
  const workspace = path.join(root, 'workspace');
  mkdirSync(workspace);
  return {
    project: 'demo',
    workspace,
    artifacts: new FileArtifactStore(artifactsDir(root)),
    heartbeat: () => undefined,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    cancellationSignal: controller.signal,
    attempt: 1,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
}

const input: SpawnAgentInput = {
  runtime: 'command',
  project: 'demo',
  agent: { id: 'AGENT_0001', name: 'Forge', role: 'developer' },
  task: { id: 'TASK_001', key: 'write-page', mission: 'Write the page', successCriteria: ['it renders'] },
  inputs: [],
  sharedContext: ['The bakery is Crumb & Co.'],
};

const runtimeFor = (mode: string, ...rest: string[]) => createCommandRuntime({ env: { ...process.env, BATON_COMMAND_AGENT: JSON.stringify(['node', AGENT, mode, ...rest]) } });

/** Whether `pid` runs; a zombie (killed, not yet reaped by an init that may never reap it) counts as gone. */
const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
};

describe('command runtime', () => {
  it('sends the prompt on stdin, fills the argv template and returns the validated report', async () => {
    const ctx = context();
    const report = await runtimeFor('report', '{{role}}', '{{task}}').runAgent(input, ctx);
    expect(report).toMatchObject({ status: 'success', summary: 'did developer write-page', artifacts: ['out.txt'], runtime: 'command', simulated: false, stopReason: 'done' });
    expect(report.usage).toBeUndefined();
    const stdin = readFileSync(path.join(ctx.workspace, '.stdin.txt'), 'utf8');
    expect(stdin.startsWith('# Role: developer')).toBe(true);
    expect(stdin).toContain('The bakery is Crumb & Co.');
    expect(stdin).toContain('Write the page');
    expect(stdin).toContain('Answer with only the JSON object');
  });

  it('unwraps a `claude -p --output-format json` envelope and records its usage and cost', async () => {
    const runtime = createCommandRuntime({ config: { argv: ['node', AGENT, 'claude'], input: 'text', timeoutMs: 10_000, model: 'claude-sonnet-4-5' } });
    const report = await runtime.runAgent(input, context());
    expect(report.summary).toBe('did');
    expect(report.usage).toEqual({ model: 'claude-sonnet-4-5', inputTokens: 10, outputTokens: 20, cacheWriteTokens: 30, cacheReadTokens: 40, costUsd: 0.0123, priced: true });
  });

  it('plans through the command too', async () => {
    const result = await runtimeFor('plan').plan({ runtime: 'command', project: 'demo', objective: { id: 'OBJ_001', description: 'x' }, context: { completedTasks: [], insights: [] } }, context());
    expect(result.tasks).toEqual([{ key: 'look', role: 'researcher', mission: 'Look around', dependsOn: [], successCriteria: [] }]);
  });

  it('tells a fresh agent taking over under the retry policy why the previous attempt failed', async () => {
    const ctx = context();
    await runtimeFor('report').runAgent({ ...input, rework: { round: 0, failures: ['Agent.Crashed: out of memory'] } }, ctx);
    const stdin = readFileSync(path.join(ctx.workspace, '.stdin.txt'), 'utf8');
    expect(stdin).toContain('## A previous attempt failed\n\nAnother agent worked on this task and failed. Avoid what went wrong:\n- Agent.Crashed: out of memory');
    expect(stdin).not.toContain('Rework round');
  });

  it("tells the agent its target, the target's identity context (cut at 8 KB) and the failures to rework", async () => {
    const ctx = context();
    writeFileSync(path.join(ctx.workspace, 'IDENTITY.md'), `We bake sourdough and speak plainly.\n${'x'.repeat(20_000)}\nTAIL-MARKER\n`);
    const reworked: SpawnAgentInput = {
      ...input,
      target: { name: 'site', path: ctx.workspace, identity: path.join(ctx.workspace, 'IDENTITY.md') },
      rework: { round: 2, failures: ['gate test failed (exit 1): 1 failing test', 'false claim: "the form validates emails"'] },
    };
    await runtimeFor('report').runAgent(reworked, ctx);
    const stdin = readFileSync(path.join(ctx.workspace, '.stdin.txt'), 'utf8');
    expect(stdin).toContain('# Identity context of site\n\nWe bake sourdough and speak plainly.');
    expect(stdin).toContain('[identity file cut at 8 KB]');
    expect(stdin).not.toContain('TAIL-MARKER');
    expect(stdin).toContain('Target: site.');
    expect(stdin).toContain('## Rework round 2: verification failed');
    expect(stdin).toContain('- gate test failed (exit 1): 1 failing test\n- false claim: "the form validates emails"');

    const json = createCommandRuntime({ config: { argv: ['node', AGENT, 'report'], input: 'json', timeoutMs: 10_000 } });
    await json.runAgent(reworked, ctx);
    const sent = JSON.parse(readFileSync(path.join(ctx.workspace, '.stdin.txt'), 'utf8'));
    expect(sent.input.identityContext).toMatch(/^We bake sourdough/);
    expect(sent.input.rework.round).toBe(2);
  });

  it('refuses a plan without an interpretation when open streams were offered', async () => {
    const streams = [{ ref: 'site:1.2', title: 'Online ordering', status: 'not started', dependsOn: [], text: 'Let customers order ahead.' }];
    const planning = { runtime: 'command' as const, project: 'demo', objective: { id: 'OBJ_001', description: 'x' }, context: { completedTasks: [], insights: [] }, openStreams: streams };
    const ctx = context();
    const err = await runtimeFor('plan').plan(planning, ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'Llm.InvalidOutput', retryable: false, message: expect.stringContaining('planner on OBJ_001: the plan is invalid: interpretation: is required') });
    expect(readFileSync(path.join(ctx.workspace, '.stdin.txt'), 'utf8')).toContain('### site:1.2: Online ordering (task key: site-1-2)');
  });

  it.each([
    ['garbage', 'no JSON object found'],
    ['invalid', 'status'],
  ])('refuses %s output as non-retryable Llm.InvalidOutput', async (mode, words) => {
    const err = await runtimeFor(mode).runAgent(input, context()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentRuntimeError);
    expect(err).toMatchObject({ type: 'Llm.InvalidOutput', retryable: false });
    expect((err as Error).message).toContain(words);
    expect((err as Error).message).toContain('transcript artifact');
  });

  it('treats a non-zero exit as a retryable crash, quoting stderr', async () => {
    const err = await runtimeFor('fail').runAgent(input, context()).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'Agent.Crashed', retryable: true, message: expect.stringContaining('exited with 3; stderr: something broke badly') });
  });

  it('kills the whole process group on cancellation', async () => {
    const controller = new AbortController();
    const ctx = context(controller);
    const pids = path.join(ctx.workspace, '..', 'pids.json');
    const running = runtimeFor('hang', pids).runAgent(input, ctx).catch((e: unknown) => e);
    for (let i = 0; i < 100 && !existsSync(pids); i++) await new Promise((r) => setTimeout(r, 20));
    const { parent, child } = JSON.parse(readFileSync(pids, 'utf8')) as { parent: number; child: number };
    expect(pidAlive(parent) && pidAlive(child)).toBe(true);
    controller.abort();
    expect(await running).toBeInstanceOf(CancelledFailure);
    await new Promise((r) => setTimeout(r, 100));
    expect(pidAlive(parent)).toBe(false);
    expect(pidAlive(child)).toBe(false);
  });

  it('kills the process at its timeout (retryable)', async () => {
    const ctx = context();
    const runtime = createCommandRuntime({ config: { argv: ['node', AGENT, 'hang', path.join(ctx.workspace, 'p.json')], input: 'text', timeoutMs: 300 } });
    await expect(runtime.runAgent(input, ctx)).rejects.toMatchObject({ type: 'Agent.Crashed', retryable: true, message: expect.stringContaining('300 ms timeout') });
  });

  it('says clearly when the command is not configured or cannot start', async () => {
    await expect(createCommandRuntime({ env: {} }).runAgent(input, context())).rejects.toMatchObject({ type: 'Config.Invalid', message: expect.stringContaining('BATON_COMMAND_AGENT: not set') });
    const missing = createCommandRuntime({ config: { argv: ['no-such-cli-xyz'], input: 'text', timeoutMs: 1000 } });
    await expect(missing.runAgent(input, context())).rejects.toMatchObject({ type: 'Config.Invalid', message: expect.stringContaining('ENOENT') });
  });
});

describe("command runtime: a CLI's own errors, its spend and the budget", () => {
  it('reports a claude -p error result (subtype, errors) as the failure, with the spend it reported kept', async () => {
    const runtime = createCommandRuntime({ config: { argv: ['node', AGENT, 'claude-max-turns'], input: 'text', timeoutMs: 10_000, model: 'claude-sonnet-4-6' } });
    const err = (await runtime.runAgent(input, context()).catch((e: unknown) => e)) as AgentRuntimeError;
    expect(err).toBeInstanceOf(AgentRuntimeError);
    expect(err.message).toContain('the CLI reported an error: error_max_turns: Reached maximum number of turns (12)');
    expect(err.message).not.toContain('stderr: (empty)');
    expect(err.usage).toMatchObject({ costUsd: 0.61, inputTokens: 1000, outputTokens: 2000, priced: true });
  });

  it('makes the project workspace before a CLI planner or synthesizer starts in it (fresh project)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-fresh-'));
    const workspace = path.join(dataDir, 'fresh', 'workspace');
    const command = createCommandRuntime({ config: { argv: ['node', AGENT, 'plan'], input: 'text', timeoutMs: 10_000 } });
    const acts = createActivities({ dataDir, runtimes: { command } });
    expect(existsSync(workspace)).toBe(false);
    const plan = await runActivity(mockEnv(), acts.planObjective, { runtime: 'command', project: 'fresh', objective: { id: 'OBJ_001', description: 'Look' }, context: { completedTasks: [], insights: [] } });
    expect(plan.tasks.map((t) => t.key)).toEqual(['look']);
    expect(existsSync(workspace)).toBe(true);
    rmSync(workspace, { recursive: true });
    const synthesis = createCommandRuntime({ config: { argv: ['node', '-e', 'process.stdout.write(JSON.stringify({agreements:[],conflicts:[],patterns:[],unknowns:[],insights:["ok"],decisions:[]}))'], input: 'text', timeoutMs: 10_000 } });
    const acts2 = createActivities({ dataDir, runtimes: { command: synthesis } });
    const result = await runActivity(mockEnv(), acts2.synthesize, { runtime: 'command', project: 'fresh', session: 1, objectives: [], outputs: [] });
    expect(result.insights).toEqual(['ok']);
    expect(existsSync(workspace)).toBe(true);
  });

  it('fills {{budget}} with the dollars left, drops it without a dollar budget, and starts nothing against a spent one', async () => {
    const argv = ['node', AGENT, 'args', '--max-budget-usd={{budget}}', '{{task}}'];
    const runtime = createCommandRuntime({ config: { argv, input: 'text', timeoutMs: 10_000 } });
    const ctx = context();
    await runtime.runAgent({ ...input, budget: { maxUsd: 2, spentUsd: 0.5, spentTokens: 0 } }, ctx);
    expect(JSON.parse(readFileSync(path.join(ctx.workspace, '.argv.json'), 'utf8'))).toEqual(['--max-budget-usd=1.5000', 'write-page']);
    const unlimited = context();
    await runtime.runAgent(input, unlimited);
    expect(JSON.parse(readFileSync(path.join(unlimited.workspace, '.argv.json'), 'utf8'))).toEqual(['write-page']);
    const broke = context();
    const report = await runtime.runAgent({ ...input, budget: { maxUsd: 2, spentUsd: 2, spentTokens: 0 } }, broke);
    expect(report).toMatchObject({ status: 'failure', stopReason: 'budget' });
    expect(existsSync(path.join(broke.workspace, '.argv.json'))).toBe(false);
  });
});

describe('command config and output parsing', () => {
  it('accepts an argv array or an object, and names what is wrong', () => {
    expect(parseCommandConfig('["claude","-p"]')).toEqual({ argv: ['claude', '-p'], input: 'text', timeoutMs: 1_800_000 });
    expect(parseCommandConfig('{"argv":["x","{{model}}"],"input":"json","timeoutMs":5}')).toEqual({ argv: ['x', '{{model}}'], input: 'json', timeoutMs: 5 });
    expect(() => parseCommandConfig('["x","{{secret}}"]')).toThrow('unknown placeholder {{secret}}');
    expect(() => parseCommandConfig('claude -p')).toThrow('not valid JSON');
    expect(() => parseCommandConfig('{"argv":[]}')).toThrow('argv');
  });

  it('finds JSON whole, fenced or embedded in prose', () => {
    expect(extractJson('{"a":1}').value).toEqual({ a: 1 });
    expect(extractJson('Sure:\n```json\n{"a":2}\n```').value).toEqual({ a: 2 });
    expect(extractJson('Result: {"a":3} ok').value).toEqual({ a: 3 });
    expect(extractJson('').problem).toBe('the output is empty');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClaudeCodeRuntime } from '../../src/agents/claude-code/claude-code-runtime';
import { loadClaudeAgentSdk } from '../../src/agents/claude-code/sdk';
import { fileSessionMap } from '../../src/agents/claude-code/sessions';
import type { AgentRunContext } from '../../src/agents/runtime';
import { FileArtifactStore, artifactsDir } from '../../src/artifacts/artifact-store';
import type { SpawnAgentInput } from '../../src/shared/activity-types';
import { call, fault, reply, startFakeAnthropic, structuredReport, type FakeReply, type FakeRequest } from '../../test/support/fake-anthropic';
import { claudeProcesses } from '../../test/support/fake-anthropic/claude-code';
import { TEST_API_KEY } from '../../test/support/fake-anthropic/harness';
import { pairedRatios, summarize, type Summary } from '../stats';

/** Sizes for the claude-code runtime benchmark. */
export interface ClaudeCodeSizes {
  /** Paired runs (Baton's runtime, then a bare query()) of the same mission. */
  repeats: number;
  /** Stops measured. */
  stops: number;
}

/** Per-agent wall time of the claude-code runtime against a bare query() on the same fake Messages API, and stop-to-gone time. */
export interface ClaudeCodeResult {
  batonMs: Summary;
  bareMs: Summary;
  ratio: number;
  pairedRatio: Summary;
  /** From the cancellation to the last Claude Code process being gone. */
  stopToGoneMs: Summary;
}

const MISSION = 'Read notes.txt and report what it says';

/** The mission's model: one Read, then the report; the same for both sides. */
function model(req: FakeRequest): FakeReply {
  const conversation = JSON.stringify(req.body?.messages ?? []);
  if (conversation.includes('HANG')) return fault.hang();
  return conversation.includes('"name":"Read"') ? structuredReport({ summary: 'notes say hello' }) : reply(call('Read', { file_path: 'notes.txt' }));
}

function context(root: string, signal: AbortSignal): AgentRunContext {
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'notes.txt'), 'hello\n');
  return {
    project: 'bench',
    workspace,
    artifacts: new FileArtifactStore(artifactsDir(root)),
    heartbeat: () => undefined,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    cancellationSignal: signal,
    attempt: 1,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
}

const input = (mission: string): SpawnAgentInput => ({
  runtime: 'claude-code',
  model: 'claude-haiku-4-5',
  project: 'bench',
  agent: { id: 'AGENT_0001', name: 'Forge', role: 'developer' },
  task: { id: 'TASK_001', key: 'read-notes', mission, successCriteria: ['it says what the notes say'] },
  inputs: [],
});

/** Runs the benchmark on its own fake Messages API. */
export async function benchClaudeCode(sizes: ClaudeCodeSizes, log: (m: string) => void): Promise<ClaudeCodeResult> {
  const fake = await startFakeAnthropic(model, { apiKey: TEST_API_KEY });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-cc-'));
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, CLAUDE_CONFIG_DIR: path.join(root, 'claude') };
  const runtime = createClaudeCodeRuntime({ apiKey: TEST_API_KEY, baseURL: fake.url, env, sessions: fileSessionMap(path.join(root, 'sessions')) });
  const sdk = await loadClaudeAgentSdk();
  const schema = { type: 'object', properties: { status: { type: 'string' }, summary: { type: 'string' } }, required: ['status', 'summary'] };
  const bare = async (cwd: string) => {
    const cliEnv = { ...env, ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: fake.url, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', CLAUDE_CODE_MAX_RETRIES: '0' };
    const options = { cwd, model: 'claude-haiku-4-5', tools: ['Read', 'Grep', 'Glob', 'Write', 'Edit', 'Bash'], permissionMode: 'acceptEdits' as const, env: cliEnv, settingSources: [], outputFormat: { type: 'json_schema' as const, schema } };
    for await (const m of sdk.query({ prompt: MISSION, options })) if (m.type === 'result' && m.is_error) throw new Error(`bare query failed: ${m.subtype}`);
  };
  const batonMs: number[] = [];
  const bareMs: number[] = [];
  try {
    for (let i = 0; i < sizes.repeats; i++) {
      let t = Date.now();
      await runtime.runAgent(input(MISSION), context(path.join(root, `b${i}`), new AbortController().signal));
      batonMs.push(Date.now() - t);
      t = Date.now();
      await bare(context(path.join(root, `q${i}`), new AbortController().signal).workspace);
      bareMs.push(Date.now() - t);
      log(`claude-code ${i + 1}/${sizes.repeats}: Baton ${batonMs.at(-1)} ms, bare query() ${bareMs.at(-1)} ms`);
    }
    const stopToGoneMs: number[] = [];
    for (let i = 0; i < sizes.stops; i++) {
      const abort = new AbortController();
      const seen = fake.requests.length;
      const running = runtime.runAgent(input('HANG until stopped'), context(path.join(root, `s${i}`), abort.signal)).catch(() => undefined);
      while (fake.requests.length === seen) await new Promise((r) => setTimeout(r, 10));
      const pids = claudeProcesses();
      const stoppedAt = Date.now();
      abort.abort();
      while (pids.some((pid) => claudeProcesses().includes(pid)) && Date.now() - stoppedAt < 30_000) await new Promise((r) => setTimeout(r, 5));
      stopToGoneMs.push(Date.now() - stoppedAt);
      await running;
    }
    const ratios = pairedRatios(batonMs, bareMs);
    return { batonMs: summarize(batonMs), bareMs: summarize(bareMs), ratio: summarize(batonMs).median / summarize(bareMs).median, pairedRatio: summarize(ratios), stopToGoneMs: summarize(stopToGoneMs) };
  } finally {
    await fake.close();
  }
}

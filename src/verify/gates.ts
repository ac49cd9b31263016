import { cancellation } from '../agents/anthropic/call';
import { runProcess, scrubbedEnv, type ProcessResult } from '../node/process';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { GateResult } from '../shared/activity-types';
import type { Gate } from '../shared/targets';

/** Output kept per gate; the rest is counted and dropped. */
export const GATE_OUTPUT_BYTES = 1024 * 1024;
/** Lines and characters of a gate's output its result carries inline. */
export const TAIL_LINES = 20;
export const TAIL_CHARS = 2000;
/** Timeout of a gate whose config does not say (the Gate schema's default). */
const DEFAULT_TIMEOUT_SECONDS = 300;

/** What running gates needs from the activity: cancellation, liveness and where outputs go. */
export interface GateRunOptions {
  signal: AbortSignal;
  heartbeat(details?: unknown): void;
  artifacts: ArtifactStore;
  project: string;
  /** How often a running gate heartbeats; default 1000 ms. */
  heartbeatEveryMs?: number;
}

/** The last `lines` lines of `text`, at most `chars` characters (cut from the front). */
function outputTail(text: string, lines = TAIL_LINES, chars = TAIL_CHARS): string {
  const last = text.trimEnd().split('\n').slice(-lines).join('\n');
  return last.length > chars ? `…${last.slice(-(chars - 1))}` : last;
}

/** Why a finished gate run failed, as the last line of its tail; undefined when it exited by itself. */
function endNote(run: ProcessResult, timeoutSeconds: number): string | undefined {
  if (run.spawnError) return `cannot start: ${run.spawnError}`;
  if (run.timedOut) return `timed out after ${timeoutSeconds} s`;
  if (run.exitCode === null) return `killed by ${run.signal ?? 'a signal'}`;
  return undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs one gate as `sh -c` in `workspace` with a scrubbed environment; its combined output goes to the artifact store. */
async function runGate(workspace: string, gate: Gate, opts: GateRunOptions): Promise<GateResult> {
  const timeoutSeconds = gate.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const started = Date.now();
  opts.heartbeat({ gate: gate.name });
  const beat = setInterval(() => opts.heartbeat({ gate: gate.name, runningMs: Date.now() - started }), opts.heartbeatEveryMs ?? 1000);
  const run = await runProcess({
    // `exec 2>&1` first, so stdout and stderr interleave in one stream exactly as a person would see them.
    argv: ['sh', '-c', `exec 2>&1\n${gate.command}`],
    cwd: workspace,
    env: scrubbedEnv(),
    timeoutMs: timeoutSeconds * 1000,
    maxOutputBytes: GATE_OUTPUT_BYTES,
    signal: opts.signal,
  }).finally(() => clearInterval(beat));
  const durationMs = Date.now() - started;
  if (run.aborted || opts.signal.aborted) throw cancellation(opts.signal);

  const cut = run.stdoutBytes > GATE_OUTPUT_BYTES || run.stderrBytes > GATE_OUTPUT_BYTES ? `\n[output cut: ${run.stdoutBytes + run.stderrBytes} bytes printed, the first ${GATE_OUTPUT_BYTES} kept]` : '';
  const output = [run.stdout, run.stderr].filter(Boolean).join(run.stdout.endsWith('\n') ? '' : '\n') + cut;
  const note = endNote(run, timeoutSeconds);
  const passed = !note && run.exitCode === 0;
  const status = note ?? `exit ${run.exitCode ?? '?'}`;
  const stored = await opts.artifacts.put(`$ ${gate.command}\n${output}${output.endsWith('\n') || !output ? '' : '\n'}[${status} after ${seconds(durationMs)}]\n`, {
    kind: 'gate-output',
    project: opts.project,
  });
  // The reason a gate was stopped is always the tail's last line, where the rework prompt looks.
  const tail = note ? `${outputTail(output, TAIL_LINES - 1, TAIL_CHARS - note.length - 1)}\n${note}`.trimStart() : outputTail(output);
  return { name: gate.name, command: gate.command, passed, exitCode: run.exitCode, timedOut: run.timedOut, durationMs, tail, output: stored.id };
}

/** Runs every gate in order, even after one fails (rework wants every failure); cancellation kills the running gate and rejects. */
export async function runGates(workspace: string, gates: readonly Gate[], opts: GateRunOptions): Promise<GateResult[]> {
  const results: GateResult[] = [];
  for (const gate of gates) {
    if (opts.signal.aborted) throw cancellation(opts.signal);
    results.push(await runGate(workspace, gate, opts));
  }
  return results;
}

import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { runProcess, scrubbedEnv, type ProcessResult } from '../../node/process';
import { resolveExisting } from '../workspace';
import { defineTool, ToolError } from './tool';

/** Why `argv` may not run under `allowed`, or undefined when it may. */
export function commandProblem(argv: readonly string[], allowed: readonly string[]): string | undefined {
  const name = argv[0] ?? '';
  if (name === '') return 'command is empty';
  if (/[\\/]/.test(name)) return `give the command by name, not by path ("${name}")`;
  if (!allowed.includes(name)) {
    return allowed.length ? `"${name}" is not allowed for this role; allowed: ${allowed.join(', ')}` : 'this role may not run commands';
  }
  return undefined;
}

/** The text the model sees for a finished command: how it ended, then stdout and stderr, each with its size. */
function describeRun(argv: readonly string[], result: ProcessResult, timeoutMs: number): string {
  const ended = result.spawnError
    ? `could not start: ${result.spawnError}`
    : result.timedOut
      ? `killed after the ${timeoutMs} ms timeout`
      : result.exitCode !== null
        ? `exit code ${result.exitCode}`
        : `killed by ${result.signal}`;
  const stream = (name: string, text: string, bytes: number) =>
    bytes === 0 ? `${name}: (empty)` : `${name} (${bytes} bytes${bytes > Buffer.byteLength(text) ? ', cut' : ''}):\n${text}`;
  return [`$ ${argv.join(' ')}`, ended, stream('stdout', result.stdout, result.stdoutBytes), stream('stderr', result.stderr, result.stderrBytes)].join('\n');
}

/** `run_command`: runs an allowed program (argv, no shell) in the workspace with a scrubbed environment, a timeout and an output cap. */
export const runCommand = defineTool({
  name: 'run_command',
  description:
    'Run a program in the workspace, given as an argv array (no shell: no pipes, globs or redirects). Only the commands allowed for your role can run. Returns the exit code, stdout and stderr.',
  input: z.strictObject({
    argv: z.array(z.string()).min(1).describe('Program name and its arguments, e.g. ["npm", "test"]'),
    cwd: z.string().min(1).default('.').describe('Folder to run in, relative to the workspace root'),
    timeoutMs: z.number().int().min(1).optional(),
  }),
  async run({ argv, cwd, timeoutMs }, ctx) {
    const problem = commandProblem(argv, ctx.commands);
    if (problem) throw new ToolError(`refused: ${problem}`);
    const dir = await resolveExisting(ctx.workspace, cwd, { allowRoot: true });
    if (dir === undefined || !(await stat(dir)).isDirectory()) throw new ToolError(`cwd ${cwd} is not a folder in the workspace`);
    const timeout = Math.min(timeoutMs ?? ctx.limits.commandTimeoutMs, ctx.limits.maxCommandTimeoutMs);
    const result = await runProcess({
      argv,
      cwd: dir,
      env: scrubbedEnv(),
      timeoutMs: timeout,
      maxOutputBytes: ctx.limits.maxCommandOutputBytes,
      signal: ctx.signal,
    });
    if (result.aborted) throw Object.assign(new Error('run_command aborted: the agent was cancelled'), { name: 'AbortError' });
    return describeRun(argv, result, timeout);
  },
});

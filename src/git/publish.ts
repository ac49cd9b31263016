import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runProcess } from '../node/process';
import { fillPlaceholders } from '../agents/placeholders';

/** Placeholders a `pullRequest` command template may use; each is filled shell-quoted. */
export const PULL_REQUEST_PLACEHOLDERS = ['branch', 'integrationBranch', 'title', 'task', 'stream', 'commit', 'target'] as const;
export type PullRequestValues = Record<(typeof PULL_REQUEST_PLACEHOLDERS)[number], string>;

/** `value` as one POSIX shell word. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The command line a template becomes for one landed stream (values shell-quoted, so a title cannot inject commands). */
export function pullRequestCommand(template: string, values: PullRequestValues): string {
  const quoted = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, shellQuote(v)])) as PullRequestValues;
  return fillPlaceholders(template, quoted);
}

/**
 * Runs the target's `pullRequest` command once per landed branch (`sh -c`, in the main checkout, with the worker's
 * environment so tools like `gh` find their login). A marker under `<git-common-dir>/baton/pull-requests` records a
 * run that succeeded, so a retried landing does not open a second pull request. Returns the command's last output line.
 */
export async function openPullRequest(gitCommonDir: string, repo: string, template: string, values: PullRequestValues, signal?: AbortSignal): Promise<string> {
  const marker = path.join(gitCommonDir, 'baton', 'pull-requests', values.branch.replace(/[^\w.-]+/g, '__'));
  const done = await readFile(marker, 'utf8').catch(() => undefined);
  if (done !== undefined) return done;
  const command = pullRequestCommand(template, values);
  const run = await runProcess({ argv: ['sh', '-c', command], cwd: repo, env: process.env, timeoutMs: 300_000, maxOutputBytes: 64 * 1024, signal });
  const output = `${run.stdout}\n${run.stderr}`.trim();
  if (run.exitCode !== 0) {
    throw new Error(`pullRequest command failed (${run.spawnError ?? (run.timedOut ? 'timed out' : `exit ${run.exitCode ?? run.signal}`)}): ${command}: ${output.split('\n').slice(-3).join(' / ')}`);
  }
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  await mkdir(path.dirname(marker), { recursive: true });
  await writeFile(marker, last);
  return last;
}

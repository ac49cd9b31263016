import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BatonClient } from '../../src/client/baton-client';
import type { OrchestrationState } from '../../src/shared/schemas';
import type { Gate, RecoveryPolicy, Target } from '../../src/shared/targets';
import { resolveGitTargets } from '../../src/git/targets';
import { DEFAULT_AUTHOR, type TargetGit } from '../../src/shared/target-git';

/** A fresh folder under `parent` for one test's target repositories. */
export function tempDir(parent: string, name: string): string {
  return fs.mkdtempSync(path.join(parent, `${name}-`));
}

/** Options for a temp target repository. */
export interface TargetOptions {
  gates?: Omit<Gate, 'timeoutSeconds'>[];
  recovery?: RecoveryPolicy;
  /** Extra files committed with the roadmap. */
  files?: Record<string, string>;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    stdio: 'pipe',
  });

/** A git repository under `root` with `plans/roadmap.md` committed: a target as the config carries it. */
export function gitTarget(root: string, name: string, roadmap: string, opts: TargetOptions = {}): Target {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'plans'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'plans', 'roadmap.md'), roadmap);
  for (const [file, text] of Object.entries(opts.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'roadmap');
  return {
    name,
    path: dir,
    roadmap: path.join(dir, 'plans', 'roadmap.md'),
    devLog: path.join(dir, 'plans', 'dev-log.md'),
    gates: (opts.gates ?? []).map((g) => ({ timeoutSeconds: 60, ...g })),
    ...(opts.recovery ? { recovery: opts.recovery } : {}),
  };
}

/** `git <args>` in `cwd`, its stdout trimmed (test identity, no signing). */
export function gitOut(cwd: string, ...args: string[]): string {
  return git(cwd, ...args).toString().trim();
}

/** A git repository at `<root>/<name>` on branch main with `files` committed ("baseline"). */
export function gitRepo(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'baseline');
  return dir;
}

/** A target whose agents' work lands in git: `gitTarget` checked and filled as `baton new --targets` does. */
export async function landingGitTarget(root: string, name: string, roadmap: string, opts: TargetOptions & { git?: Partial<TargetGit> } = {}): Promise<Target> {
  const target = gitTarget(root, name, roadmap, opts);
  const [resolved] = await resolveGitTargets([{ ...target, ...(opts.git ? { git: { author: DEFAULT_AUTHOR, push: false, ...opts.git } } : {}) }]);
  return resolved!;
}

/** `git worktree list` paths of a repository. */
export function worktreePaths(repo: string): string[] {
  return gitOut(repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
}

/** The file's text. */
export function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** The field lines (`- **Status:** …`) of one stream's section, by its id. */
export function fieldsOf(roadmap: string, id: string): { status?: string; owner?: string } {
  const lines = roadmap.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`### ${id} `));
  if (start < 0) throw new Error(`no stream ${id} in:\n${roadmap}`);
  const out: { status?: string; owner?: string } = {};
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    const m = /^- \*\*(Status|Owner):\*\* (.*)$/.exec(line);
    if (m) out[m[1] === 'Status' ? 'status' : 'owner'] = m[2];
  }
  return out;
}

/** A roadmap without its Status and Owner lines: what gardening must leave byte for byte. */
export function withoutStatusAndOwner(roadmap: string): string {
  return roadmap
    .split('\n')
    .filter((l) => !/^- \*\*(Status|Owner):\*\*/.test(l))
    .join('\n');
}

/** The whole orchestration state, as the `context` query exports it. */
async function stateOf(baton: BatonClient, project: string): Promise<OrchestrationState> {
  return (await baton.context(project)).baton;
}

/** Poll the full state until `predicate` holds. */
export async function waitForState(
  baton: BatonClient,
  project: string,
  predicate: (s: OrchestrationState) => boolean,
  timeoutMs = 60_000,
): Promise<OrchestrationState> {
  const deadline = Date.now() + timeoutMs;
  let last: OrchestrationState | undefined;
  while (Date.now() < deadline) {
    last = await stateOf(baton, project);
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`state never matched; last: ${JSON.stringify({ phase: last?.phase, objectives: last?.objectives, tasks: last?.tasks, decisions: last?.decisions }, null, 2)}`);
}

/** The task working a stream (the latest one when there are several). */
export function taskFor(s: OrchestrationState, ref: string) {
  const task = s.tasks.filter((t) => t.stream === ref).at(-1);
  if (!task) throw new Error(`no task for ${ref}: ${JSON.stringify(s.tasks.map((t) => t.stream))}`);
  return task;
}

/** Names of the agents that worked on a task, in spawn order. */
export function agentsOn(s: OrchestrationState, taskId: string): string[] {
  return s.agents.filter((a) => a.taskId === taskId).map((a) => a.name);
}

/** Most tasks that were running at the same moment, from their started/completed times. */
export function maxConcurrent(tasks: { started?: string; completed?: string }[]): number {
  const events = tasks.flatMap((t) => (t.started && t.completed ? [{ at: t.started, d: 1 }, { at: t.completed, d: -1 }] : []));
  // Ends before starts at the same instant: a task starting as another finishes does not overlap it.
  events.sort((a, b) => a.at.localeCompare(b.at) || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const e of events) max = Math.max(max, (now += e.d));
  return max;
}

/** Poll a file until `ok` holds for its text; returns the last text read either way. */
export async function waitForFile(file: string, ok: (text: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.existsSync(file) ? read(file) : '';
    if (ok(text) || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

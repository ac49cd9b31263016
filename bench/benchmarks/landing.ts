import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { makeLandWork } from '../../src/activities/land-work';
import { checkRepo } from '../../src/git/check';
import { ensureWorktree } from '../../src/git/worktree';
import type { LandWorkInput } from '../../src/shared/landing';
import { mapLimit, pairedRatios, summarize, type Summary } from '../stats';

const run = promisify(execFile);

/** Sizes for the landing benchmark. */
export interface LandingSizes {
  /** Independent streams landed on one target per measurement. */
  streams: number;
  /** Agents landing at once in the concurrent variant. */
  concurrent: number;
  repeats: number;
}

/** Landing N streams the Baton way vs a plain script of the same git commands, one after another and with agents at once. */
export interface LandingResult {
  streams: number;
  concurrent: number;
  sequential: { batonMs: Summary; scriptMs: Summary; ratio: number; pairedRatio: Summary };
  parallel: { batonMs: Summary; scriptMs: Summary; ratio: number; pairedRatio: Summary };
}

const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@bench', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], { cwd });

/** A repository with a few hundred files on main, like a small real project. */
async function freshRepo(dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 200; i++) {
    fs.mkdirSync(path.join(dir, 'src', `m${i % 20}`), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', `m${i % 20}`, `f${i}.ts`), `export const v${i} = ${i};\n`.repeat(20));
  }
  await git(dir, '-c', 'init.defaultBranch=main', 'init', '-q');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-qm', 'baseline');
  return dir;
}

/** Baton: worktree (spawnAgent's ensureWorktree), the agent's file, then landWork (commit with trailers, merge, cleanup). */
async function batonLand(repo: string, streams: number, concurrent: number): Promise<number> {
  const facts = await checkRepo(repo);
  const target = { name: 'bench', repo, ...facts, author: '{{agent}} ({{role}}) <{{agent}}@baton.invalid>', push: false };
  const landWork = makeLandWork();
  const started = performance.now();
  await mapLimit(
    Array.from({ length: streams }, (_, i) => i),
    concurrent,
    async (i) => {
      const worktree = { path: path.join(facts.worktrees, 'bench', `task_${i}`), branch: `baton/bench/${i}` };
      await ensureWorktree({ repo, ...worktree, integrationBranch: facts.integrationBranch, owner: `bench/TASK_${i}` });
      fs.writeFileSync(path.join(worktree.path, `stream-${i}.txt`), `stream ${i}\n`);
      const input: LandWorkInput = {
        project: 'bench',
        orchestration: 'baton/bench',
        taskId: `TASK_${i}`,
        stream: `bench:${i}`,
        title: `stream ${i}`,
        summary: 'bench',
        target,
        worktree,
        superseded: [],
        author: { name: 'Forge (developer)', email: 'forge@baton.invalid' },
        agent: 'Forge',
      };
      const r = await landWork(input);
      if (r.status !== 'landed') throw new Error(`stream ${i} did not land: ${JSON.stringify(r)}`);
    },
  );
  return performance.now() - started;
}

/** The plain script: `worktree add -b`, the file, `add`/`commit`, `merge` in the main checkout (one at a time), `worktree remove`, `branch -d`. */
async function scriptLand(repo: string, streams: number, concurrent: number): Promise<number> {
  // Worktree changes and merges into the one checkout must not overlap (concurrent `worktree add`s trip over each
  // other, merges over index.lock): the script serialises them, as Baton's repository lock does.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const started = performance.now();
  await mapLimit(
    Array.from({ length: streams }, (_, i) => i),
    concurrent,
    async (i) => {
      const wt = path.join(repo, '.git', 'script-worktrees', `s${i}`);
      await serial(() => git(repo, 'worktree', 'add', '-q', '-b', `script/${i}`, wt, 'main'));
      fs.writeFileSync(path.join(wt, `stream-${i}.txt`), `stream ${i}\n`);
      await git(wt, 'add', '-A');
      await git(wt, 'commit', '-qm', `stream ${i}`);
      await serial(() => git(repo, 'merge', '-q', '--no-edit', `script/${i}`));
      await serial(() => git(repo, 'worktree', 'remove', wt));
      await serial(() => git(repo, 'branch', '-q', '-d', `script/${i}`));
    },
  );
  return performance.now() - started;
}

/** Benchmark 7: landing independent streams on one target, Baton's landing vs the same git commands in a plain script. */
export async function benchLanding(opts: { dataDir: string }, sizes: LandingSizes, log: (m: string) => void): Promise<LandingResult> {
  const root = fs.mkdtempSync(path.join(opts.dataDir, 'landing-'));
  const measure = async (concurrent: number) => {
    const baton: number[] = [];
    const script: number[] = [];
    for (let r = 0; r < sizes.repeats; r++) {
      // Alternate which side goes first, so a warm page cache favours neither.
      const sides = [
        async () => baton.push(await batonLand(await freshRepo(path.join(root, `b-${concurrent}-${r}`)), sizes.streams, concurrent)),
        async () => script.push(await scriptLand(await freshRepo(path.join(root, `s-${concurrent}-${r}`)), sizes.streams, concurrent)),
      ];
      for (const side of r % 2 ? sides.reverse() : sides) await side();
      log(`landing ×${concurrent}: repeat ${r + 1}/${sizes.repeats}: Baton ${baton.at(-1)!.toFixed(0)} ms, script ${script.at(-1)!.toFixed(0)} ms`);
    }
    const batonMs = summarize(baton);
    const scriptMs = summarize(script);
    return { batonMs, scriptMs, ratio: batonMs.median / scriptMs.median, pairedRatio: summarize(pairedRatios(baton, script)) };
  };
  try {
    const sequential = await measure(1);
    const parallel = await measure(sizes.concurrent);
    return { streams: sizes.streams, concurrent: sizes.concurrent, sequential, parallel };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeLandWork } from '../../src/activities/land-work';
import { checkRepo } from '../../src/git/check';
import { ensureWorktree } from '../../src/git/worktree';
import type { LandWorkInput } from '../../src/shared/landing';
import { gitOut, gitRepo, worktreePaths } from '../support/git-targets';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-land-kills-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Runs landWork for `input` in a child process and SIGKILLs it `afterMs` after it starts landing (or lets it finish). */
function landInChild(input: LandWorkInput, afterMs: number): Promise<{ killed: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), path.join(__dirname, 'land-child.ts'), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let started = 0;
    let killed = false;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (!started && d.toString().includes('go')) {
        started = performance.now();
        setTimeout(() => {
          if (child.exitCode === null) killed = child.kill('SIGKILL');
        }, afterMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ killed, ms: performance.now() - started });
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

test('a worker killed (SIGKILL) at any point of a landing leaves nothing half-done: the retry finds the commit or the merge already there', async () => {
  const repo = gitRepo(root, 'kills', { 'shared.txt': 'one\ntwo\nthree\n' });
  const facts = await checkRepo(repo);
  const target = { name: 'kills', repo, ...facts, author: '{{agent}} ({{role}}) <{{agent}}@baton.invalid>', push: false };
  const prepare = async (i: number): Promise<LandWorkInput> => {
    const worktree = { path: path.join(facts.worktrees, 'p', `task_${i}`), branch: `baton/kills/${i}` };
    await ensureWorktree({ repo, ...worktree, integrationBranch: facts.integrationBranch, owner: `p/TASK_${i}` });
    fs.writeFileSync(path.join(worktree.path, `stream-${i}.txt`), `stream ${i}\n`);
    // The integration branch moves on after the task started, so landing needs a real merge commit.
    fs.writeFileSync(path.join(repo, `main-${i}.txt`), `main ${i}\n`);
    gitOut(repo, 'add', '-A');
    gitOut(repo, 'commit', '-qm', `main moves on ${i}`);
    return { project: 'p', orchestration: 'baton/p', taskId: `TASK_${i}`, stream: `kills:${i}`, title: `stream ${i}`, summary: 's', target, worktree, superseded: [], author: { name: 'Forge (developer)', email: 'forge@baton.invalid' }, agent: 'Forge' };
  };

  // How long one landing takes in a child here, so the kills can be spread over all of it.
  const whole = (await landInChild(await prepare(0), 60_000)).ms;
  const kills = 10;
  let killed = 0;
  for (let i = 1; i <= kills; i++) {
    const input = await prepare(i);
    const r = await landInChild(input, (whole * (i - 1)) / (kills - 1));
    if (r.killed) killed++;
    // The retry (a new worker taking the activity over) lands it, once.
    const retried = await makeLandWork()(input);
    expect(retried.status).toBe('landed');
    const commits = gitOut(repo, 'log', '--no-merges', '--format=%H', '--fixed-strings', `--grep=Baton-Task: TASK_${i}`, 'main').split('\n');
    expect(commits).toHaveLength(1);
    expect(gitOut(repo, 'show', `main:stream-${i}.txt`)).toBe(`stream ${i}`);
    expect(gitOut(repo, 'status', '--porcelain')).toBe('');
    expect(worktreePaths(repo)).toEqual([fs.realpathSync(repo)]);
    expect(gitOut(repo, 'branch', '--list', 'baton/*')).toBe('');
    // A lock a killed worker left is stale (its holder is gone): the next landing takes it over, as this loop shows.
    const lock = path.join(facts.worktrees, '..', 'landing.lock');
    if (fs.existsSync(lock)) expect(() => process.kill(Number(fs.readFileSync(lock, 'utf8').split('\n')[0]), 0)).toThrow();
  }
  // Most kills land mid-landing (the last ones may come after it finished).
  expect(killed).toBeGreaterThanOrEqual(kills / 2);
  // Every stream's file is on main and each landing made exactly one merge.
  for (let i = 0; i <= kills; i++) expect(gitOut(repo, 'show', `main:stream-${i}.txt`)).toBe(`stream ${i}`);
  expect(gitOut(repo, 'log', '--merges', '--format=%H', 'main').split('\n')).toHaveLength(kills + 1);
}, 300_000);

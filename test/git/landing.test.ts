import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { makeLandWork, type LandStep } from '../../src/activities/land-work';
import { checkRepo } from '../../src/git/check';
import { ensureWorktree } from '../../src/git/worktree';
import type { LandWorkInput, LandWorkResult } from '../../src/shared/landing';
import type { LandingTarget } from '../../src/shared/worktrees';
import { workspaceChanges } from '../../src/verify/diff';
import { gitOut, gitRepo, worktreePaths } from '../support/git-targets';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-landing-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

/** A repository and its landing settings, as `baton new --targets` fills them in. */
async function target(name: string, files: Record<string, string>, extra: Partial<LandingTarget> = {}): Promise<LandingTarget> {
  const repo = gitRepo(root, name, files);
  const facts = await checkRepo(repo);
  return { name, repo, ...facts, author: '{{agent}} ({{role}}) <{{agent}}@baton.invalid>', push: false, ...extra };
}

/** One agent's task: its worktree made the way spawnAgent makes it, and the landing input landWork gets. */
async function task(t: LandingTarget, id: string, stream: string, agent = 'Forge', round = 0): Promise<LandWorkInput> {
  const suffix = round ? `-r${round}` : '';
  const worktree = { path: path.join(t.worktrees, 'p', `${id.toLowerCase()}${suffix}`), branch: `baton/${t.name}/${stream}${suffix}` };
  await ensureWorktree({ repo: t.repo, path: worktree.path, branch: worktree.branch, integrationBranch: t.integrationBranch, owner: `p/${id}` });
  return {
    project: 'p',
    orchestration: 'baton/p',
    taskId: id,
    stream: `${t.name}:${stream}`,
    title: `${t.name}:${stream} work by ${agent}`,
    summary: `${agent} did the work.`,
    target: t,
    worktree,
    superseded: Array.from({ length: round }, (_, i) => `baton/${t.name}/${stream}${i ? `-r${i}` : ''}`),
    author: { name: `${agent} (developer)`, email: `${agent.toLowerCase()}@baton.invalid` },
    agent,
  };
}

const write = (dir: string, file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};
/** `shared.txt` with line `n` replaced. */
const editLine = (dir: string, n: number, text: string) => {
  const all = fs.readFileSync(path.join(dir, 'shared.txt'), 'utf8').split('\n');
  all[n - 1] = text;
  fs.writeFileSync(path.join(dir, 'shared.txt'), all.join('\n'));
};
const landWork = makeLandWork();
const landed = (r: LandWorkResult) => {
  if (r.status !== 'landed') throw new Error(`expected landed, got ${JSON.stringify(r)}`);
  return r;
};

describe('landing agents work in git', () => {
  it('three agents in parallel, each adding a file and editing a shared file in different places: three commits merged, gates pass on the result, nothing lost', async () => {
    const t = await target('three', { 'shared.txt': lines(30), 'check.sh': 'set -e\nfor f in a b c; do test -f "$f.txt"; done\ngrep -q "edited by A" shared.txt\ngrep -q "edited by B" shared.txt\ngrep -q "edited by C" shared.txt\n' });
    const agents = [
      ['A', 'Forge', 2],
      ['B', 'Quill', 15],
      ['C', 'Ember', 28],
    ] as const;
    const inputs = await Promise.all(agents.map(([, agent], i) => task(t, `TASK_00${i + 1}`, `1.${i + 1}`, agent)));
    agents.forEach(([k, , line], i) => {
      write(inputs[i]!.worktree.path, `${k.toLowerCase()}.txt`, `${k}\n`);
      editLine(inputs[i]!.worktree.path, line, `line ${line} edited by ${k}`);
    });
    // Gates never see another agent's files: each worktree holds its own change only.
    for (const [i, input] of inputs.entries()) {
      const base = gitOut(input.worktree.path, 'merge-base', 'HEAD', `refs/heads/${t.integrationBranch}`);
      const changes = await workspaceChanges(input.worktree.path, { base });
      expect(changes.changedFiles.sort()).toEqual([`${agents[i]![0].toLowerCase()}.txt`, 'shared.txt']);
    }

    const results = await Promise.all(inputs.map((i) => landWork(i)));
    expect(results.map((r) => r.status)).toEqual(['landed', 'landed', 'landed']);
    expect(results.map((r) => landed(r).how).sort()).toEqual(['fast-forward', 'merge', 'merge']);

    execFileSync('sh', ['check.sh'], { cwd: t.repo });
    const shared = fs.readFileSync(path.join(t.repo, 'shared.txt'), 'utf8');
    expect(shared.split('\n').filter((l) => l.includes('edited by'))).toEqual(['line 2 edited by A', 'line 15 edited by B', 'line 28 edited by C']);
    expect(gitOut(t.repo, 'status', '--porcelain')).toBe('');
    expect(worktreePaths(t.repo)).toEqual([fs.realpathSync(t.repo)]);
    expect(gitOut(t.repo, 'branch', '--list', 'baton/*')).toBe('');

    // Each agent's commit: the agent as author, Baton as committer, the four trailers.
    const log = gitOut(t.repo, 'log', '--no-merges', '--format=%an <%ae>|%cn|%(trailers:key=Baton-Task,valueonly,separator=)|%(trailers:key=Baton-Stream,valueonly,separator=)|%(trailers:key=Baton-Agent,valueonly,separator=)|%(trailers:key=Baton-Orchestration,valueonly,separator=)');
    for (const [i, [, agent]] of agents.entries()) {
      expect(log).toContain(`${agent} (developer) <${agent.toLowerCase()}@baton.invalid>|Baton|TASK_00${i + 1}|three:1.${i + 1}|${agent}|baton/p`);
    }
    expect(gitOut(t.repo, 'log', '--merges', '--format=%s')).toMatch(/Merge baton\/three\/1\.\d \(three:1\.\d\) into /);
  });

  it('a true conflict is a result: the worktree goes, the branch keeps the commit; a fresh worktree on the new head then merges', async () => {
    const t = await target('conflict', { 'shared.txt': lines(5) });
    const [first, second] = [await task(t, 'TASK_001', '1.1', 'Forge'), await task(t, 'TASK_002', '1.2', 'Quill')];
    editLine(first.worktree.path, 3, 'three, as Forge wrote it');
    editLine(second.worktree.path, 3, 'three, as Quill wrote it');
    landed(await landWork(first));
    const clash = await landWork(second);
    expect(clash).toMatchObject({ status: 'conflict', files: ['shared.txt'], branch: 'baton/conflict/1.2' });
    expect(fs.existsSync(second.worktree.path)).toBe(false);
    expect(gitOut(t.repo, 'log', '-1', '--format=%s', 'baton/conflict/1.2')).toContain('work by Quill');
    expect(fs.readFileSync(path.join(t.repo, 'shared.txt'), 'utf8')).toContain('as Forge wrote it');

    const again = await task(t, 'TASK_002', '1.2', 'Quill', 1);
    expect(fs.readFileSync(path.join(again.worktree.path, 'shared.txt'), 'utf8')).toContain('as Forge wrote it');
    editLine(again.worktree.path, 4, 'four, as Quill wrote it after the conflict');
    expect(landed(await landWork(again)).how).toBe('fast-forward');
    const text = fs.readFileSync(path.join(t.repo, 'shared.txt'), 'utf8');
    expect(text).toContain('as Forge wrote it');
    expect(text).toContain('as Quill wrote it after the conflict');
    // The superseded branch goes once the task's work has landed.
    expect(gitOut(t.repo, 'branch', '--list', 'baton/*')).toBe('');
    expect(worktreePaths(t.repo)).toHaveLength(1);
  });

  it.each<LandStep>(['merge', 'publish', 'cleanup'])('a landing interrupted before %s is retried and finds its commit (and merge) already there', async (at) => {
    const origin = path.join(root, `origin-${at}.git`);
    const t = await target(`crash-${at}`, { 'a.txt': 'a\n' }, { push: true });
    execFileSync('git', ['init', '-q', '--bare', origin]);
    gitOut(t.repo, 'remote', 'add', 'origin', origin);
    const other = await task(t, 'TASK_009', '0.9', 'Ember');
    const input = await task(t, 'TASK_001', '1.1');
    write(other.worktree.path, 'other.txt', 'other\n');
    write(input.worktree.path, 'b.txt', 'b\n');
    landed(await landWork(other));
    let killed = false;
    const crashing = makeLandWork((step) => {
      if (step === at && !killed) {
        killed = true;
        throw new Error(`worker killed before ${step}`);
      }
    });
    await expect(crashing(input)).rejects.toThrow(/worker killed/);
    const retried = landed(await crashing(input));
    const commits = gitOut(t.repo, 'log', '--no-merges', '--format=%H', '--fixed-strings', '--grep=Baton-Task: TASK_001', t.integrationBranch).split('\n');
    expect(commits).toEqual([retried.commit]);
    expect(retried.how).toBe(at === 'merge' ? 'merge' : 'already');
    expect(gitOut(t.repo, 'log', '--merges', '--format=%H', t.integrationBranch).split('\n')).toHaveLength(1);
    // A third call (say, the reply was lost after cleanup) still finds it: worktree and branch gone, the commit on main.
    expect(landed(await crashing(input)).commit).toBe(retried.commit);
    expect(gitOut(origin, 'rev-parse', t.integrationBranch)).toBe(gitOut(t.repo, 'rev-parse', t.integrationBranch));
    expect(gitOut(t.repo, 'status', '--porcelain')).toBe('');
    expect(worktreePaths(t.repo)).toHaveLength(1);
  });

  it('a crash between the agent committing on its own and Baton committing folds everything into one trailered commit', async () => {
    const t = await target('selfcommit', { 'a.txt': 'a\n' });
    const input = await task(t, 'TASK_001', '1.1');
    write(input.worktree.path, 'b.txt', 'b\n');
    gitOut(input.worktree.path, 'add', '-A');
    gitOut(input.worktree.path, 'commit', '-qm', 'agent wip');
    write(input.worktree.path, 'c.txt', 'c\n');
    const r = landed(await landWork(input));
    expect(gitOut(t.repo, 'show', '--name-only', '--format=%an', r.commit).split('\n').filter(Boolean)).toEqual(['Forge (developer)', 'b.txt', 'c.txt']);
    expect(gitOut(t.repo, 'log', '--format=%s', t.integrationBranch)).not.toContain('agent wip');
  });

  it('making a worktree again reuses it with the agent\'s work; a folder left by a killed `worktree add` is replaced; a stranger\'s same-named branch is moved aside', async () => {
    const t = await target('ensure', { 'a.txt': 'a\n' });
    const input = await task(t, 'TASK_001', '1.1');
    write(input.worktree.path, 'half.txt', 'half\n');
    const spec = { repo: t.repo, path: input.worktree.path, branch: input.worktree.branch, integrationBranch: t.integrationBranch, owner: 'p/TASK_001' };
    expect(await ensureWorktree(spec)).toEqual({ created: false });
    expect(fs.readFileSync(path.join(input.worktree.path, 'half.txt'), 'utf8')).toBe('half\n');

    const leftover = path.join(t.worktrees, 'p', 'task_002');
    fs.mkdirSync(leftover, { recursive: true });
    fs.writeFileSync(path.join(leftover, 'partial'), 'x');
    gitOut(t.repo, 'branch', 'baton/ensure/1.2');
    const stranger = gitOut(t.repo, 'rev-parse', 'baton/ensure/1.2');
    expect(await ensureWorktree({ ...spec, path: leftover, branch: 'baton/ensure/1.2', owner: 'p/TASK_002' })).toEqual({ created: true });
    expect(fs.existsSync(path.join(leftover, 'partial'))).toBe(false);
    expect(gitOut(t.repo, 'rev-parse', `baton/ensure/1.2-was-${stranger.slice(0, 8)}`)).toBe(stranger);
    expect(worktreePaths(t.repo)).toHaveLength(3);
  });

  it('nothing changed: nothing lands, the worktree and branch go', async () => {
    const t = await target('empty', { 'a.txt': 'a\n' });
    const input = await task(t, 'TASK_001', '1.1');
    const head = gitOut(t.repo, 'rev-parse', 'HEAD');
    expect(await landWork(input)).toEqual({ status: 'empty' });
    expect(gitOut(t.repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(worktreePaths(t.repo)).toHaveLength(1);
    expect(gitOut(t.repo, 'branch', '--list', 'baton/*')).toBe('');
  });

  it('a person working in the main checkout keeps their uncommitted edits; with another branch checked out the integration branch moves by compare-and-swap', async () => {
    const t = await target('person', { 'a.txt': 'a\n', 'notes.md': 'mine\n' });
    const input = await task(t, 'TASK_001', '1.1');
    write(input.worktree.path, 'b.txt', 'b\n');
    fs.writeFileSync(path.join(t.repo, 'notes.md'), 'mine, edited\n');
    landed(await landWork(input));
    expect(fs.readFileSync(path.join(t.repo, 'b.txt'), 'utf8')).toBe('b\n');
    expect(fs.readFileSync(path.join(t.repo, 'notes.md'), 'utf8')).toBe('mine, edited\n');

    gitOut(t.repo, 'checkout', '-q', '-b', 'elsewhere');
    const next = await task(t, 'TASK_002', '1.2');
    write(next.worktree.path, 'c.txt', 'c\n');
    landed(await landWork(next));
    expect(fs.existsSync(path.join(t.repo, 'c.txt'))).toBe(false);
    expect(gitOut(t.repo, 'show', `${t.integrationBranch}:c.txt`)).toBe('c');
    expect(gitOut(t.repo, 'symbolic-ref', '--short', 'HEAD')).toBe('elsewhere');
  });

  it('pullRequest runs the stand-in command once per landed stream with quoted values, after pushing the branch', async () => {
    const origin = path.join(root, 'origin-pr.git');
    execFileSync('git', ['init', '-q', '--bare', origin]);
    const log = path.join(root, 'prs.log');
    const t = await target('pr', { 'a.txt': 'a\n' }, { pullRequest: `printf '%s|%s|%s\\n' {{branch}} {{integrationBranch}} {{title}} >> ${log}; echo https://example.invalid/pr/{{task}}` });
    gitOut(t.repo, 'remote', 'add', 'origin', origin);
    const input = await task(t, 'TASK_001', '1.1');
    input.title = `it's "quoted"; $(touch ${path.join(root, 'pwned')})`;
    write(input.worktree.path, 'b.txt', 'b\n');
    const r = landed(await landWork(input));
    expect(r.pullRequest).toBe('https://example.invalid/pr/TASK_001');
    expect(fs.readFileSync(log, 'utf8')).toBe(`baton/pr/1.1|${t.integrationBranch}|${input.title}\n`);
    expect(fs.existsSync(path.join(root, 'pwned'))).toBe(false);
    expect(gitOut(origin, 'rev-parse', 'baton/pr/1.1')).toBe(r.commit);
    // A retry opens no second pull request.
    landed(await landWork(input));
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('bad targets are refused at start with the reason, and nothing is changed', async () => {
    const plain = path.join(root, 'plain');
    fs.mkdirSync(plain);
    await expect(checkRepo(plain)).rejects.toThrow(/is not a git repository/);
    const bare = path.join(root, 'nocommits');
    fs.mkdirSync(bare);
    execFileSync('git', ['init', '-q'], { cwd: bare });
    await expect(checkRepo(bare)).rejects.toThrow(/has no commits yet/);
    const dirty = gitRepo(root, 'dirty', { 'a.txt': 'a\n' });
    fs.writeFileSync(path.join(dirty, 'a.txt'), 'changed\n');
    fs.writeFileSync(path.join(dirty, 'new.txt'), 'new\n');
    await expect(checkRepo(dirty)).rejects.toThrow(/uncommitted changes on \w+ \(a\.txt\): commit or stash them first/);
    // Untracked files alone are fine: landing never overwrites one (the merge would refuse).
    const untracked = gitRepo(root, 'untracked', { 'a.txt': 'a\n' });
    fs.writeFileSync(path.join(untracked, 'notes.txt'), 'mine\n');
    await expect(checkRepo(untracked)).resolves.toMatchObject({ integrationBranch: 'main' });
    expect(fs.readFileSync(path.join(dirty, 'a.txt'), 'utf8')).toBe('changed\n');
    await expect(checkRepo(dirty, 'nosuch')).rejects.toThrow(/has no branch nosuch/);
    // A named integration branch that is not checked out may have a dirty checkout beside it.
    gitOut(dirty, 'branch', 'release');
    await expect(checkRepo(dirty, 'release')).resolves.toMatchObject({ integrationBranch: 'release' });
  });
});

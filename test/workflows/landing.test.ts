import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitOut, landingGitTarget, maxConcurrent, read, taskFor, tempDir, waitForState, worktreePaths } from '../support/git-targets';
import { settled, uniqueProject, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => env?.close());

const ROADMAP = `# Shop

### 1.1 Menu
- **Status:** available

### 1.2 Hours
- **Status:** available

### 1.3 Contact
- **Status:** available
`;

/** `git log` of the integration branch: author, trailers and subject of each non-merge commit Baton landed. */
function landedCommits(repo: string): { author: string; task: string; stream: string; agent: string; orchestration: string }[] {
  const format = '%an <%ae>%x1f%(trailers:key=Baton-Task,valueonly,separator=)%x1f%(trailers:key=Baton-Stream,valueonly,separator=)%x1f%(trailers:key=Baton-Agent,valueonly,separator=)%x1f%(trailers:key=Baton-Orchestration,valueonly,separator=)';
  return gitOut(repo, 'log', '--no-merges', `--format=${format}`, '--grep=Baton-Task')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [author, task, stream, agent, orchestration] = l.split('\x1f');
      return { author: author!, task: task!, stream: stream!, agent: agent!, orchestration: orchestration! };
    });
}

test('three developer agents in parallel on one target: each in its own worktree, three trailered commits merged, gates pass on the result, roadmap and dev log committed, nothing left behind', async () => {
  const project = uniqueProject('land3');
  // The gate fails if it sees another agent's file: all three start from the same head, so in its own worktree each sees only its own.
  const gate = { name: 'test', command: 'test "$(ls menu.txt hours.txt contact.txt 2>/dev/null | wc -l)" -eq 1' };
  const site = await landingGitTarget(tempDir(env.dataDir, 'land3'), 'shop', ROADMAP, { gates: [gate] });
  const scenario = writeScenario(
    env.dataDir,
    `
name: land3
agents:
  - match: { stream: "shop:1.1" }
    files: [{ path: menu.txt, content: "sourdough\\n" }]
  - match: { stream: "shop:1.2" }
    files: [{ path: hours.txt, content: "8-16\\n" }]
  - match: { stream: "shop:1.3" }
    files: [{ path: contact.txt, content: "hello@shop\\n" }]
defaults: { delayMs: 400 }
`,
  );
  await env.baton.start(project, { config: { scenario, targets: [site], maxAgents: 3 } });
  await env.baton.runStreams(project, 'all');
  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1 && s.tasks.length === 3 && s.tasks.every((t) => t.logged));
  const tasks = ['shop:1.1', 'shop:1.2', 'shop:1.3'].map((ref) => taskFor(done, ref));
  expect(tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
  expect(maxConcurrent(tasks)).toBe(3);
  // Each was verified in its own worktree on its own diff.
  expect(tasks.map((t) => t.landing?.branch)).toEqual(['baton/shop/1.1', 'baton/shop/1.2', 'baton/shop/1.3']);
  expect(tasks.every((t) => t.landing?.commit && !t.landing.worktree)).toBe(true);

  const repo = site.path;
  const commits = landedCommits(repo);
  expect(commits.map((c) => c.stream).sort()).toEqual(['shop:1.1', 'shop:1.2', 'shop:1.3']);
  for (const c of commits) {
    const agent = done.agents.find((a) => a.taskId === c.task)!;
    expect(c).toEqual({ author: `${agent.name} (developer) <${agent.name.toLowerCase()}@baton.invalid>`, task: agent.taskId, stream: c.stream, agent: agent.name, orchestration: `baton/${project}` });
  }
  expect(tasks.map((t) => t.landing!.commit).sort()).toEqual(gitOut(repo, 'log', '--no-merges', '--format=%H', '--grep=Baton-Task').split('\n').sort());
  for (const f of ['menu.txt', 'hours.txt', 'contact.txt']) expect(fs.existsSync(path.join(repo, f))).toBe(true);
  // The roadmap's status lines and the dev log are on the integration branch; the checkout is clean; no worktree is left.
  expect(gitOut(repo, 'show', 'main:plans/roadmap.md').match(/complete/gi)?.length).toBe(3);
  expect(gitOut(repo, 'show', 'main:plans/dev-log.md')).toContain('shop:1.3');
  expect(gitOut(repo, 'status', '--porcelain')).toBe('');
  expect(worktreePaths(repo)).toEqual([fs.realpathSync(repo)]);
  expect(gitOut(repo, 'worktree', 'prune', '--dry-run', '--verbose')).toBe('');
  expect(gitOut(repo, 'branch', '--list', 'baton/*')).toBe('');
});

test('a true conflict: the later stream is sent back, told which files conflicted, redoes it in a fresh worktree on the new head, then merges', async () => {
  const project = uniqueProject('landc');
  const site = await landingGitTarget(tempDir(env.dataDir, 'landc'), 'shop', ROADMAP.replace(/### 1\.3[\s\S]*$/, ''), { files: { 'notice.txt': 'closed\n' } });
  const scenario = writeScenario(
    env.dataDir,
    `
name: landc
agents:
  - match: { stream: "shop:1.1" }
    delayMs: 100
    files: [{ path: notice.txt, content: "open for the menu\\n" }]
  - match: { stream: "shop:1.2", round: 0 }
    delayMs: 1500
    files: [{ path: notice.txt, content: "open 8-16\\n" }]
  - match: { stream: "shop:1.2", round: 1 }
    delayMs: 100
    files: [{ path: notice.txt, content: "open for the menu, 8-16\\n" }]
`,
  );
  await env.baton.start(project, { config: { scenario, targets: [site], maxAgents: 2 } });
  await env.baton.runStreams(project, 'all');
  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1 && s.tasks.length === 2 && s.tasks.every((t) => t.logged));
  const [first, second] = [taskFor(done, 'shop:1.1'), taskFor(done, 'shop:1.2')];
  expect([first.status, second.status]).toEqual(['completed', 'completed']);
  expect(second.rework).toBe(1);
  expect(second.landing).toMatchObject({ conflicts: 1, how: 'fast-forward' });
  // The rework round was told what conflicted (its feedback is kept in the agent's transcript of the round).
  expect(done.metrics.total_reworks).toBe(1);
  const sentBack = done.agents.find((a) => a.taskId === second.id && /sent back for rework/.test(a.summary ?? ''));
  expect(sentBack?.summary).toMatch(/merge conflict: .*notice\.txt/);
  expect(read(path.join(site.path, 'notice.txt'))).toBe('open for the menu, 8-16\n');
  expect(gitOut(site.path, 'status', '--porcelain')).toBe('');
  expect(worktreePaths(site.path)).toHaveLength(1);
  expect(gitOut(site.path, 'branch', '--list', 'baton/*')).toBe('');
});

test('a failed, escalated task keeps its worktree (shown by status) until a person settles it; then its unlanded work is committed to its branch and the worktree goes', async () => {
  const project = uniqueProject('landf');
  const site = await landingGitTarget(tempDir(env.dataDir, 'landf'), 'shop', ROADMAP.replace(/### 1\.2[\s\S]*$/, ''), {
    gates: [{ name: 'test', command: 'test -f ok.txt' }],
    recovery: { policy: 'escalate', freshAgents: 1 },
  });
  const scenario = writeScenario(env.dataDir, `name: landf\ndefaults: { delayMs: 50, files: [{ path: wip.txt, content: "half done\\n" }] }\n`);
  await env.baton.start(project, { config: { scenario, targets: [site], maxRework: 0 } });
  await env.baton.runStreams(project, 'all');
  const escalated = await waitForState(env.baton, project, (s) => s.decisions.some((d) => d.status === 'pending' && d.kind === 'recovery'));
  const task = taskFor(escalated, 'shop:1.1');
  const kept = task.landing!.worktree!;
  expect(read(path.join(kept, 'wip.txt'))).toBe('half done\n');
  expect((await env.baton.status(project)).tasks.find((t) => t.id === task.id)?.worktree).toBe(kept);
  expect(worktreePaths(site.path)).toHaveLength(2);
  // The main checkout never saw the agent's file.
  expect(fs.existsSync(path.join(site.path, 'wip.txt'))).toBe(false);

  const decision = escalated.decisions.find((d) => d.status === 'pending')!;
  await env.baton.decide(project, { decisionId: decision.id, choice: 'skip', rationale: 'test' });
  const done = await waitForState(env.baton, project, (s) => settled(s) && !taskFor(s, 'shop:1.1').landing?.worktree);
  expect(taskFor(done, 'shop:1.1').status).toBe('failed');
  expect(worktreePaths(site.path)).toEqual([fs.realpathSync(site.path)]);
  expect(gitOut(site.path, 'show', 'baton/shop/1.1:wip.txt')).toBe('half done');
  expect(gitOut(site.path, 'log', '-1', '--format=%s', 'baton/shop/1.1')).toMatch(/^Unlanded work of TASK_\d+ \(skipped: /);
  expect(gitOut(site.path, 'status', '--porcelain')).toBe('');
});

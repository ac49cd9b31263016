import { agentOn, agentReport, freshState, minute, plannedTask, planStreams, spawnChosen, target, taskOf } from '../support/reducers';
import { agentInput } from '../../src/shared/activity-inputs';
import type { VerifyWorkResult } from '../../src/shared/activity-types';
import { applyLanding, conflictFeedback, landInput, type LandWorkResult } from '../../src/shared/landing';
import type { OrchestrationState } from '../../src/shared/schemas';
import { authorFor, AuthorTemplate, DEFAULT_AUTHOR } from '../../src/shared/target-git';
import { markVerifying, verifyInput } from '../../src/shared/verification';
import { applySwept, noteWorktree, taskWorktree, worktreesToSweep } from '../../src/shared/worktrees';
import { skipTask } from '../../src/shared/recovery';
import { statusView } from '../../src/shared/status';
import { renderStatus } from '../../src/client/status-text';

const git = { integrationBranch: 'main', worktrees: '/repo/site/.git/baton/worktrees', author: DEFAULT_AUTHOR, push: false };
const passed: VerifyWorkResult = { passed: true, gates: [], review: { passed: true, by: 'rules', falseClaims: [], notes: [] }, failures: [], diff: 'ART_diff', changedFiles: ['a.txt'] };
const report = agentReport('Menu written');
const landedResult: LandWorkResult = { status: 'landed', commit: 'c0ffee', head: 'c0ffee', how: 'fast-forward', pushed: false };
const conflict: LandWorkResult = { status: 'conflict', files: ['menu.json', 'index.html'], branch: 'baton/site/1.2', commit: 'badc0de1234567' };

/** TASK_001 works site:1.2 in a git target (Forge on it, verified); TASK_002 is free work. */
function working(config: Record<string, unknown> = {}, targetGit: Record<string, unknown> | null = git): OrchestrationState {
  const s = planStreams(freshState({ targets: [target('site', targetGit ? { git: targetGit } : {})], ...config }), [plannedTask('s12', { stream: 'site:1.2' }), plannedTask('free')]);
  return markVerifying(noteWorktree(spawnChosen(s, 'TASK_001'), 'TASK_001'), 'TASK_001');
}
const apply = (s: OrchestrationState, result: LandWorkResult) => applyLanding(s, 'TASK_001', agentOn(s, 'TASK_001'), report, passed, result, minute(3));

describe('worktrees of tasks in git targets', () => {
  it('gives a stream task its own worktree and branch, used by the agent and by verification; free tasks and old configs get none', () => {
    const s = working();
    const task = taskOf(s, 'TASK_001');
    expect(task.landing).toEqual({ conflicts: 0, worktree: '/repo/site/.git/baton/worktrees/demo/task_001', branch: 'baton/site/1.2' });
    const agent = s.agents[0]!;
    expect(agentInput(s, agent, task).target).toEqual({
      name: 'site',
      path: '/repo/site/.git/baton/worktrees/demo/task_001',
      worktree: { repo: '/repo/site', branch: 'baton/site/1.2', integrationBranch: 'main', owner: 'demo/TASK_001' },
    });
    expect(verifyInput(s, task, agent, report)).toMatchObject({ workspace: task.landing!.worktree, integrationBranch: 'main' });
    expect(taskWorktree(s, taskOf(s, 'TASK_002'))).toBeUndefined();

    const old = working({}, null);
    expect(taskOf(old, 'TASK_001').landing).toBeUndefined();
    expect(agentInput(old, old.agents[0]!, taskOf(old, 'TASK_001')).target).toEqual({ name: 'site', path: '/repo/site' });
    expect(landInput(old, taskOf(old, 'TASK_001'), old.agents[0]!, 'baton/demo', report)).toBeUndefined();
  });

  it('names a second task on the same stream by its id too, and a worktree after a conflict -rN', () => {
    let s = working();
    s = { ...s, tasks: [...s.tasks, { ...taskOf(s, 'TASK_001'), id: 'TASK_009', landing: { conflicts: 2 } }] };
    expect(taskWorktree(s, taskOf(s, 'TASK_009'))).toEqual({ path: '/repo/site/.git/baton/worktrees/demo/task_009-r2', branch: 'baton/site/1.2-task_009-r2' });
  });

  it('builds the landing input: the agent as author, the superseded branches of earlier conflicts', () => {
    const s = working({}, { ...git, author: 'Bot {{agent}} [{{role}}] <Bots+{{agent}}@Example.com>' });
    const task = { ...taskOf(s, 'TASK_001'), landing: { conflicts: 1 } };
    const input = landInput(s, task, s.agents[0]!, 'baton/demo', report)!;
    expect(input).toMatchObject({
      taskId: 'TASK_001',
      stream: 'site:1.2',
      title: 'do s12',
      summary: 'Menu written',
      orchestration: 'baton/demo',
      author: { name: 'Bot Forge [developer]', email: 'bots+forge@example.com' },
      worktree: { branch: 'baton/site/1.2-r1' },
      superseded: ['baton/site/1.2'],
    });
  });
});

describe('applyLanding', () => {
  it('landed: the task completes with its commit, and no worktree is left on record', () => {
    const t = taskOf(apply(working(), landedResult), 'TASK_001');
    expect(t.status).toBe('completed');
    expect(t.verification?.passed).toBe(true);
    expect(t.landing).toEqual({ conflicts: 0, branch: 'baton/site/1.2', commit: 'c0ffee', how: 'fast-forward' });
  });

  it('a conflict sends the task back for rework in a fresh worktree, told which files conflicted', () => {
    const s = apply(working(), conflict);
    const t = taskOf(s, 'TASK_001');
    expect(t).toMatchObject({ status: 'pending', rework: 1, preferredAgent: 'Forge', landing: { conflicts: 1, branch: 'baton/site/1.2' } });
    expect(t.landing?.worktree).toBeUndefined();
    expect(t.feedback).toEqual([conflictFeedback(conflict as Extract<LandWorkResult, { status: 'conflict' }>, 'site', 'main')]);
    expect(t.feedback![0]).toMatch(/merge conflict: .* in menu\.json, index\.html\. .*fresh worktree on the new main head.*commit badc0de12345 on branch baton\/site\/1\.2/);
    expect(s.metrics.total_reworks).toBe(1);
    // The next round starts in the -r1 worktree.
    const again = noteWorktree(spawnChosen(s, 'TASK_001'), 'TASK_001');
    expect(taskOf(again, 'TASK_001').landing).toMatchObject({ worktree: '/repo/site/.git/baton/worktrees/demo/task_001-r1', branch: 'baton/site/1.2-r1' });
  });

  it('past the rework limit a conflict goes to the recovery policy', () => {
    const s = apply(working({ maxRework: 0, recovery: { policy: 'skip' } }), conflict);
    const t = taskOf(s, 'TASK_001');
    expect(t.status).toBe('failed');
    expect(t.skipped).toMatch(/merge conflict/);
  });
});

describe('sweeping settled worktrees', () => {
  it('sweeps a skipped task once no agent runs on it, not a pending or running one', () => {
    const s = working();
    expect(worktreesToSweep(s)).toEqual([]);
    const skipped = skipTask({ ...s, agents: s.agents.map((a) => ({ ...a, status: 'failed' as const })) }, 'TASK_001', 'gates keep failing', minute(4));
    const items = worktreesToSweep(skipped);
    expect(items).toEqual([
      { taskId: 'TASK_001', repo: '/repo/site', path: '/repo/site/.git/baton/worktrees/demo/task_001', branch: 'baton/site/1.2', integrationBranch: 'main', why: 'skipped: gates keep failing' },
    ]);
    // Until it is swept, status shows where the kept worktree is.
    expect(statusView(skipped).tasks.find((t) => t.id === 'TASK_001')?.worktree).toBe('/repo/site/.git/baton/worktrees/demo/task_001');
    expect(renderStatus(statusView(skipped))).toContain('      worktree kept: /repo/site/.git/baton/worktrees/demo/task_001');
    expect(statusView(s).tasks.find((t) => t.id === 'TASK_001')?.worktree).toBeUndefined();
    const swept = applySwept(skipped, ['TASK_001']);
    expect(taskOf(swept, 'TASK_001').landing).toMatchObject({ branch: 'baton/site/1.2', worktree: undefined });
    expect(worktreesToSweep(swept)).toEqual([]);
    expect(renderStatus(statusView(swept))).not.toContain('worktree kept');
  });
});

describe('author identity', () => {
  it('defaults to the agent and its role, and refuses templates that are not Name <email>', () => {
    expect(authorFor(DEFAULT_AUTHOR, { name: 'Forge', role: 'developer' })).toEqual({ name: 'Forge (developer)', email: 'forge@baton.invalid' });
    expect(AuthorTemplate.safeParse('Forge').success).toBe(false);
    expect(AuthorTemplate.safeParse('{{agnet}} <a@b>').error?.issues[0]?.message).toMatch(/only the placeholders \{\{agent\}\} and \{\{role\}\}/);
  });
});

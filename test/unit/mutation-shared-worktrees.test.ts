import { freshState, target } from '../support/reducers';
import { agentItem, taskItem } from '../support/state-items';
import type { OrchestrationState, Task } from '../../src/shared/schemas';
import { branchName, type LandingTarget, landingTarget, taskWorktree, worktreesToSweep } from '../../src/shared/worktrees';

// Exact-result tests for the worktree reducers: ids are cut to ref-safe slugs, and only settled tasks' worktrees are swept.

const GIT = { integrationBranch: 'main', worktrees: '/w' };
const SITE: LandingTarget = { name: 'site', repo: '/repo/site', integrationBranch: 'main', worktrees: '/w', author: 'x', push: false };

/** An orchestration whose target `site` lands in git, holding these tasks and agents. */
function withTasks(tasks: Task[], extra: Partial<OrchestrationState> = {}, git: Record<string, unknown> = GIT): OrchestrationState {
  return { ...freshState({ targets: [target('site', { git })] }), tasks, ...extra };
}

/** A task on `site` that kept its worktree, with any fields overridden. */
const kept = (id: string, extra: Partial<Task> = {}): Task =>
  taskItem(id, { target: 'site', landing: { conflicts: 0, worktree: `/w/demo/${id.toLowerCase()}`, branch: `baton/site/${id.toLowerCase()}` }, ...extra });

/** The branch of a task working this stream (round 0), alone in its stream. */
const branchOf = (stream: string): string => {
  const task = taskItem('TASK_001', { stream });
  return branchName(withTasks([task]), task, SITE, 0);
};

describe('landingTarget', () => {
  it('carries the configured pull-request command', () => {
    const s = withTasks([], {}, { ...GIT, pullRequest: 'gh pr create --head {{branch}}' });
    expect(landingTarget(s.config, { target: 'site' })).toEqual({
      name: 'site',
      repo: '/repo/site',
      integrationBranch: 'main',
      worktrees: '/w',
      author: expect.any(String),
      push: false,
      pullRequest: 'gh pr create --head {{branch}}',
    });
  });

  it('has no pull-request command when none is configured', () => {
    const s = withTasks([]);
    expect(landingTarget(s.config, { target: 'site' })).not.toHaveProperty('pullRequest');
  });
});

describe('branch and worktree names are ref-safe slugs', () => {
  it('turns each run of unsafe characters into one dash', () => {
    expect(branchOf('site:My  Shop!!Page')).toBe('baton/site/my-shop-page');
  });

  it('collapses runs of dots into one dot', () => {
    expect(branchOf('site:1..2...3')).toBe('baton/site/1.2.3');
  });

  it('strips every leading and trailing dash or dot', () => {
    expect(branchOf('site:-- shop -.')).toBe('baton/site/shop');
    expect(branchOf('site:..1.2--')).toBe('baton/site/1.2');
  });

  it('renames a trailing .lock (git refuses it) but keeps .lock inside a name', () => {
    expect(branchOf('site:menu.lock')).toBe('baton/site/menu-lock');
    expect(branchOf('site:menu.lock.v2')).toBe('baton/site/menu.lock.v2');
  });

  it("falls back to 'task' when nothing safe is left", () => {
    const task = taskItem('TASK_001', { target: 'site' });
    const s = withTasks([task], { project: '!!!' });
    expect(taskWorktree(s, task)).toEqual({ path: '/w/task/task_001', branch: 'baton/site/task_001' });
  });
});

describe('worktreesToSweep', () => {
  it('sweeps a task a person completed, saying so', () => {
    const s = withTasks([kept('TASK_001', { status: 'completed' })]);
    expect(worktreesToSweep(s)).toEqual([
      { taskId: 'TASK_001', repo: '/repo/site', path: '/w/demo/task_001', branch: 'baton/site/task_001', integrationBranch: 'main', why: 'completed by a person' },
    ]);
  });

  it('does not sweep a settled task an agent is still running on', () => {
    const s = withTasks([kept('TASK_001', { status: 'completed' }), kept('TASK_002', { status: 'failed', skipped: 'blocked' })], {
      agents: [agentItem('AGENT_001', { taskId: 'TASK_001' }), agentItem('AGENT_002', { taskId: 'TASK_002', status: 'failed' })],
    });
    expect(worktreesToSweep(s).map((i) => i.taskId)).toEqual(['TASK_002']);
  });

  it('keeps the worktrees of pending, running and failed-but-not-skipped tasks', () => {
    const s = withTasks([kept('TASK_001'), kept('TASK_002', { status: 'running' }), kept('TASK_003', { status: 'failed' })]);
    expect(worktreesToSweep(s)).toEqual([]);
  });

  it('cuts a long skip reason to 200 characters', () => {
    const reason = 'gates keep failing '.repeat(20);
    const [item] = worktreesToSweep(withTasks([kept('TASK_001', { status: 'failed', skipped: reason })]));
    expect(item?.why).toBe(`skipped: ${reason}`.slice(0, 200));
    expect(item?.why).toHaveLength(200);
  });
});

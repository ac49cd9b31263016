import { agentOn, agentReport, freshState, minute, plannedTask, planStreams, spawnChosen, target, taskOf } from '../support/reducers';
import type { VerifyWorkResult } from '../../src/shared/activity-types';
import { applyLanding, conflictFeedback, landInput, landSummary, type LandWorkInput, type LandWorkResult } from '../../src/shared/landing';
import type { OrchestrationState } from '../../src/shared/schemas';
import { completeTask } from '../../src/shared/state';
import { DEFAULT_AUTHOR } from '../../src/shared/target-git';
import { markVerifying } from '../../src/shared/verification';
import { noteWorktree } from '../../src/shared/worktrees';

type Conflict = Extract<LandWorkResult, { status: 'conflict' }>;

const git = () => ({ integrationBranch: 'main', worktrees: '/repo/site/.git/baton/worktrees', author: DEFAULT_AUTHOR, push: false });
const passed = (): VerifyWorkResult => ({ passed: true, gates: [], review: { passed: true, by: 'rules', falseClaims: [], notes: [] }, failures: [], diff: 'ART_diff', changedFiles: ['menu.json'] });
const conflict = (files: string[]): Conflict => ({ status: 'conflict', files, branch: 'baton/site/1.2', commit: 'badc0de1234567890' });

/** TASK_001 works site:1.2 in a git target (an agent on it, being verified); TASK_002 is free work with no target. */
function working(mission = 'Write the menu page'): OrchestrationState {
  const s = planStreams(freshState({ targets: [target('site', { git: git() })] }), [plannedTask('s12', { stream: 'site:1.2', mission }), plannedTask('free')]);
  let next = markVerifying(noteWorktree(spawnChosen(s, 'TASK_001'), 'TASK_001'), 'TASK_001');
  next = spawnChosen(next, 'TASK_002', minute(2));
  return markVerifying(next, 'TASK_002');
}

function input(extra: Partial<LandWorkInput> = {}): LandWorkInput {
  return {
    project: 'demo',
    orchestration: 'baton/demo',
    taskId: 'TASK_001',
    title: 'menu',
    summary: 'done',
    target: { name: 'site', repo: '/repo/site', integrationBranch: 'main', worktrees: '/w', author: DEFAULT_AUTHOR, push: false },
    worktree: { path: '/w/demo/task_001', branch: 'baton/site/1.2' },
    superseded: [],
    author: { name: 'Forge (developer)', email: 'forge@baton.invalid' },
    agent: 'Forge',
    ...extra,
  };
}

describe('landInput cuts what the agent wrote', () => {
  it('takes the commit subject from the first line of the mission, cut at 120 characters', () => {
    const first = `Rewrite the menu page so that every dish shows its price, allergens and a photo, ${'and keep the layout readable on phones '.repeat(3)}`;
    const s = working(`${first}\nSecond line: not part of the subject.`);
    const made = landInput(s, taskOf(s, 'TASK_001'), s.agents[0]!, 'baton/demo', agentReport('done'))!;
    expect(first.length).toBeGreaterThan(120);
    expect(made.title).toBe(first.slice(0, 120));
    expect(made.title).toHaveLength(120);
  });

  it('keeps a short first line whole', () => {
    const s = working('Write the menu page\nwith prices');
    expect(landInput(s, taskOf(s, 'TASK_001'), s.agents[0]!, 'baton/demo', agentReport('done'))!.title).toBe('Write the menu page');
  });

  it('takes the commit body from the summary, cut at 2000 characters', () => {
    const s = working();
    const summary = 'Wrote menu.json and index.html; every dish has a price. '.repeat(50);
    expect(summary.length).toBeGreaterThan(2000);
    const made = landInput(s, taskOf(s, 'TASK_001'), s.agents[0]!, 'baton/demo', agentReport(summary))!;
    expect(made.summary).toBe(summary.slice(0, 2000));
    expect(landInput(s, taskOf(s, 'TASK_001'), s.agents[0]!, 'baton/demo', agentReport('Menu written'))!.summary).toBe('Menu written');
  });
});

describe('landSummary', () => {
  it('names the task, its stream and where it lands', () => {
    expect(landSummary(input({ stream: 'site:1.2' }))).toBe('land TASK_001 (site:1.2) → site/main');
  });

  it('leaves the stream out for a task without one', () => {
    expect(landSummary(input())).toBe('land TASK_001 → site/main');
    expect(landSummary(input({ stream: '' }))).toBe('land TASK_001 → site/main');
  });
});

describe('conflictFeedback', () => {
  it('tells the whole story in one message: the files, the fresh worktree and the earlier commit (12 characters)', () => {
    expect(conflictFeedback(conflict(['menu.json', 'index.html']), 'site', 'main')).toBe(
      'merge conflict: your verified work could not merge into site/main, which changed the same lines since you started, in menu.json, index.html. ' +
        'You now work in a fresh worktree on the new main head; redo the change there (your previous attempt is commit badc0de12345 on branch baton/site/1.2).',
    );
  });

  it('says so when git named no files', () => {
    expect(conflictFeedback(conflict([]), 'site', 'main')).toContain('since you started, in (git named no files). You now work');
  });

  it('is cut at 500 characters when many files conflicted', () => {
    const files = Array.from({ length: 40 }, (_, i) => `site/pages/menu-${i}.html`);
    const feedback = conflictFeedback(conflict(files), 'site', 'main');
    expect(feedback).toHaveLength(500);
    expect(feedback).toMatch(/^merge conflict: your verified work could not merge into site\/main, .* in site\/pages\/menu-0\.html, site\/pages\/menu-1\.html, /);
    expect(feedback).not.toContain('fresh worktree');
  });
});

describe('applyLanding', () => {
  it('landed: keeps the branch, commit, how and the pull request it opened', () => {
    const s = working();
    const result: LandWorkResult = { status: 'landed', commit: 'c0ffee', head: 'c0ffee', how: 'merge', pushed: true, pullRequest: 'https://example.com/pr/7' };
    const t = taskOf(applyLanding(s, 'TASK_001', agentOn(s, 'TASK_001'), agentReport('Menu written'), passed(), result, minute(3)), 'TASK_001');
    expect(t.status).toBe('completed');
    expect(t.landing).toEqual({ conflicts: 0, branch: 'baton/site/1.2', commit: 'c0ffee', how: 'merge', pullRequest: 'https://example.com/pr/7' });
  });

  it('empty: the task completes with nothing landed, and no branch or worktree on record', () => {
    const s = working();
    const t = taskOf(applyLanding(s, 'TASK_001', agentOn(s, 'TASK_001'), agentReport('Nothing to change'), passed(), { status: 'empty' }, minute(3)), 'TASK_001');
    expect(t.status).toBe('completed');
    expect(t.landing).toEqual({ conflicts: 0, how: 'empty' });
  });

  it('a task whose target does not land in git is just verified, whatever the result says', () => {
    const s = working();
    const agent = agentOn(s, 'TASK_002');
    for (const result of [conflict(['menu.json']), { status: 'landed', commit: 'c0ffee', head: 'c0ffee', how: 'fast-forward', pushed: false } as LandWorkResult]) {
      const t = taskOf(applyLanding(s, 'TASK_002', agent, agentReport('Free work done'), passed(), result, minute(3)), 'TASK_002');
      expect(t).toMatchObject({ status: 'completed', outcome: 'Free work done' });
      expect(t.landing).toBeUndefined();
      expect(t.feedback).toBeUndefined();
    }
  });

  it('a landing result for a task a person already completed changes nothing', () => {
    const s = working();
    const agent = agentOn(s, 'TASK_001');
    const done = completeTask(s, { taskId: 'TASK_001', outcome: 'done by hand' }, minute(2)).state;
    expect(taskOf(done, 'TASK_001').agentId).toBe(agent);
    const after = applyLanding(done, 'TASK_001', agent, agentReport('Menu written'), passed(), conflict(['menu.json']), minute(3));
    expect(taskOf(after, 'TASK_001')).toEqual(taskOf(done, 'TASK_001'));
    expect(taskOf(after, 'TASK_001').landing).toEqual({ conflicts: 0, worktree: '/repo/site/.git/baton/worktrees/demo/task_001', branch: 'baton/site/1.2' });
  });
});

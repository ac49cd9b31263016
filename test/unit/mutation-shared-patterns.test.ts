import { derivePattern, patternLine, patternMismatch, resolvePattern } from '../../src/shared/patterns';
import type { PlannedTask } from '../../src/shared/activity-types';
import { plannedTask } from '../support/reducers';

const t = (key: string, ...dependsOn: string[]) => plannedTask(key, { dependsOn });
const lead = (key: string, extra: Partial<PlannedTask> = {}) => plannedTask(key, { lead: { team: 'two reviewers' }, ...extra });
const vote = (key: string, agents = 3) => plannedTask(key, { consensus: { agents } });

describe('derivePattern: the words of each shape', () => {
  it('names up to four tasks, then an ellipsis', () => {
    expect(derivePattern(['a', 'b', 'c', 'd'].map((k) => t(k))).why).toBe('4 independent tasks run at once (a, b, c, d)');
    expect(derivePattern(['a', 'b', 'c', 'd', 'e'].map((k) => t(k))).why).toBe('5 independent tasks run at once (a, b, c, d, …)');
  });

  it('names the one task of a one-task plan', () => {
    expect(derivePattern([t('only')])).toEqual({ kind: 'sequential', why: 'one task (only), nothing to run beside it', by: 'derived' });
  });

  it('calls as many side by side as steps parallel, with one or several tasks building on the first', () => {
    expect(derivePattern([t('a'), t('b'), t('c', 'a')])).toEqual({ kind: 'parallel', why: '2 tasks run at once (a, b), then 1 task builds on them in 1 more step', by: 'derived' });
    expect(derivePattern([t('a'), t('b'), t('c'), t('d', 'a'), t('e', 'b')]).why).toBe('3 tasks run at once (a, b, c), then 2 tasks build on them in 1 more step');
  });

  it('shows the first of two equally long chains', () => {
    expect(derivePattern([t('a'), t('b', 'a'), t('c', 'b'), t('x'), t('y', 'x'), t('z', 'y')])).toEqual({
      kind: 'sequential',
      why: 'a chain of 3 steps (a → b → c), with up to 2 tasks side by side',
      by: 'derived',
    });
  });

  it('reads a cycle once round, not twice', () => {
    expect(derivePattern([t('a', 'b'), t('b', 'a')]).why).toBe('a chain of 2 steps: b → a');
  });

  it('joins several consensus tasks with commas', () => {
    expect(derivePattern([vote('db', 3), vote('queue', 5)]).why).toBe('task db is decided by consensus of 3 agents, task queue is decided by consensus of 5 agents');
  });

  it('says "it" beside one special task and "them" beside several, and "runs" for one other task', () => {
    expect(derivePattern([vote('db'), t('docs')]).why).toBe('task db is decided by consensus of 3 agents; 1 independent task runs beside it');
    expect(derivePattern([lead('x'), lead('y'), t('b'), t('c')]).why).toBe('tasks x, y lead a team; 2 independent tasks run beside them');
  });

  it('says a mixed plan with dependencies runs as parallel steps when its graph is parallel', () => {
    expect(derivePattern([lead('l'), t('x'), t('y'), t('z', 'x')]).why).toBe(
      'task l leads a team; 3 other tasks; the plan runs as parallel steps: 3 tasks run at once (l, x, y), then 1 task builds on them in 1 more step',
    );
  });

  it('keeps its reason to 500 characters', () => {
    const why = derivePattern(Array.from({ length: 30 }, (_, i) => vote(`consensus-task-${i}`))).why;
    expect(why).toHaveLength(500);
    expect(why.startsWith('task consensus-task-0 is decided by consensus of 3 agents, task consensus-task-1')).toBe(true);
  });
});

describe('patternMismatch and resolvePattern', () => {
  it('lets a one-task plan be called sequential or parallel', () => {
    expect(patternMismatch('sequential', [t('a')])).toBeUndefined();
    expect(patternMismatch('parallel', [t('a')])).toBeUndefined();
    expect(patternMismatch('sequential', [t('a'), t('b')])).toBe('no task depends on another');
    expect(patternMismatch('parallel', [t('a'), t('b', 'a')])).toBe('every task waits on the one before');
  });

  it("keeps the planner's reason, and its reason with the mismatch, to 500 characters", () => {
    const long = 'because '.repeat(80);
    expect(resolvePattern([t('a'), t('b')], { kind: 'parallel', why: long }).why).toBe(long.slice(0, 500));
    const mismatched = resolvePattern([t('a'), t('b')], { kind: 'sequential', why: long });
    expect(mismatched).toMatchObject({ kind: 'sequential', by: 'planner', mismatch: 'no task depends on another' });
    expect(mismatched.why).toBe(long.slice(0, 500));
  });
});

describe('patternLine', () => {
  it('collapses runs of whitespace in the reason to one space', () => {
    expect(patternLine({ kind: 'parallel', why: 'two  tasks\n\n  at once', by: 'planner' })).toBe('parallel (planner) — two tasks at once');
  });

  it('keeps a line of exactly the limit whole, and cuts one longer with an ellipsis', () => {
    const head = 'parallel (derived) — ';
    const exact = patternLine({ kind: 'parallel', why: 'w'.repeat(140 - head.length), by: 'derived' });
    expect(exact).toBe(head + 'w'.repeat(140 - head.length));
    const over = patternLine({ kind: 'parallel', why: 'w'.repeat(141 - head.length), by: 'derived' });
    expect(over).toHaveLength(140);
    expect(over.endsWith('w…')).toBe(true);
  });
});

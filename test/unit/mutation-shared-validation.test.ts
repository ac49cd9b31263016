import { z } from 'zod';
import { ApplicationFailure } from '@temporalio/common';
import { validatorFor } from '../../src/shared/validation';
import { describeIssues } from '../../src/shared/zod-errors';

describe('validatorFor', () => {
  it('rejects bad input with a non-retryable Input.Invalid failure (a retry would send the same bad input)', () => {
    const validate = validatorFor(z.object({ taskId: z.string() }).strict(), (input) => (input.taskId === 'TASK_000' ? 'no such task' : undefined));
    for (const raw of [{ taskId: 3 }, { taskId: 'TASK_000' }]) {
      let thrown: unknown;
      try {
        validate(raw);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ApplicationFailure);
      expect(thrown).toMatchObject({ type: 'Input.Invalid', nonRetryable: true });
    }
    expect(() => validate({ taskId: 'TASK_001' })).not.toThrow();
  });
});

describe('describeIssues', () => {
  it('names exactly three issues with no "more" when there are three', () => {
    const r = z.object({ a: z.string(), b: z.string(), c: z.string() }).safeParse({});
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(describeIssues(r.error)).not.toMatch(/more/);
    expect(describeIssues(r.error).split('; ')).toHaveLength(3);
    const four = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string() }).safeParse({});
    if (four.success) throw new Error('expected a failure');
    expect(describeIssues(four.error)).toMatch(/ \(and 1 more\)$/);
  });
});

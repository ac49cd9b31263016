import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { Failure } from './failures';
import { describeIssues } from './zod-errors';

const rejected = (message: string) => ApplicationFailure.create({ type: Failure.InputInvalid, nonRetryable: true, message });

/**
 * An update validator: the input must match `schema` and pass `problem` (which names what is wrong, or
 * returns undefined). Throwing here rejects the update before anything reaches history.
 */
export function validatorFor<S extends z.ZodType>(schema: S, problem: (input: z.infer<S>) => string | undefined) {
  return (raw: unknown): void => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw rejected(describeIssues(parsed.error));
    const why = problem(parsed.data);
    if (why) throw rejected(why);
  };
}

import { Context } from '@temporalio/activity';

/** The floor's agent: does nothing (or sleeps `delayMs`) and returns. */
export async function noop(delayMs: number): Promise<number> {
  if (delayMs > 0) await Context.current().sleep(delayMs);
  return delayMs;
}

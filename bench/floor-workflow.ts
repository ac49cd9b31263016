import * as wf from '@temporalio/workflow';
import { BATON_PHASE } from '../src/shared/search-attributes';
import type * as floorActivities from './floor-activities';

/** Task queues of the floor, apart from Baton's so the two never share pollers. */
export const FLOOR_WORKFLOW_QUEUE = 'bench-floor';
export const FLOOR_ACTIVITY_QUEUE = 'bench-floor-agents';

// The same activity options Baton gives spawnAgent, so only the orchestration differs.
const { noop } = wf.proxyActivities<typeof floorActivities>({
  taskQueue: FLOOR_ACTIVITY_QUEUE,
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  cancellationType: wf.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { maximumAttempts: 3 },
});

/** What a floor workflow runs: `tasks` no-op activities, at most `concurrency` at once. */
export interface FloorInput {
  tasks: number;
  concurrency: number;
  delayMs: number;
}

/** The floor for fan-out: `concurrency` lanes pull the next activity as soon as one finishes. */
export async function floorFanOut(input: FloorInput): Promise<number> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < input.tasks) {
      next++;
      await noop(input.delayMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.concurrency, input.tasks) }, lane));
  return next;
}

/** The floor for a dependency chain: each activity starts when the one before it has finished. */
export async function floorChain(input: Omit<FloorInput, 'concurrency'>): Promise<number> {
  for (let i = 0; i < input.tasks; i++) await noop(input.delayMs);
  return input.tasks;
}

/** The floor for idle scale: says it is idle (as Baton does, through BatonPhase) and waits, without timers, until terminated. */
export async function floorIdle(): Promise<void> {
  wf.upsertSearchAttributes([{ key: BATON_PHASE, value: 'idle' }]);
  await wf.condition(() => false);
}

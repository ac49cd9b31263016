import * as wf from '@temporalio/workflow';
import type { BatonActivities } from '../activities';
import type { GardenRoadmapResult } from '../shared/activity-types';
import * as msg from '../shared/messages';
import { applyGarden, gardenFailed, gardenInput, gardenKey } from '../shared/roadmap-sync';
import type { OrchestrationState } from '../shared/schemas';

// A malformed roadmap is reported in the result, so what is left to retry is I/O.
const GARDEN_OPTIONS: wf.ActivityOptions = { taskQueue: msg.WORKFLOW_TASK_QUEUE, startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 5 } };
const acts = wf.proxyActivities<BatonActivities>(GARDEN_OPTIONS);

/** Keeps the targets' roadmaps in step with state: one `gardenRoadmap` call at a time, only when something changed. */
export function makeGardener(ctx: { state(): OrchestrationState; set(next: OrchestrationState): void; now(): string; failure(err: unknown): string }) {
  let lastKey: string | undefined;
  let running: Promise<void> | undefined;

  const run = async (why: string): Promise<void> => {
    const input = gardenInput(ctx.state());
    // A failed call is not retried in a loop either: the next change or timer tries again.
    lastKey = gardenKey(input);
    try {
      const result: GardenRoadmapResult = await acts.gardenRoadmap.executeWithOptions({ ...GARDEN_OPTIONS, summary: `garden roadmaps · ${why}` }, [input]);
      ctx.set(applyGarden(ctx.state(), input, result, ctx.now()));
    } catch (err) {
      // Roadmaps are a view of state: a failed write is reported, and state is safe either way.
      ctx.set(gardenFailed(ctx.state(), ctx.failure(err), ctx.now()));
    }
  };
  const start = (why: string): Promise<void> => {
    running = run(why).finally(() => {
      running = undefined;
    });
    return running;
  };
  /** State says something the roadmaps do not yet (and no call is in flight). */
  const changed = (): boolean => !!ctx.state().config.targets.length && !running && gardenKey(gardenInput(ctx.state())) !== lastKey;

  return {
    /** Garden now (phase 2 health check, phase 5, idle timer), after any call already in flight. */
    async now(why: string): Promise<void> {
      if (!ctx.state().config.targets.length) return;
      if (running) await running;
      await start(why);
    },
    changed,
    /** A call to start when state changed what the roadmaps should say and none is in flight. */
    ifChanged(): Promise<void> | undefined {
      return changed() ? start('work stream status changed') : undefined;
    },
  };
}

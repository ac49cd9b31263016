import * as wf from '@temporalio/workflow';
import type { BatonActivities } from '../activities';
import type { PublishEventsInput, PublishEventsResult } from '../activities/publish-events';
import * as msg from '../shared/messages';
import { EventsInput, eventsAfter, eventsQuery, type EventsPage, markPublished, unpublished, waitEventsUpdate } from '../shared/events';
import type { OrchestrationState } from '../shared/schemas';
import { validatorFor } from '../shared/validation';

// A regular activity, not a local one: a local activity holds the workflow task open while it publishes, which
// slowed a demo-sized session by ~25% (npm run bench); this way the orchestration never waits on the bus.
// One short attempt: a bus that fails is tried again next session.
const PUBLISH_OPTIONS: wf.ActivityOptions = { taskQueue: msg.WORKFLOW_TASK_QUEUE, startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 1 } };
const acts = wf.proxyActivities<BatonActivities>(PUBLISH_OPTIONS);

/** Events handed to the bus in one activity call. */
const BATCH = 100;

interface EventsContext {
  state(): OrchestrationState;
  set(next: OrchestrationState): void;
}

/** The `events` query and `waitEvents` long-poll update over the state's event log, and the bus publisher. */
export function wireEvents(ctx: EventsContext): void {
  const page = (input: EventsInput): EventsPage => {
    const s = ctx.state();
    return { ...eventsAfter(s.events, input.afterOrdinal, input.limit), phase: s.phase, session: s.session };
  };
  wf.setHandler(eventsQuery, (raw) => page(EventsInput.parse(raw)));
  wf.setHandler(
    waitEventsUpdate,
    async (raw) => {
      const input = EventsInput.parse(raw);
      const next = () => ctx.state().events?.next ?? 1;
      // Something to read, a reader ahead of this log (it followed an orchestration that was replaced), or a
      // session handing over to a fresh run, which waits for this handler.
      const ready = () => next() - 1 > input.afterOrdinal || input.afterOrdinal >= next() || ctx.state().continuing;
      if (!ready() && input.waitMs) await wf.condition(ready, input.waitMs);
      return page(input);
    },
    { validator: validatorFor(EventsInput, () => undefined) },
  );
  if (wf.patched('events-activity')) void publish(ctx, (options, input) => acts.publishEvents.executeWithOptions({ ...PUBLISH_OPTIONS, ...options }, [input]));
}

/** Whether events wait for the bus: every event kept in the log is newer than what was published. */
function hasUnpublished(s: OrchestrationState): boolean {
  return !!s.events && s.events.next > s.events.published && s.events.events.length > 0;
}

/**
 * Hands new events to the `publishEvents` activity, one batch at a time (what piles up meanwhile is the next batch).
 * With no bus configured, or one that failed, it rests until the next session: an orchestration without NATS pays
 * one call per session, and one whose bus is down never waits on it more than once a session.
 */
async function publish(ctx: EventsContext, call: (options: { summary: string }, input: PublishEventsInput) => Promise<PublishEventsResult>): Promise<void> {
  let restingIn: number | undefined;
  for (;;) {
    await wf.condition(() => hasUnpublished(ctx.state()) && restingIn !== ctx.state().session);
    restingIn = undefined;
    const batch = unpublished(ctx.state().events, BATCH);
    const last = batch[batch.length - 1]?.ordinal ?? 0;
    try {
      const r = await call({ summary: `publish ${batch.length} events (${batch[0]?.ordinal}–${last})` }, { project: ctx.state().project, events: batch });
      if (!r.bus || r.error) restingIn = ctx.state().session;
    } catch (err) {
      // Dropped, not retried forever: subscribers see the gap in the ordinals.
      wf.log.warn('events not published', { error: err instanceof Error ? err.message : String(err), from: batch[0]?.ordinal, to: last });
      restingIn = ctx.state().session;
    }
    ctx.set(markPublished(ctx.state(), last));
  }
}

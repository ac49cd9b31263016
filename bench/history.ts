import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

/** The events of one run of a workflow (the latest run when `runId` is absent). */
export async function runEvents(client: Client, workflowId: string, runId?: string): Promise<Event[]> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  return history.events ?? [];
}

/** Server time of an event in epoch milliseconds. */
export function eventMs(e: Event): number {
  const t = e.eventTime;
  if (!t) throw new Error(`event ${String(e.eventId)} has no time`);
  return Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6;
}

/** When a run started and how long its activities of one type took, all read from server timestamps. */
export interface ActivitySpan {
  /** WorkflowExecutionStarted. */
  startedMs: number;
  /** The first ActivityTaskScheduled of the type. */
  firstScheduledMs: number;
  /** The workflow task that took in the last result of the type: the workflow has then seen every result. */
  lastResultSeenMs: number;
  /** Activities of the type that completed. */
  completed: number;
}

/** Measure the activities named `activityType` in one run's events. */
export function activitySpan(events: Event[], activityType: string): ActivitySpan {
  const started = events.find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  const scheduled = new Set<string>();
  let firstScheduled: Event | undefined;
  let lastCompletedIndex = -1;
  let completed = 0;
  events.forEach((e, i) => {
    if (e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes?.activityType?.name === activityType) {
      scheduled.add(String(e.eventId));
      firstScheduled ??= e;
    } else if (e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED && scheduled.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId))) {
      lastCompletedIndex = i;
      completed++;
    }
  });
  const seen = events.slice(lastCompletedIndex + 1).find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  if (!started || !firstScheduled || lastCompletedIndex < 0 || !seen) {
    throw new Error(`history has no complete span of ${activityType} activities (${completed} completed)`);
  }
  return { startedMs: eventMs(started), firstScheduledMs: eventMs(firstScheduled), lastResultSeenMs: eventMs(seen), completed };
}

/** Why the run's workflow tasks failed, if any did (e.g. a payload over the size limit), with the event id. */
export function workflowTaskFailures(events: Event[]): { eventId: string; cause: string; message: string }[] {
  return events
    .filter((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_FAILED)
    .map((e) => {
      const a = e.workflowTaskFailedEventAttributes;
      const cause = a?.cause !== undefined && a.cause !== null ? temporal.api.enums.v1.WorkflowTaskFailedCause[a.cause] ?? String(a.cause) : 'unknown';
      return { eventId: String(e.eventId), cause, message: (a?.failure?.message ?? '').slice(0, 500) };
    });
}

/** Where one run's time went, as means per task from server timestamps: queueing versus work, activities versus workflow tasks. */
export interface TaskBreakdown {
  /** WorkflowExecutionStarted → the first activity of the type scheduled (for Baton: planning first). */
  toFirstTaskMs: number;
  /** ActivityTaskScheduled → Started: waiting for a worker slot and matching. */
  activityWaitMs: number;
  /** ActivityTaskStarted → Completed: the activity itself (for Baton, the agent runtime's own cost). */
  activityRunMs: number;
  workflowTasks: number;
  /** WorkflowTaskScheduled → Started. */
  workflowTaskWaitMs: number;
  /** WorkflowTaskStarted → Completed: workflow code (Baton's reducers and scheduling) plus the round trip. */
  workflowTaskRunMs: number;
}

/** Break a run's events down into queueing and work, for activities of `activityType` and every workflow task. */
export function taskBreakdown(events: Event[], activityType: string): TaskBreakdown {
  const byId = new Map(events.map((e) => [String(e.eventId), e]));
  const gap = (from: unknown, to: Event) => {
    const start = byId.get(String(from));
    return start ? eventMs(to) - eventMs(start) : 0;
  };
  let aWait = 0;
  let aRun = 0;
  let acts = 0;
  let wWait = 0;
  let wRun = 0;
  let wfts = 0;
  let firstScheduled: Event | undefined;
  for (const e of events) {
    if (!firstScheduled && e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes?.activityType?.name === activityType) {
      firstScheduled = e;
    }
    if (e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      const a = e.workflowTaskCompletedEventAttributes;
      const started = byId.get(String(a?.startedEventId));
      if (!started) continue;
      wWait += gap(a?.scheduledEventId, started);
      wRun += eventMs(e) - eventMs(started);
      wfts++;
    } else if (e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      const a = e.activityTaskCompletedEventAttributes;
      const scheduled = byId.get(String(a?.scheduledEventId));
      const started = byId.get(String(a?.startedEventId));
      if (!scheduled || !started || scheduled.activityTaskScheduledEventAttributes?.activityType?.name !== activityType) continue;
      aWait += eventMs(started) - eventMs(scheduled);
      aRun += eventMs(e) - eventMs(started);
      acts++;
    }
  }
  const started = events[0];
  return {
    toFirstTaskMs: started && firstScheduled ? eventMs(firstScheduled) - eventMs(started) : 0,
    activityWaitMs: acts ? aWait / acts : 0,
    activityRunMs: acts ? aRun / acts : 0,
    workflowTasks: wfts,
    workflowTaskWaitMs: wfts ? wWait / wfts : 0,
    workflowTaskRunMs: wfts ? wRun / wfts : 0,
  };
}

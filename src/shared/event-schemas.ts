import { z } from 'zod';

/* Event schemas, apart from events.ts (which defines the workflow's query and update): no workflow API here, so the
   worker can preload them once for every workflow (src/workflows/preload.ts). */

/** Events kept in state: a consumer that falls further behind than this sees a gap in the ordinals. */
export const EVENT_LOG_SIZE = 200;

const base = {
  /** 1, 2, 3, … per orchestration, across sessions and continue-as-new: a jump means events were missed. */
  ordinal: z.number().int().positive(),
  /** Workflow time, ISO 8601. */
  at: z.string(),
  project: z.string(),
  session: z.number().int().min(0),
  /** Set on the events of a lead task's child orchestration: its path of lead tasks below the root (`TASK_003`, `TASK_003/TASK_001`). */
  lead: z.string().optional(),
};
const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ ...base, type: z.literal(type), ...shape });
const agentRef = { agentId: z.string(), name: z.string(), role: z.string(), taskId: z.string() };
const spend = { costUsd: z.number().min(0), tokens: z.number().int().min(0) };

/** One fact about an orchestration, small JSON; the wire names of `type` never change once released. */
export const BatonEvent = z.discriminatedUnion('type', [
  ev('orchestration.started', {}),
  ev('orchestration.resumed', {}),
  ev('phase.entered', { phase: z.string(), number: z.number().int().min(1).max(5).optional(), skipped: z.boolean().optional() }),
  ev('phase.completed', { phase: z.string(), number: z.number().int().min(1).max(5), skipped: z.boolean().optional() }),
  ev('objective.added', { objectiveId: z.string(), description: z.string() }),
  ev('objective.planned', { objectiveId: z.string(), tasks: z.number().int().min(0) }),
  ev('objective.completed', { objectiveId: z.string() }),
  ev('objective.failed', { objectiveId: z.string(), error: z.string().optional() }),
  ev('agent.spawned', {
    ...agentRef,
    mission: z.string(),
    runtime: z.string(),
    simulated: z.boolean(),
    attempt: z.number().int(),
    model: z.string().optional(),
    rework: z.number().int().optional(),
    target: z.string().optional(),
    stream: z.string().optional(),
  }),
  ev('agent.progress', { ...agentRef, detail: z.string() }),
  ev('agent.completed', { ...agentRef, ...spend, summary: z.string() }),
  ev('agent.failed', { ...agentRef, ...spend, error: z.string() }),
  ev('agent.stopped', { ...agentRef, ...spend, reason: z.string() }),
  ev('verification.passed', { taskId: z.string(), agentId: z.string().optional(), stream: z.string().optional() }),
  ev('verification.failed', { taskId: z.string(), agentId: z.string().optional(), stream: z.string().optional(), reason: z.string() }),
  ev('rework', { taskId: z.string(), round: z.number().int().positive(), reason: z.string(), stream: z.string().optional() }),
  ev('decision.raised', { decisionId: z.string(), kind: z.string(), question: z.string(), taskId: z.string().optional(), objectiveId: z.string().optional() }),
  ev('decision.answered', { decisionId: z.string(), kind: z.string(), choice: z.string(), waitedMs: z.number().int().min(0).optional() }),
  ev('blocker', { taskId: z.string().optional(), reason: z.string(), stream: z.string().optional(), decisionId: z.string().optional() }),
  ev('budget', { decisionId: z.string(), question: z.string(), ...spend }),
  ev('stop', { graceful: z.boolean() }),
]);
export type BatonEvent = z.infer<typeof BatonEvent>;

/** Every event type, for documentation and subject checks. */
export const EVENT_TYPES = BatonEvent.options.map((o) => o.shape.type.value);
export type EventType = BatonEvent['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before it gets its place in the log (ordinal, time, project, session). */
export type EventBody = DistributiveOmit<BatonEvent, keyof typeof base>;

/** Query/update input: events after this ordinal; the update waits up to `waitMs` for one to exist. */
export const EventsInput = z.strictObject({
  afterOrdinal: z.number({ error: 'afterOrdinal must be a number' }).int('afterOrdinal must be a whole number').min(0, 'afterOrdinal must be ≥ 0'),
  waitMs: z.number({ error: 'waitMs must be a number' }).int().min(0).max(60_000, 'waitMs must be at most 60000').optional(),
  limit: z.number().int().min(1).max(EVENT_LOG_SIZE).optional(),
});
export type EventsInput = z.infer<typeof EventsInput>;


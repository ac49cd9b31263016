import type { BenchEnv } from '../env';
import type { FloorInput } from '../floor-workflow';
import { activitySpan, eventMs, runEvents, taskBreakdown, type ActivitySpan, type TaskBreakdown } from '../history';
import { summarize } from '../stats';

/** One timed orchestration: its agents' span and how long the whole session took (to rest idle). */
export interface BatonTiming {
  span: ActivitySpan;
  breakdown: TaskBreakdown;
  sessionMs: number;
  events: number;
}

/** Run objectives through a fresh orchestration until it rests idle, read the timings from its history, then terminate it. */
export async function timeBaton(
  env: BenchEnv,
  run: { project: string; scenario: string; objectives: string[]; maxAgents: number; expectTasks: number; timeoutMs: number },
): Promise<BatonTiming> {
  const workflowId = await env.startOrchestration(run.project, { scenario: run.scenario, maxAgents: run.maxAgents, mode: 'parallel' }, run.objectives);
  try {
    await env.waitIdle(workflowId, run.timeoutMs);
    const events = await runEvents(env.client, workflowId);
    const span = activitySpan(events, 'spawnAgent');
    if (span.completed !== run.expectTasks) throw new Error(`${run.project}: ${span.completed} of ${run.expectTasks} agents completed`);
    const last = events[events.length - 1];
    return {
      span,
      breakdown: taskBreakdown(events, 'spawnAgent'),
      sessionMs: (last ? eventMs(last) : span.lastResultSeenMs) - span.startedMs,
      events: events.length,
    };
  } finally {
    // Finished orchestrations would otherwise sit idle in the worker's cache and skew later figures.
    await env.terminate(workflowId);
  }
}

/** Run one floor workflow and read its activities' span from history. */
export async function timeFloor(env: BenchEnv, kind: 'floorFanOut' | 'floorChain', input: FloorInput): Promise<{ span: ActivitySpan; breakdown: TaskBreakdown }> {
  const workflowId = await env.runFloor(kind, input);
  const events = await runEvents(env.client, workflowId);
  const span = activitySpan(events, 'noop');
  if (span.completed !== input.tasks) throw new Error(`floor ${kind}: ${span.completed} of ${input.tasks} activities completed`);
  return { span, breakdown: taskBreakdown(events, 'noop') };
}

/** Median of each field over repeats. */
export function medianBreakdown(all: TaskBreakdown[]): TaskBreakdown {
  const m = (f: keyof TaskBreakdown) => summarize(all.map((b) => b[f])).median;
  return {
    toFirstTaskMs: m('toFirstTaskMs'),
    activityWaitMs: m('activityWaitMs'),
    activityRunMs: m('activityRunMs'),
    workflowTasks: m('workflowTasks'),
    workflowTaskWaitMs: m('workflowTaskWaitMs'),
    workflowTaskRunMs: m('workflowTaskRunMs'),
  };
}

/** Where Baton's and the floor's time went, medians over repeats. */
export interface Breakdowns {
  baton: TaskBreakdown;
  floor: TaskBreakdown;
}

/** Milliseconds from workflow start until it had seen every agent's result. */
export const wallMs = (s: ActivitySpan): number => s.lastResultSeenMs - s.startedMs;

/** A project name unique to this process and moment. */
export function benchProject(kind: string, i: number | string): string {
  return `bench-${kind}-${i}-${process.pid}-${Date.now().toString(36)}`;
}

import type { GoalInterpretation, PlannedTask } from './activity-types';
import { recoveryPolicyFor } from './recovery';
import type { Decision, Objective, OrchestrationState, Task } from './schemas';
import { applyConsensusSettings } from './consensus';
import { applyPlan, formatId } from './state';
import { replaceById } from './by-id';
import { type PatternChoice, resolvePattern } from './patterns';

/** Task statuses that hold a work stream: no second task may work it meanwhile. */
const HOLDING: readonly Task['status'][] = ['pending', 'running', 'stopped'];

/** Each held stream's ref and the live task holding it (pending, running, or waiting for a person). */
function streamHolders(state: OrchestrationState): Map<string, string> {
  return new Map(state.tasks.filter((t) => t.stream && HOLDING.includes(t.status)).map((t) => [t.stream as string, t.id]));
}

/** Refs of the streams live tasks hold (pending, running, or waiting for a person). */
export function heldStreams(state: OrchestrationState): string[] {
  return [...streamHolders(state).keys()];
}

/**
 * Turn a plan into tasks. A stream some live task already holds, or an earlier task of the same plan claims, is
 * never given a second task (two plans racing for it, or a person asking twice): dependencies on it point at the
 * task that holds it. A roadmap goal that would spawn more than `confirmAbove` agents waits for a person's confirmation.
 * The objective keeps the pattern the planner `stated`, or the one the plan's shape shows.
 */
export function applyStreamPlan(
  state: OrchestrationState,
  objectiveId: string,
  plan: PlannedTask[],
  interpretation: GoalInterpretation | undefined,
  now: string,
  stated?: PatternChoice,
): OrchestrationState {
  // A stream's holder: the live task's id, or the key of the first planned task that claims it.
  const holder = streamHolders(state);
  const redirect = new Map<string, string>();
  for (const p of plan) {
    if (!p.stream) continue;
    const held = holder.get(p.stream);
    if (held) redirect.set(p.key, held);
    else holder.set(p.stream, p.key);
  }
  const kept = plan.filter((p) => !redirect.has(p.key)).map((p) => ({ ...p, dependsOn: p.dependsOn.map((k) => redirect.get(k) ?? k) }));
  const before = state.tasks.length;
  let next = applyConsensusSettings(applyPlan(state, objectiveId, kept, now), objectiveId, kept, before);
  const recoveryByKey = new Map(kept.filter((p) => p.recovery).map((p) => [p.key, p.recovery]));
  next = {
    ...next,
    tasks: next.tasks.map((t, i) => {
      const action = i >= before ? recoveryByKey.get(t.key) : undefined;
      return action ? { ...t, recovery: { ...recoveryPolicyFor(next, t), policy: action } } : t;
    }),
    objectives: next.objectives.map((o): Objective =>
      o.id === objectiveId ? { ...o, ...(interpretation ? { interpretation } : {}), pattern: resolvePattern(plan, stated) } : o,
    ),
  };
  if (!kept.length && redirect.size) {
    // Everything asked for is already being worked on: say so rather than call this objective done.
    const held = [...redirect.entries()].map(([key, taskId]) => `${plan.find((p) => p.key === key)?.stream} (${taskId})`).join(', ');
    const error = `nothing new to run: already being worked on: ${held}`.slice(0, 500);
    return { ...next, objectives: replaceById(next.objectives, objectiveId, (o) => ({ ...o, status: 'failed', error })) };
  }
  const streamTasks = next.tasks.slice(before).filter((t) => t.stream);
  if (streamTasks.length > next.config.confirmAbove) next = askConfirmation(next, objectiveId, streamTasks, now);
  return next;
}

function askConfirmation(state: OrchestrationState, objectiveId: string, tasks: Task[], now: string): OrchestrationState {
  const objective = state.objectives.find((o) => o.id === objectiveId);
  const n = state.counters.decision + 1;
  const decision: Decision = {
    id: formatId('DEC', n),
    question: `I found ${tasks.length} work streams for "${(objective?.description ?? '').slice(0, 120)}": ${tasks
      .map((t) => t.stream)
      .join(', ')}. This spawns ${tasks.length} agents (at most ${state.config.maxAgents} at a time). Proceed?`,
    rationale: `More than ${state.config.confirmAbove} agents is a large operation; answer with \`baton decide <id> proceed\` or \`baton decide <id> cancel\`.`,
    status: 'pending',
    created: now,
    session: state.session,
    objectiveId,
    kind: 'confirm',
  };
  return {
    ...state,
    objectives: replaceById(state.objectives, objectiveId, (o) => ({ ...o, status: 'confirming' })),
    decisions: [...state.decisions, decision],
    counters: { ...state.counters, decision: n },
  };
}

/** Answer a confirmation: `proceed` lets the objective's agents spawn; `cancel` drops its tasks. */
export function resolveConfirmation(state: OrchestrationState, decision: Decision, choice: string, now: string): OrchestrationState {
  const id = decision.objectiveId;
  const resting = state.phase === 'idle' || state.phase === 'paused';
  if (choice === 'proceed') {
    return {
      ...state,
      objectives: state.objectives.map((o): Objective => (o.id === id && o.status === 'confirming' ? { ...o, status: 'active' } : o)),
      resumeRequested: resting ? true : state.resumeRequested,
    };
  }
  const why = 'cancelled by a person';
  return {
    ...state,
    objectives: replaceById(state.objectives, id, (o) => ({ ...o, status: 'failed', error: why })),
    tasks: state.tasks.map((t): Task => (t.objectiveId === id && t.status === 'pending' ? { ...t, status: 'failed', completed: now, error: why } : t)),
  };
}

/** Objectives whose tasks wait for a confirmation. */
export function confirmingObjectives(state: OrchestrationState): Set<string> {
  return new Set(state.objectives.filter((o) => o.status === 'confirming').map((o) => o.id));
}

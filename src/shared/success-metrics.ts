import type { Decision, OrchestrationState } from './schemas';
import { reworkRate } from './verification';

/** Seed 002's success metrics, each computed from state (definitions in the README's Observability section). */
export interface SuccessMetrics {
  /** Agents spawned per task that had one (retries and rework rounds count); seed 002 target 1–3. */
  agentsPerTask: number | null;
  /** Share of agent run time during which at least one other agent ran too; seed 002 target > 60%. */
  parallelExecutionRate: number | null;
  /** Tasks completed ÷ tasks that finished (completed or failed); seed 002 target > 95%. */
  taskSuccessRate: number | null;
  /** Rounds sent back by verification ÷ verifications; seed 002 target < 10%. */
  reworkRate: number | null;
  /** From a decision raised for a person to its answer; seed 002 target < 5 minutes. */
  decisionTime: { answered: number; meanMs: number | null; maxMs: number | null };
  /** Sessions after the first that began from the context the previous one ended with; seed 002 target 100%. */
  contextContinuity: number | null;
}

/** Compute seed 002's success metrics from an orchestration's state (agents and tasks still in state; counters cover archived ones). */
export function successMetrics(state: OrchestrationState): SuccessMetrics {
  const tasksWithAgents = new Set(state.agents.map((a) => a.taskId)).size;
  const m = state.metrics;
  const finished = m.total_tasks_completed + m.total_tasks_failed;
  const waits = state.decisions
    .filter((d) => raisedForPerson(d) && d.status === 'made' && d.decided)
    .map((d) => Date.parse(d.decided ?? '') - Date.parse(d.created))
    .filter((ms) => Number.isFinite(ms) && ms >= 0);
  return {
    agentsPerTask: tasksWithAgents ? round(state.agents.length / tasksWithAgents) : null,
    parallelExecutionRate: parallelRate(state.agents.flatMap((a) => (a.finished ? [[Date.parse(a.spawned), Date.parse(a.finished)] as const] : []))),
    taskSuccessRate: finished ? round(m.total_tasks_completed / finished) : null,
    reworkRate: m.total_verifications ? round(reworkRate(m)) : null,
    decisionTime: {
      answered: waits.length,
      meanMs: waits.length ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
      maxMs: waits.length ? Math.max(...waits) : null,
    },
    // Sessions state has counted (carried through every session, continue-as-new and import) against the session number.
    contextContinuity: state.session > 1 ? round(Math.min(1, Math.max(0, (m.total_sessions - 1) / (state.session - 1)))) : null,
  };
}

/** Synthesis records its own choices, and consensus settles most by quorum or a tie-break agent: none of those waited for a person. */
function raisedForPerson(d: Decision): boolean {
  return d.kind !== 'synthesis' && d.consensus?.resolvedBy !== 'quorum' && d.consensus?.resolvedBy !== 'tie-break';
}

/** Time-weighted share of agent run time spent alongside at least one other agent. */
export function parallelRate(intervals: readonly (readonly [number, number])[]): number | null {
  const valid = intervals.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && b > a);
  const total = valid.reduce((sum, [a, b]) => sum + (b - a), 0);
  if (!total) return null;
  const edges = valid.flatMap(([a, b]) => [[a, 1] as const, [b, -1] as const]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let running = 0;
  let last = 0;
  let parallel = 0;
  for (const [t, change] of edges) {
    if (running >= 2) parallel += running * (t - last);
    running += change;
    last = t;
  }
  return round(parallel / total);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

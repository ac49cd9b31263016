/**
 * How much finished work an orchestration's state carries across continue-as-new. Everything past these moves to
 * the archive file or falls off, so the carried state (each hand-over's input, and its share of every history)
 * stays level however long the orchestration runs.
 */
export interface CarriedLimits {
  /** Tasks kept before finished objectives' tasks are archived (`config.keepTasks` overrides it). */
  keepTasks: number;
  /** Events kept in the state's event log (readers that fall further behind are told how many they missed). */
  eventLog: number;
  /** Entries of each named agent's work history (its prompt shows the last 8). */
  agentHistory: number;
  /** Insights kept in state (each agent's own memory keeps its own). */
  insights: number;
}

/**
 * The limits of a state without `limits`: states written before the limits were lowered, and every run replaying a
 * history from then. They keep these, so the runs' archive steps (commands) replay unchanged.
 */
export const LEGACY_LIMITS: CarriedLimits = { keepTasks: 200, eventLog: 200, agentHistory: 20, insights: 200 };

/**
 * The limits every run takes from the `carried-level` patch on: 200 kept tasks, their agents and 200 events carried
 * 313-375 KB in the 100,000-task benchmark, over the 256 KB target.
 */
export const CARRIED_LIMITS: CarriedLimits = { keepTasks: 100, eventLog: 100, agentHistory: 10, insights: 100 };

/** The limits a state lives by. */
export function limitsOf(state: { limits?: CarriedLimits }): CarriedLimits {
  return state.limits ?? LEGACY_LIMITS;
}

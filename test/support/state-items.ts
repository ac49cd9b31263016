import { type Agent, type AgentProfile, type Decision, NO_SPEND, type Objective, type OrchestrationState, type Spend, type Task } from '../../src/shared/schemas';
import { freshState, minute } from './reducers';

// Plain state items, built field by field, for tests that check exactly what a reducer derives from one change
// (the events of a transition, the status view). Builders return new objects on every call.

const T0 = minute(0);

/** Priced spend of these tokens and dollars. */
export const spend = (tokens: number, costUsd: number): Spend => ({ ...NO_SPEND, tokens, costUsd });

/** An objective of session 1 with this status, with any fields overridden. */
export function objectiveItem(id: string, status: Objective['status'], extra: Partial<Objective> = {}): Objective {
  return { id, description: `goal ${id}`, status, created: T0, session: 1, spent: NO_SPEND, ...extra };
}

/** A pending planner task for a developer, with any fields overridden. */
export function taskItem(id: string, extra: Partial<Task> = {}): Task {
  return { id, key: id.toLowerCase(), role: 'developer', mission: `do ${id}`, successCriteria: [], dependsOn: [], status: 'pending', attempts: 0, created: T0, source: 'planner', artifacts: [], spent: NO_SPEND, ...extra };
}

/** A running scripted agent Ada on TASK_001, with any fields overridden. */
export function agentItem(id: string, extra: Partial<Agent> = {}): Agent {
  return { id, name: 'Ada', role: 'developer', mission: 'do TASK_001', taskId: 'TASK_001', runtime: 'scripted', simulated: true, status: 'running', spawned: T0, spent: spend(10, 0.5), ...extra };
}

/** A pending synthesis decision, with any fields overridden. */
export function decisionItem(id: string, extra: Partial<Decision> = {}): Decision {
  return { id, question: `question ${id}?`, rationale: '', status: 'pending', created: T0, session: 1, kind: 'synthesis', ...extra };
}

/** A session-1 state (phase context) with these items. */
export function stateWith(over: Partial<OrchestrationState> = {}): OrchestrationState {
  return { ...freshState(), ...over };
}

/** The roster profile of `name`, failing the test when the roster has none. */
export const profileOf = (s: OrchestrationState, name: string): AgentProfile => {
  const p = s.roster[name];
  if (!p) throw new Error(`test: ${name} is not on the roster`);
  return p;
};

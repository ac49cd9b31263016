import type { PlannedTask } from '../../src/shared/activity-types';
import { type ConsensusRun, recordVote, startConsensus } from '../../src/shared/consensus';
import type { Comparison, ConsensusSpec } from '../../src/shared/consensus-spec';
import type { OrchestrationState } from '../../src/shared/schemas';
import { addObjective, markPlanning } from '../../src/shared/state';
import { applyStreamPlan } from '../../src/shared/streams';
import { agentReport, freshState, minute, plannedTask } from './reducers';

// Consensus runs built the way the workflow builds them, for the tests of src/shared/consensus-resolve.ts.
// The consensus task is always TASK_002 behind a plain TASK_001, so a lookup that takes the first task shows.

/** Options of a consensus plan: config overrides, the spec, and fields of the consensus task. */
export interface ConsensusPlanOptions {
  config?: Record<string, unknown>;
  consensus?: Partial<ConsensusSpec>;
  task?: Partial<PlannedTask>;
}

/** An objective planned into a plain researcher task `notes` (TASK_001) and a consensus researcher task `pick-db` (TASK_002). */
export function consensusPlan(o: ConsensusPlanOptions = {}): OrchestrationState {
  const added = addObjective(freshState({ maxAgents: 5, ...o.config }), { description: 'choose the stack' }, minute(0));
  const plan = [
    plannedTask('notes', { role: 'researcher', mission: 'Write notes' }),
    plannedTask('pick-db', { role: 'researcher', mission: 'Which database should the shop use?', consensus: { agents: 3, ...o.consensus }, ...o.task }),
  ];
  return applyStreamPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, plan, undefined, minute(0));
}

/** The consensus task started, and each member i answered `answers[i]` (a member without an answer keeps running). */
export function votedRun(answers: string[], o: ConsensusPlanOptions = {}): { s: OrchestrationState; run: ConsensusRun; names: string[]; ids: string[] } {
  const started = startConsensus(consensusPlan(o), 'TASK_002', minute(1));
  let s = started.state;
  started.agents.forEach((a, i) => {
    const answer = answers[i];
    if (answer !== undefined) s = recordVote(s, started.run, a.id, agentReport(answer), minute(2));
  });
  return { s, run: started.run, names: started.agents.map((a) => a.name), ids: started.agents.map((a) => a.id) };
}

/** A comparison by hand (no conflicts, nothing agreed, nobody supports), with any fields overridden. */
export function comparisonOf(extra: Partial<Comparison> = {}): Comparison {
  return { agreed: [], conflicts: [], resolved: 'Postgres', supporters: [], agreement: 0, rationale: 'they differ', by: 'deterministic', ...extra };
}

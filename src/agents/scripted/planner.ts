import type { PlannedTask } from '../../shared/activity-types';
import type { PatternChoice } from '../../shared/patterns';
import type { Scenario } from './scenario';

const MISSION_OBJECTIVE_CHARS = 300;

/** The objective as missions quote it: one line, bounded so missions stay under their limit. */
function quoted(objective: string): string {
  const line = objective.replace(/\s+/g, ' ').trim();
  return line.length > MISSION_OBJECTIVE_CHARS ? `${line.slice(0, MISSION_OBJECTIVE_CHARS - 1)}…` : line;
}

/** Seed 002's parallel-research-then-build pattern, for objectives no scenario plan matches. */
export function defaultPlan(objective: string): PlannedTask[] {
  const goal = quoted(objective);
  return [
    {
      key: 'research-options',
      role: 'researcher',
      mission: `Research the technical options for: ${goal}`,
      dependsOn: [],
      successCriteria: ['At least two options compared', 'A recommendation with reasons'],
    },
    {
      key: 'analyse-risks',
      role: 'analyst',
      mission: `Analyse the risks and constraints of: ${goal}`,
      dependsOn: [],
      successCriteria: ['Risks listed with likelihood and impact', 'Constraints that limit the options'],
    },
    {
      key: 'implement',
      role: 'developer',
      mission: `Implement the recommended option for: ${goal}`,
      dependsOn: ['research-options', 'analyse-risks'],
      successCriteria: ['Works as the research recommends', 'Addresses the main risks'],
    },
    {
      key: 'review',
      role: 'reviewer',
      mission: `Review the implementation of: ${goal}`,
      dependsOn: ['implement'],
      successCriteria: ['Findings listed by severity', 'A clear accept or rework verdict'],
    },
  ];
}

/** The first scenario plan whose `match` occurs in the objective (case-insensitive). */
function chosenPlan(objective: string, scenario?: Scenario): Scenario['plans'][number] | undefined {
  const text = objective.toLowerCase();
  return scenario?.plans.find((plan) => text.includes(plan.match.toLowerCase()));
}

/** The pattern the matching scenario plan states, if any (otherwise it is derived from the plan's shape). */
export function patternFor(objective: string, scenario?: Scenario): PatternChoice | undefined {
  return chosenPlan(objective, scenario)?.pattern;
}

/** The first scenario plan whose `match` occurs in the objective (case-insensitive), else the default plan. */
export function planFor(objective: string, scenario?: Scenario): PlannedTask[] {
  const chosen = chosenPlan(objective, scenario);
  const tasks = chosen ? chosen.tasks : defaultPlan(objective);
  // Copies, so callers cannot mutate the scenario through the plan.
  return tasks.map((t) => ({ ...t, dependsOn: [...t.dependsOn], successCriteria: [...t.successCriteria] }));
}

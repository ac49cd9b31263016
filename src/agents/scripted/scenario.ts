import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PlannedTask } from '../../shared/activity-types';
import { consensusRoleProblem } from '../../shared/consensus-spec';
import { Failure } from '../../shared/failures';
import { PatternChoice } from '../../shared/patterns';
import { Role } from '../../shared/schemas';
import { describeIssues } from '../../shared/zod-errors';
import { templateString } from '../placeholders';
import { AgentRuntimeError } from '../runtime';
import { parseYamlWithLines } from '../../node/yaml-lines';

/** Placeholders a scenario's text may use; anything else is a typo worth naming. */
export const PLACEHOLDERS = ['objective', 'task', 'mission', 'agent', 'role', 'inputs'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const template = templateString(PLACEHOLDERS);

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !path.isAbsolute(p) && !path.win32.isAbsolute(p), 'must be relative to the workspace, not absolute')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ".." (files stay inside the workspace)');

/** A file a scripted agent writes into the workspace. */
export const ScenarioFile = z.strictObject({ path: relativePath, content: template });
export type ScenarioFile = z.infer<typeof ScenarioFile>;

/** How a scripted agent behaves; every field is optional so entries can override `defaults` piecemeal. */
export const AgentBehaviour = z.strictObject({
  delayMs: z.number().int().min(0).max(600_000).optional(),
  files: z.array(ScenarioFile).max(50).optional(),
  summary: template.optional(),
  claims: z.array(template).max(20).optional(),
  insights: z.array(template).max(20).optional(),
  followUps: z.array(template).max(20).optional(),
  reflections: z.array(template).max(20).optional(),
  failAttempts: z.number().int().min(0).max(20).optional(),
  outcome: z.enum(['success', 'failure']).optional(),
  /** Simulated spend, so budgets and the cost ledger can be exercised without an LLM. */
  usage: z.strictObject({ tokens: z.number().int().min(0), costUsd: z.number().min(0).default(0) }).optional(),
});
export type AgentBehaviour = z.infer<typeof AgentBehaviour>;

/** Which tasks an agent entry applies to: every given field must equal the task's (`round` 0 is the first attempt, 1 the first rework). */
export const AgentMatch = z
  .strictObject({
    key: z.string().min(1).optional(),
    role: Role.optional(),
    stream: z.string().min(3, 'stream must be a ref like site:1.2').optional(),
    round: z.number().int().min(0).max(20).optional(),
    /** The agent's personal name (`Aria`): consensus members of one task each get their own answer. */
    agent: z.string().min(1).optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), 'give at least one of key, role, stream, round, agent');
export type AgentMatch = z.infer<typeof AgentMatch>;

/** One `agents` entry: a match plus the behaviour it selects. */
export const AgentScript = AgentBehaviour.extend({ match: AgentMatch });
export type AgentScript = z.infer<typeof AgentScript>;

/** One `plans` entry: used for objectives containing `match` (case-insensitive). */
export const ScenarioPlan = z.strictObject({
  match: z.string().trim().min(1),
  tasks: z.array(PlannedTask).min(1).max(30),
  /** The pattern this plan states (seed 002's four), as an LLM planner would; absent: derived from the tasks. */
  pattern: PatternChoice.optional(),
});
export type ScenarioPlan = z.infer<typeof ScenarioPlan>;

/** A whole scripted-runtime scenario file. */
export const Scenario = z.strictObject({
  name: z.string().trim().min(1),
  plans: z.array(ScenarioPlan).default([]),
  agents: z.array(AgentScript).default([]),
  defaults: AgentBehaviour.default({}),
});
export type Scenario = z.infer<typeof Scenario>;

const invalid = (file: string, detail: string) => new AgentRuntimeError(Failure.ScenarioInvalid, `scenario ${file}: ${detail}`, false);

/** Parses scenario YAML; errors name `file` and the offending field or line. */
export function parseScenario(text: string, file: string): Scenario {
  const { doc, syntaxError } = parseYamlWithLines(text);
  if (syntaxError) throw invalid(file, `YAML syntax error at line ${syntaxError.line}, column ${syntaxError.col}: ${syntaxError.message}`);
  const result = Scenario.safeParse(doc.toJS());
  if (!result.success) throw invalid(file, describeIssues(result.error));
  // A consensus on a role that writes files would fail its objective later; say so now, where it is written.
  for (const [i, plan] of result.data.plans.entries()) {
    for (const [j, task] of plan.tasks.entries()) {
      const problem = task.consensus && consensusRoleProblem(task.role);
      if (problem) throw invalid(file, `plans.${i}.tasks.${j}.consensus: ${problem}`);
    }
  }
  return result.data;
}

/** Reads and parses the scenario at absolute path `file`. */
export async function loadScenario(file: string): Promise<Scenario> {
  if (!path.isAbsolute(file)) throw invalid(file, 'the scenario path must be absolute (workers may run in another directory)');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw invalid(file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseScenario(text, file);
}

/** What an agent entry is matched against: the task, its planned stream and its rework round (0 = first attempt). */
export interface MatchedTask {
  key: string;
  role: Role;
  stream?: string;
  round?: number;
  agent?: string;
}

/** The behaviour for a task: the first matching `agents` entry laid over `defaults` (none without a scenario). */
export function behaviourFor(scenario: Scenario | undefined, task: MatchedTask): AgentBehaviour {
  if (!scenario) return {};
  const actual = { key: task.key, role: task.role, stream: task.stream, round: task.round ?? 0, agent: task.agent };
  const entry = scenario.agents.find(({ match }) =>
    (Object.keys(actual) as (keyof typeof actual)[]).every((field) => match[field] === undefined || match[field] === actual[field]),
  );
  if (!entry) return scenario.defaults;
  const overrides = Object.fromEntries(Object.entries(entry).filter(([field, value]) => field !== 'match' && value !== undefined));
  return { ...scenario.defaults, ...overrides };
}

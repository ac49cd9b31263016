import { z } from 'zod';
import { type OrchestrationState, Role, RuntimeName } from './schemas';

/** Runtime selection passed to every agent-facing activity: which runtime, which model, which scenario. */
export const RuntimeRef = z.object({ runtime: RuntimeName, model: z.string().optional(), scenario: z.string().optional() });
export type RuntimeRef = z.infer<typeof RuntimeRef>;

/** Token usage and cost of one agent run (or planner / synthesizer call). */
export const Usage = z.object({
  model: z.string(),
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cacheReadTokens: z.number().int().min(0).default(0),
  cacheWriteTokens: z.number().int().min(0).default(0),
  /** USD from the price table; 0 with `priced: false` when the model has no known price. */
  costUsd: z.number().min(0),
  priced: z.boolean(),
});
export type Usage = z.infer<typeof Usage>;

/** Spend so far against the orchestration's (and objective's) limits, so a running agent can stop at its next turn. */
export interface BudgetView {
  maxTokens?: number;
  maxUsd?: number;
  spentTokens: number;
  spentUsd: number;
}

/** What an agent remembers, already compacted for its prompt (seed 003's memory API). */
export interface MemoryView {
  insights: string[];
  notes: string[];
  relationships: { agent: string; note: string }[];
  preferences: string[];
  reflections: string[];
  /** Recent work: `TASK_004 researched X → outcome`. */
  history: string[];
}

/** One task as the planner proposes it; `dependsOn` names other keys of the same plan. */
export const PlannedTask = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'key must be lowercase letters, digits and dashes'),
  role: Role,
  mission: z.string().min(1).max(2000),
  dependsOn: z.array(z.string()).default([]),
  successCriteria: z.array(z.string().min(1)).default([]),
});
export type PlannedTask = z.infer<typeof PlannedTask>;

/** `planObjective` output: the plan and what producing it cost. */
export interface PlanResult {
  tasks: PlannedTask[];
  usage?: Usage;
}

/** `planObjective` input. */
export interface PlanObjectiveInput extends RuntimeRef {
  project: string;
  objective: { id: string; description: string };
  /** Compact context: what is done already and what was learned. */
  context: { completedTasks: string[]; insights: string[] };
}

/** Output of a task that another task depends on. */
export interface TaskInput {
  taskId: string;
  role: Role;
  summary: string;
  artifacts: string[];
}

/** `spawnAgent` input. */
export interface SpawnAgentInput extends RuntimeRef {
  project: string;
  agent: { id: string; name: string; role: Role };
  task: { id: string; key: string; mission: string; successCriteria: string[] };
  objective?: { id: string; description: string };
  inputs: TaskInput[];
  /** The agent's memory and work history, for its prompt. */
  memory?: MemoryView;
  /** Orchestration-wide insights: the shared, cacheable context prefix. */
  sharedContext?: string[];
  budget?: BudgetView;
}

/** What every agent returns (validated at the activity boundary). */
export const AgentReport = z.object({
  status: z.enum(['success', 'failure']),
  summary: z.string().max(2000),
  artifacts: z.array(z.string()).default([]),
  claims: z.array(z.string()).default([]),
  insights: z.array(z.string()).default([]),
  followUps: z.array(z.string()).default([]),
  simulated: z.boolean(),
  runtime: RuntimeName,
  durationMs: z.number(),
  usage: Usage.optional(),
  /** Why the agent stopped: its report was done, the budget ran out, or it hit its turn limit. */
  stopReason: z.enum(['done', 'budget', 'turn_limit']).default('done'),
  /** Artifact id of the full transcript (kept out of workflow history). */
  transcript: z.string().optional(),
  /** Lessons the agent draws about its own work, kept in its memory. */
  reflections: z.array(z.string()).default([]),
});
export type AgentReport = z.infer<typeof AgentReport>;

/** One finished task's output, as synthesis sees it. */
export interface SynthesisOutput {
  taskId: string;
  objectiveId?: string;
  role: Role;
  agentName: string;
  status: 'completed' | 'failed';
  summary: string;
  claims: string[];
  insights: string[];
}

/** `synthesize` input. */
export interface SynthesizeInput extends RuntimeRef {
  project: string;
  session: number;
  objectives: { id: string; description: string; status: string }[];
  outputs: SynthesisOutput[];
}

/** A decision synthesis proposes; `needsPerson` makes it a pending decision. */
export const ProposedDecision = z.object({
  question: z.string(),
  choice: z.string().optional(),
  rationale: z.string(),
  needsPerson: z.boolean().default(false),
  objectiveId: z.string().optional(),
});
export type ProposedDecision = z.infer<typeof ProposedDecision>;

/** `synthesize` output. */
export const SynthesisResult = z.object({
  agreements: z.array(z.string()),
  conflicts: z.array(z.string()),
  patterns: z.array(z.string()),
  unknowns: z.array(z.string()),
  insights: z.array(z.string()).default([]),
  decisions: z.array(ProposedDecision),
  usage: Usage.optional(),
});
export type SynthesisResult = z.infer<typeof SynthesisResult>;

/** `persistContext` input: the state (the activity renders the seed-002 document, so history carries it once) or a ready document. */
export interface PersistContextInput {
  project: string;
  state?: OrchestrationState;
  context?: unknown;
}

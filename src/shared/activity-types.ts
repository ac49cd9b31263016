import { z } from 'zod';
import type { StateDelta } from './context-delta';
import { ConsensusSpec } from './consensus-spec';
import type { DevLogEntry, StreamSummary, StreamUpdate, TargetHealth } from '../roadmap/stream-types';
import { type OrchestrationState, Role, RuntimeName } from './schemas';
import { LeadSpec } from './delegation-schemas';
import type { Gate, Target } from './targets';
import { matching } from './zod-rules';
import type { PatternChoice } from './patterns';

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
  key: matching(z.string(), /^[a-z0-9][a-z0-9-]{0,40}$/, 'key must be lowercase letters, digits and dashes'),
  role: Role,
  mission: z.string().min(1).max(2000),
  dependsOn: z.array(z.string()).default([]),
  successCriteria: z.array(z.string().min(1)).default([]),
  /** The roadmap work stream this task works (`site:1.2`); the task then runs in that target. */
  stream: z.string().min(3).max(60).optional(),
  /** The stream's own recovery action (`On failure:` in the roadmap). */
  recovery: z.enum(['retry', 'skip', 'escalate']).optional(),
  /** A lead task: it runs as a child orchestration that plans its mission for a team of specialists (`team` hints which). */
  lead: LeadSpec.optional(),
  /** Run by N agents on the same mission, then compare → resolve → decision (researcher, analyst, reviewer, advisor only). */
  consensus: ConsensusSpec.optional(),
});
export type PlannedTask = z.infer<typeof PlannedTask>;

/** Seed 003's `interpret_goal`: what kind of goal, which work streams match, and what to do. */
export const GoalInterpretation = z.object({
  goalType: z.enum(['run-stream', 'run-all', 'feature', 'fix', 'research', 'other']),
  matchingStreams: z.array(z.string()),
  recommendation: z.string().max(2000),
  /** `llm` when the planner agent interpreted the goal, `ranking` for the deterministic fallback. */
  by: z.enum(['llm', 'ranking']),
});
export type GoalInterpretation = z.infer<typeof GoalInterpretation>;

/** `planObjective` output: the plan, how the goal was read (when targets have roadmaps) and what producing it cost. */
export interface PlanResult {
  tasks: PlannedTask[];
  interpretation?: GoalInterpretation;
  /** Which of seed 002's four patterns the planner chose for the objective, and why (absent: derived from the plan's shape). */
  pattern?: PatternChoice;
  usage?: Usage;
}

/** `planObjective` input. */
export interface PlanObjectiveInput extends RuntimeRef {
  project: string;
  objective: { id: string; description: string };
  /** Compact context: what is done already and what was learned. */
  context: { completedTasks: string[]; insights: string[] };
  /** Targets whose roadmaps the goal is interpreted against. */
  targets?: Target[];
  /** Stream refs already held by a live task: never offered again. */
  held?: string[];
  /** Explicit streams to run (`baton run site:1.2`) or every available stream (`all`). */
  streams?: string[] | 'all';
  /** Set by the activity (not the workflow) for an LLM planner: the open streams it may assign, with their text. */
  openStreams?: OpenStream[];
  /** What planning may still spend (the tighter of the orchestration's and the objective's room); nothing starts once it is spent. */
  budget?: BudgetView;
}

/** An open work stream as the planner agent sees it. */
export interface OpenStream {
  ref: string;
  title: string;
  effort?: string;
  status: string;
  dependsOn: string[];
  role?: Role;
  text: string;
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
  task: { id: string; key: string; mission: string; successCriteria: string[]; stream?: string };
  objective?: { id: string; description: string };
  inputs: TaskInput[];
  /** The agent's memory and work history, for its prompt. */
  memory?: MemoryView;
  /** Orchestration-wide insights: the shared, cacheable context prefix. */
  sharedContext?: string[];
  budget?: BudgetView;
  /** The target the task runs in: its path is the agent's workspace (its own worktree when `worktree` is set). */
  target?: {
    name: string;
    path: string;
    identity?: string;
    worktree?: { repo: string; branch: string; integrationBranch: string; owner: string };
    /** What the repository is (targets.yaml `description`). */
    description?: string;
    /** A conventions file every agent on the target gets (targets.yaml `conventions`). */
    conventions?: string;
    /** The target's prompt file for this task's role: `coder_agent` for developers, `pm_agent` for reviewers. */
    rolePrompt?: { file: string; from: 'coder_agent' | 'pm_agent' };
  };
  /** Work sent back by verification: which round of rework this is and what failed. */
  rework?: { round: number; failures: string[] };
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
  /** The Claude Code session that did the work (claude-code runtime), so it can be resumed. */
  session: z.string().max(100).optional(),
  /** What earlier attempts of this task spent before Temporal retried it (counted as failed spend). */
  failedUsage: Usage.optional(),
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
  /** What synthesis may still spend (the orchestration's room); nothing starts once it is spent. */
  budget?: BudgetView;
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
  /** What changed since the state the context file holds (src/shared/context-delta.ts): history carries only that. */
  delta?: StateDelta;
}

/** `gardenRoadmap` input: every target, what Baton wants the roadmaps to say, and which streams live tasks hold. */
export interface GardenRoadmapInput {
  project: string;
  targets: Target[];
  updates: StreamUpdate[];
  /** Refs held by pending or running tasks: an "in progress" stream not in here has lost its agent and is freed. */
  held: string[];
  devLog: DevLogEntry[];
}

/** `gardenRoadmap` output: per-target health and the open streams (for status, reports and goal interpretation). */
export interface GardenRoadmapResult {
  targets: TargetHealth[];
  /** Open streams (not complete), in roadmap order. */
  open: StreamSummary[];
  /** Dev-log entries written by this call (entries already present are skipped). */
  devLogWritten: number;
}

/** `verifyWork` input: the agent's claims and the target whose gates to run in the agent's workspace. */
export interface VerifyWorkInput extends RuntimeRef {
  project: string;
  taskId: string;
  agentName: string;
  mission: string;
  round: number;
  workspace: string;
  /** When the workspace is a task worktree: the integration branch whose merge-base is the diff's base. */
  integrationBranch?: string;
  gates: Gate[];
  summary: string;
  claims: string[];
  /** What the LLM reviewer may still spend; it is not started once the budget is spent. */
  budget?: BudgetView;
}

/** One gate's result; its full output is an artifact. */
export interface GateResult {
  name: string;
  command: string;
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Last lines of output, for the rework prompt and the report. */
  tail: string;
  output?: string;
}

/** `verifyWork` output: a failed gate or a false claim is a result, not an exception. */
export interface VerifyWorkResult {
  passed: boolean;
  gates: GateResult[];
  review: { passed: boolean; by: 'llm' | 'rules'; falseClaims: string[]; notes: string[] };
  /** What the rework prompt gets: one line per failed gate or false claim. */
  failures: string[];
  /** Artifact id of the workspace diff the review read. */
  diff?: string;
  changedFiles: string[];
  usage?: Usage;
}

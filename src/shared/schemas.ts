import { z } from 'zod';
import type { EventLog } from './events';
import type { StreamSummary, TargetHealth } from '../roadmap/stream-types';
import { RecoveryPolicy, Target } from './targets';
import { TaskLanding } from './target-git';
import { migrateState, STATE_VERSION } from './lifecycle';
import { ChildStart, type Delegation, DecisionRoute, LeadSpec, MAX_DEPTH } from './delegation-schemas';
/** Delegation's signal inputs, exported with the schemas so a worker's preload warms them too (zod settles members on first use). */
export { ChildSpendInput, ParentHoldInput, RoutedDecideInput } from './delegation-schemas';
import { ConsensusRecord, ConsensusSpec, roleConsensusIssues } from './consensus-spec';
import { matching } from './zod-rules';
import { ObjectivePattern } from './patterns';

/** Longest free text a person or agent may put into one field of state. */
export const MAX_TEXT = 2000;

const text = (what: string) =>
  matching(
    z
      .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`) })
      .trim()
      .min(1, `${what} must not be empty`)
      .max(MAX_TEXT, `${what} must be at most ${MAX_TEXT} characters`),
    /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/,
    `${what} must not contain control characters (newlines and tabs are fine)`,
  );

/** A free-text field under Baton's text rules (trimmed, not empty, at most MAX_TEXT characters, no control characters). */
export const freeText = text;

/** Specialist roles a planner may assign (seed 001/002 delegation hierarchy). */
export const Role = z.enum(['researcher', 'analyst', 'developer', 'reviewer', 'qa', 'executor', 'advisor']);
export type Role = z.infer<typeof Role>;

/** Internal roles that are not spawned for tasks but still choose a runtime and model. */
export const InternalRole = z.enum(['planner', 'synthesizer']);
export type InternalRole = z.infer<typeof InternalRole>;

/** Token and USD limits; absent means unlimited. */
export const Budget = z.strictObject({
  maxTokens: z.number().int().positive().optional(),
  maxUsd: z.number().positive().optional(),
});
export type Budget = z.infer<typeof Budget>;

/** Tokens and USD spent; `unpricedTokens` counts tokens of models with no known price. */
export const Spend = z.object({
  tokens: z.number().int().min(0),
  costUsd: z.number().min(0),
  unpricedTokens: z.number().int().min(0),
  /** The part of `tokens` and `costUsd` spent by attempts that failed, were cancelled or timed out (absent: none). */
  failedTokens: z.number().int().min(0).optional(),
  failedUsd: z.number().min(0).optional(),
});
export type Spend = z.infer<typeof Spend>;

/** Nothing spent yet. */
export const NO_SPEND: Spend = { tokens: 0, costUsd: 0, unpricedTokens: 0 };

/** Runtime and model for one role. */
export const RoleSettings = z.strictObject({
  runtime: z.enum(['scripted', 'anthropic', 'command', 'claude-code']).optional(),
  model: z.string().min(1).optional(),
  /** Every task of this role runs by consensus (src/shared/consensus.ts) unless its plan says otherwise. */
  consensus: ConsensusSpec.optional(),
});
export type RoleSettings = z.infer<typeof RoleSettings>;

/** How ready tasks are turned into running agents. */
export const RunMode = z.enum(['parallel', 'sequential', 'batch']);
export type RunMode = z.infer<typeof RunMode>;

/** Agent runtimes: `scripted` (simulated agents), `anthropic` (Messages API), `command` (any CLI agent), `claude-code` (Claude Agent SDK). */
export const RuntimeName = z.enum(['scripted', 'anthropic', 'command', 'claude-code']);
export type RuntimeName = z.infer<typeof RuntimeName>;

/** Settings an orchestration is started with. */
export const OrchestrationConfig = z.strictObject({
  maxAgents: z.number().int().min(1).max(64).default(3),
  mode: RunMode.default('parallel'),
  runtime: RuntimeName.default('scripted'),
  /** Absolute path of the scripted runtime's YAML scenario, read by activities. */
  scenario: z.string().min(1).optional(),
  /** Activity attempts before a task is marked failed. */
  maxAttempts: z.number().int().min(1).max(20).default(3),
  /** Whether Baton's search attributes exist on the namespace (checked by the client at start). */
  searchAttributes: z.boolean().default(false),
  /** Tasks kept in state before finished objectives' tasks move to `<project>/archive.jsonl`. */
  keepTasks: z.number().int().min(20).optional(),
  /** Continue-as-new once a run's history reaches this many events (Temporal's own suggestion always counts too). */
  continueAsNewAfterEvents: z.number().int().min(100).optional(),
  /** Per-role runtime and model (`planner`, `synthesizer` and the specialist roles); unset roles use `runtime`. */
  roles: z.record(z.string(), RoleSettings).superRefine(roleConsensusIssues).default({}),
  /** Orchestration-wide spending limit. */
  budget: Budget.default({}),
  /** Repositories agents work in (from `targets.yaml`, paths resolved by the client). */
  targets: z.array(Target).max(20).default([]),
  /** Times verification may send a task back to its agent before the recovery policy decides. */
  maxRework: z.number().int().min(0).max(10).default(2),
  /** What happens to a task whose agent keeps failing, unless its stream or target says otherwise. */
  recovery: RecoveryPolicy.default({ policy: 'skip', freshAgents: 1 }),
  /** A roadmap goal that would spawn more agents than this waits for a person's confirmation. */
  confirmAbove: z.number().int().min(1).max(1000).default(5),
  /** How often roadmaps are gardened while the orchestration is idle. */
  gardenEverySeconds: z.number().int().min(1).default(3600),
  /** Seed 003's `task_intake:` from targets.yaml, kept for the event bus: the NATS subjects tasks may arrive on. */
  taskIntake: z.strictObject({ enabled: z.boolean().optional(), natsSubjects: z.array(z.string().min(1).max(200)).max(50).default([]) }).optional(),
  /** How deep lead tasks may delegate (child orchestrations under children); 2 when absent, at most 3. */
  maxDepth: z.number().int().min(1).max(MAX_DEPTH).optional(),
});
export type OrchestrationConfig = z.infer<typeof OrchestrationConfig>;

/** The phases of seed 002, plus the two resting states between sessions. */
export const Phase = z.enum(['context', 'planning', 'orchestrating', 'synthesis', 'preservation', 'idle', 'paused']);
export type Phase = z.infer<typeof Phase>;

/** `confirming`: planned, waiting for a person to confirm a large operation before any agent spawns. */
export const ObjectiveStatus = z.enum(['pending', 'planning', 'confirming', 'active', 'completed', 'failed']);
export type ObjectiveStatus = z.infer<typeof ObjectiveStatus>;

/** A goal a person added; planned into tasks. */
export const Objective = z.object({
  id: z.string(),
  description: z.string(),
  status: ObjectiveStatus,
  created: z.string(),
  session: z.number().int(),
  error: z.string().optional(),
  budget: Budget.optional(),
  spent: Spend.default(NO_SPEND),
  /** Explicit streams to run, or every available one (`baton run`). */
  streams: z.union([z.array(z.string()), z.literal('all')]).optional(),
  /** How the goal was read against the roadmaps (seed 003 interpret_goal). */
  interpretation: z.object({ goalType: z.string(), matchingStreams: z.array(z.string()), recommendation: z.string(), by: z.string() }).optional(),
  /** `baton objective --consensus N`: copied onto its tasks whose roles allow it. */
  consensus: ConsensusSpec.optional(),
  /** Which of seed 002's four patterns its plan follows, and why (stated by the planner or derived from the plan). */
  pattern: ObjectivePattern.optional(),
});
export type Objective = z.infer<typeof Objective>;

export const TaskStatus = z.enum(['pending', 'running', 'completed', 'failed', 'stopped']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** What a stopped task waits for (src/shared/lifecycle.ts): a person's stop, the budget, an escalation, a recovery decision. */
export const TaskHold = z.object({
  kind: z.enum(['person', 'budget', 'escalation', 'recovery']),
  reason: z.string(),
  /** The pending decision that frees it, when one does. */
  decisionId: z.string().optional(),
});
export type TaskHold = z.infer<typeof TaskHold>;

/** One unit of agent work. */
export const Task = z.object({
  id: z.string(),
  objectiveId: z.string().optional(),
  key: z.string(),
  role: Role,
  mission: z.string(),
  successCriteria: z.array(z.string()),
  dependsOn: z.array(z.string()),
  status: TaskStatus,
  attempts: z.number().int(),
  created: z.string(),
  source: z.enum(['planner', 'imported']),
  agentId: z.string().optional(),
  started: z.string().optional(),
  completed: z.string().optional(),
  outcome: z.string().optional(),
  error: z.string().optional(),
  /** Set exactly while status is `stopped`: what it waits for. */
  hold: TaskHold.optional(),
  artifacts: z.array(z.string()).default([]),
  spent: Spend.default(NO_SPEND),
  /** The target repository it runs in. */
  target: z.string().optional(),
  /** The roadmap work stream it works (`site:1.2`). */
  stream: z.string().optional(),
  /** Set while its finished work is being verified. */
  verifying: z.boolean().optional(),
  /** Rounds of rework verification sent it back for. */
  rework: z.number().int().optional(),
  /** What failed in the last verification, for the next round's prompt. */
  feedback: z.array(z.string()).optional(),
  /** Give the next round to this agent (rework goes back to the agent who did the work). */
  preferredAgent: z.string().optional(),
  /** Names that must not take it again (retry with a fresh agent). */
  excludeAgents: z.array(z.string()).optional(),
  /** Fresh agents tried under the retry policy. */
  freshAgents: z.number().int().optional(),
  recovery: RecoveryPolicy.optional(),
  /** Why the recovery policy skipped it (it stays failed; its stream is marked blocked). */
  skipped: z.string().optional(),
  /** The last verification's verdict. */
  verification: z
    .object({
      passed: z.boolean(),
      gates: z.array(z.object({ name: z.string(), passed: z.boolean() })),
      falseClaims: z.array(z.string()),
      review: z.string(),
      artifacts: z.array(z.string()),
    })
    .optional(),
  /** Its dev-log entry has been written. */
  logged: z.boolean().optional(),
  /** Its worktree, branch and landed commit (targets whose work lands in git). */
  landing: TaskLanding.optional(),
  /** A lead task: it runs as a child orchestration with its own team (src/shared/delegation.ts). */
  lead: LeadSpec.optional(),
  /** Run by N agents, then compare → resolve → decision (seed 002 pattern 4). */
  consensus: ConsensusSpec.optional(),
});
export type Task = z.infer<typeof Task>;

export const AgentStatus = z.enum(['running', 'completed', 'failed', 'stopped']);
export type AgentStatus = z.infer<typeof AgentStatus>;

/** A spawned specialist with its personal name. */
export const Agent = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  mission: z.string(),
  taskId: z.string(),
  runtime: RuntimeName,
  simulated: z.boolean(),
  status: AgentStatus,
  spawned: z.string(),
  finished: z.string().optional(),
  summary: z.string().optional(),
  model: z.string().optional(),
  spent: Spend.default(NO_SPEND),
  transcript: z.string().optional(),
});
export type Agent = z.infer<typeof Agent>;

/** A named agent's memory (seed 003): kept across sessions and fed into its prompts. */
export const AgentMemory = z.object({
  insights: z.array(z.string()),
  notes: z.array(z.string()),
  relationships: z.array(z.object({ agent: z.string(), note: z.string() })),
  preferences: z.array(z.string()),
  reflections: z.array(z.string()),
});
export type AgentMemory = z.infer<typeof AgentMemory>;

/** One named agent of the team: its role, memory, work history and spend. */
export const AgentProfile = z.object({
  name: z.string(),
  role: Role,
  claimed: z.string(),
  memory: AgentMemory,
  history: z.array(z.object({ taskId: z.string(), objectiveId: z.string().optional(), mission: z.string(), outcome: z.string(), completed: z.string() })),
  tasksCompleted: z.number().int(),
  spent: Spend,
});
export type AgentProfile = z.infer<typeof AgentProfile>;

/** A recorded choice; `pending` ones wait for a person. */
export const Decision = z.object({
  id: z.string(),
  question: z.string(),
  choice: z.string().optional(),
  rationale: z.string(),
  status: z.enum(['pending', 'made']),
  created: z.string(),
  session: z.number().int(),
  objectiveId: z.string().optional(),
  /** `budget` and `escalation` decisions hold back spawning until a person answers; `confirm` holds its objective, `recovery` its task. */
  kind: z.enum(['synthesis', 'budget', 'escalation', 'confirm', 'recovery', 'consensus']).default('synthesis'),
  decided: z.string().optional(),
  taskId: z.string().optional(),
  /** A `recovery` decision unanswered by then falls back to skip. */
  deadline: z.string().optional(),
  /** A decision raised in a lead's child orchestration: the answer given here is forwarded to it (src/shared/delegation.ts). */
  route: DecisionRoute.optional(),
  /** A `consensus` decision's comparison, agreement and answers. */
  consensus: ConsensusRecord.optional(),
});
export type Decision = z.infer<typeof Decision>;

/** A lesson recorded by a person, an agent or synthesis. */
export const Insight = z.object({
  text: z.string(),
  source: z.string(),
  recorded: z.string(),
  taskId: z.string().optional(),
  /** A category an imported insight carried (Atlas: general, technical, process, critical). */
  category: z.string().optional(),
});
export type Insight = z.infer<typeof Insight>;

/** What a context import brought that has no live counterpart: the earlier tool's agents, phases and memory tiers. */
export const ImportedHistory = z.object({
  /** `seed-002` (the documented shape) or `atlas` (what the Atlas tool writes). */
  from: z.enum(['seed-002', 'atlas']),
  projectId: z.string().optional(),
  /** The earlier tool's phase and status when it was exported. */
  phase: z.string().optional(),
  status: z.string().optional(),
  /** The earlier tool's last session label or resume time. */
  lastSession: z.string().optional(),
  /** Who each imported task was assigned to, as the file wrote it (task id → assignee). */
  assignments: z.record(z.string(), z.string()).default({}),
  agents: z.array(z.object({ id: z.string(), name: z.string().optional(), type: z.string(), mission: z.string(), spawned: z.string().optional(), status: z.string().optional() })),
  phases: z.array(z.object({ phase: z.string(), completed: z.string().optional(), evidence: z.string().optional() })),
});
export type ImportedHistory = z.infer<typeof ImportedHistory>;

/** Seed 002's counters, plus failures. */
export const Metrics = z.object({
  total_sessions: z.number().int(),
  total_agents_spawned: z.number().int(),
  total_tasks_completed: z.number().int(),
  total_tasks_failed: z.number().int(),
  total_decisions_made: z.number().int(),
  /** Times verification sent work back (rework rate = this / tasks verified). */
  total_reworks: z.number().int().optional(),
  total_verifications: z.number().int().optional(),
});
export type Metrics = z.infer<typeof Metrics>;

/** What synthesis concluded for one session (seed 002 synthesis framework). */
export const Synthesis = z.object({
  session: z.number().int(),
  agreements: z.array(z.string()),
  conflicts: z.array(z.string()),
  patterns: z.array(z.string()),
  unknowns: z.array(z.string()),
});
export type Synthesis = z.infer<typeof Synthesis>;

/** A request to stop: the whole orchestration when `agentId` is absent. */
export const StopRequest = z.object({ graceful: z.boolean(), requested: z.string() });
export type StopRequest = z.infer<typeof StopRequest>;

/** A signal that could not be applied (signals cannot be refused like updates): what came, why not, when. */
export const RejectedInput = z.object({ kind: z.literal('signal'), name: z.string(), reason: z.string(), input: z.string(), received: z.string() });
export type RejectedInput = z.infer<typeof RejectedInput>;

/** The whole orchestration state: plain JSON, carried across continue-as-new; an older version is migrated first. */
export const OrchestrationState = z.preprocess(migrateState, z.object({
  version: z.literal(STATE_VERSION),
  project: z.string(),
  created: z.string(),
  session: z.number().int(),
  sessionStarted: z.string().optional(),
  config: OrchestrationConfig,
  phase: Phase,
  paused: z.boolean(),
  /** A person asked for a new session (`resume`) that has not started yet. */
  resumeRequested: z.boolean(),
  /** The previous run continued-as-new in the middle of a session; this run picks the session up. */
  continuing: z.boolean().default(false),
  stop: StopRequest.optional(),
  objectives: z.array(Objective),
  tasks: z.array(Task),
  agents: z.array(Agent),
  decisions: z.array(Decision),
  insights: z.array(Insight),
  syntheses: z.array(Synthesis),
  metrics: Metrics,
  counters: z.object({ objective: z.number().int(), task: z.number().int(), agent: z.number().int(), decision: z.number().int() }),
  /** The named agents of this orchestration, by name. */
  roster: z.record(z.string(), AgentProfile).default({}),
  /** Everything spent, planners and synthesizers included. */
  spent: Spend.default(NO_SPEND),
  /** How many finished tasks, agents, objectives and answered decisions moved out of state into the archive file. */
  archived: z
    .object({ tasks: z.number().int(), agents: z.number().int(), objectives: z.number().int().optional(), decisions: z.number().int().optional() })
    .default({ tasks: 0, agents: 0 }),
  /** The last events and the next ordinal (src/shared/events.ts); written only by the workflow, so typed, not re-validated. */
  events: z.custom<EventLog>().optional(),
  /** How much finished work the state carries (src/shared/limits.ts); absent in states from before the limits were lowered. */
  limits: z.object({ keepTasks: z.number().int(), eventLog: z.number().int(), agentHistory: z.number().int(), insights: z.number().int() }).optional(),
  /** Agents and phases of the context file this orchestration was imported from. */
  imported: ImportedHistory.optional(),
  /** The most recent bad signals, bounded (src/shared/rejected-inputs.ts). */
  rejectedInputs: z.array(RejectedInput).optional(),
  /** Lead tasks' child orchestrations, and the parent a child reports to (src/shared/delegation.ts); written only by the workflow. */
  delegation: z.custom<Delegation>().optional(),
  /** The last roadmap health check (seed 003), when targets are configured. */
  roadmap: z
    .object({
      checked: z.string(),
      // Written only by Baton's own gardenRoadmap results: typed, not re-validated.
      targets: z.array(z.custom<TargetHealth>()),
      open: z.array(z.custom<StreamSummary>()),
      error: z.string().optional(),
    })
    .optional(),
}));
export type OrchestrationState = z.infer<typeof OrchestrationState>;

/** Project names become workflow ids and folder names: keep them boring. */
export const ProjectName = matching(z.string(), /^[a-z0-9][a-z0-9._-]{0,62}$/, 'project must be 1-63 chars of a-z, 0-9, ".", "_" or "-", starting with a letter or digit');

// ---- update inputs: the public wire shapes; strict so typos are named, not ignored ----

/** `addObjective` update input. */
/** `site:1.2`, as a person types it. */
export const StreamRefInput = matching(z.string({ error: 'a stream must be a string like site:1.2' }), /^[a-z0-9][a-z0-9_-]{0,39}:\d+(\.\d+)+$/, 'a stream must look like site:1.2 (target:id)');

/** `addObjective` update input; `streams` runs named work streams (or `all` available ones) instead of interpreting the goal freely. */
export const AddObjectiveInput = z.strictObject({
  description: text('description'),
  budget: Budget.optional(),
  streams: z.union([z.array(StreamRefInput).min(1, 'streams must name at least one stream').max(50), z.literal('all')], { error: 'streams must be a list of refs like site:1.2, or "all"' }).optional(),
  /** Run this objective's tasks (of roles that allow it) by consensus. */
  consensus: ConsensusSpec.optional(),
});
export type AddObjectiveInput = z.infer<typeof AddObjectiveInput>;

/** `completeTask` update input (seed 002 `complete TASK_ID "outcome"`). */
export const CompleteTaskInput = z.strictObject({
  taskId: matching(z.string({ error: 'taskId must be a string' }), /^TASK_\d{3,}$/, 'taskId must look like TASK_001'),
  outcome: text('outcome'),
});
export type CompleteTaskInput = z.infer<typeof CompleteTaskInput>;

/** `recordInsight` update input. */
export const RecordInsightInput = z.strictObject({
  text: text('text'),
  source: text('source').optional(),
  /** Put it into this named agent's memory instead of (only) the orchestration's insights. */
  agent: text('agent').optional(),
  kind: z.enum(['insight', 'note', 'preference', 'reflection'], { error: 'kind must be insight, note, preference or reflection' }).optional(),
});
export type RecordInsightInput = z.infer<typeof RecordInsightInput>;

/** `stop` update input: immediate by default; `graceful` lets agents finish; `agentId` stops one. */
export const StopInput = z.strictObject({
  graceful: z.boolean({ error: 'graceful must be true or false' }).optional(),
  agentId: matching(z.string({ error: 'agentId must be a string' }), /^AGENT_\d{4,}$/, 'agentId must look like AGENT_0001').optional(),
});
export type StopInput = z.infer<typeof StopInput>;

/** `decide` update input: answer a pending decision; a budget decision is answered `raise` (with a new budget) or `stop`. */
export const DecideInput = z.strictObject({
  decisionId: matching(z.string({ error: 'decisionId must be a string' }), /^DEC_\d{3,}$/, 'decisionId must look like DEC_001'),
  choice: text('choice'),
  rationale: text('rationale').optional(),
  budget: Budget.optional(),
});
export type DecideInput = z.infer<typeof DecideInput>;

/** `resume` update input. */
export const ResumeInput = z.strictObject({}).optional();
export type ResumeInput = z.infer<typeof ResumeInput>;

/** Workflow start input: a new orchestration, an imported context, or a continued run. */
export const OrchestrationInput = z.strictObject({
  project: ProjectName,
  config: OrchestrationConfig.optional(),
  objectives: z.array(text('objective')).optional(),
  state: OrchestrationState.optional(),
  /** Set when a lead task's parent starts this orchestration as its child. */
  child: ChildStart.optional(),
});
export type OrchestrationInput = z.input<typeof OrchestrationInput>;

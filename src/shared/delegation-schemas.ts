import { z } from 'zod';
import type { AgentProfile, Spend } from './schemas';

// Only zod and type imports here: src/shared/schemas.ts imports these, so a value import back would be a cycle.

/** Depth a lead task may delegate to unless `maxDepth` says otherwise (root 0, child 1, grandchild 2). */
export const DEFAULT_MAX_DEPTH = 2;
/** The deepest tree `maxDepth` may allow. */
export const MAX_DEPTH = 3;

/** A lead task (seed 002's pattern 3): it runs as a child orchestration that plans its mission for a team of specialists. */
export const LeadSpec = z.strictObject({
  /** A hint of the specialists wanted ("frontend, backend, database"), handed to the child's planner. */
  team: z.string().trim().min(1).max(300).optional(),
});
export type LeadSpec = z.infer<typeof LeadSpec>;

/** Where a child orchestration reports to: its parent's workflow, the lead task it runs, and its depth (1 = a root's child). */
export const ParentLink = z.strictObject({
  workflowId: z.string().min(1),
  taskId: z.string().min(1),
  depth: z.number().int().min(1).max(MAX_DEPTH),
});
export type ParentLink = z.infer<typeof ParentLink>;

/** What a child orchestration starts with besides project, config and objectives: its parent and the roster it shares. */
export const ChildStart = z.strictObject({
  parent: ParentLink,
  // Written by the parent workflow from its own state: typed, not re-validated.
  roster: z.record(z.string(), z.custom<AgentProfile>()).default({}),
});
export type ChildStart = z.input<typeof ChildStart>;

/** One member of a lead's team, as the delegation tree shows it. */
export interface TeamMember {
  taskId: string;
  role: string;
  mission: string;
  status: string;
  agent?: string;
  /** Set when this member was itself a lead with its own child orchestration. */
  child?: ChildRecord;
}

/** A parent's view of one child orchestration, kept per lead task. */
export interface ChildRecord {
  workflowId: string;
  status: 'running' | 'completed' | 'failed' | 'stopped';
  depth: number;
  /** Everything the subtree spent so far (cumulative; what the parent's ledger already holds for it). */
  spent: Spend;
  /** Agents the child spawned, and how many run now. */
  agents: number;
  running: number;
  /** Its running agents (and its children's) as it last reported them. */
  working?: string[];
  started: string;
  finished?: string;
  /** The team as the child last reported it (at its end). */
  team?: TeamMember[];
}

/** Delegation state of one orchestration: the parent it reports to (a child) and the children of its lead tasks. */
export interface Delegation {
  parent?: ParentLink;
  /** By lead task id. */
  children: Record<string, ChildRecord>;
  /** The parent holds this subtree (a budget or decision waits at the root): nothing new starts. */
  held?: boolean;
  /** Its parent stopped it (cancelled the child workflow): it returns what it has and no longer hears holds. */
  stopped?: boolean;
}

/** Where a mirrored decision came from: the lead task whose child raised it, and its id there; `forwarded` once the answer went down. */
export const DecisionRoute = z.object({ taskId: z.string(), decisionId: z.string(), forwarded: z.boolean().optional() });
export type DecisionRoute = z.infer<typeof DecisionRoute>;

/** A decision waiting in a child, as its parent mirrors it. */
export const ChildDecision = z.strictObject({
  id: z.string().min(1),
  kind: z.enum(['escalation', 'recovery', 'confirm', 'consensus']),
  question: z.string().max(2000),
  rationale: z.string().max(2000),
});
export type ChildDecision = z.infer<typeof ChildDecision>;

/** `childSpend` signal input: a child's cumulative spend and agent counts, sent to its parent as they change. */
export const ChildSpendInput = z.strictObject({
  taskId: z.string().min(1),
  spent: z.strictObject({
    tokens: z.number().int().min(0),
    costUsd: z.number().min(0),
    unpricedTokens: z.number().int().min(0),
    failedTokens: z.number().int().min(0).optional(),
    failedUsd: z.number().min(0).optional(),
  }),
  agents: z.number().int().min(0),
  running: z.number().int().min(0),
  /** Its running agents and its children's, as `Name (role) on TASK_002` (a child's prefixed `TASK_001 › `), for status. */
  working: z.array(z.string().max(300)).max(64).optional(),
  /** The decisions waiting in the child (and below it) that only a person at the root can answer. */
  pending: z.array(ChildDecision).max(100).optional(),
});
export type ChildSpendInput = z.infer<typeof ChildSpendInput>;

/** `parentHold` signal input: hold the subtree (start nothing new) or release it, with the budget slice it may now spend. */
export const ParentHoldInput = z.strictObject({
  held: z.boolean(),
  budget: z.strictObject({ maxTokens: z.number().int().min(0).optional(), maxUsd: z.number().min(0).optional() }).optional(),
});
export type ParentHoldInput = z.infer<typeof ParentHoldInput>;

/** `routedDecide` signal input: a person's answer at the root, forwarded down to the child that raised the decision. */
export const RoutedDecideInput = z.strictObject({
  decisionId: z.string().min(1),
  choice: z.string().min(1).max(2000),
  rationale: z.string().max(2000).optional(),
});
export type RoutedDecideInput = z.infer<typeof RoutedDecideInput>;

/** What a child orchestration returns to its parent: the lead's report, built from its session and synthesis. */
export interface LeadReport {
  status: 'success' | 'failure';
  /** The child stopped before its work settled (cancelled or stopped): the lead task waits for a person. */
  stopped?: boolean;
  summary: string;
  artifacts: string[];
  insights: string[];
  claims: string[];
  team: TeamMember[];
  /** Profiles of the named agents the child used, so their memory comes back to the shared roster. */
  roster: Record<string, AgentProfile>;
  spent: Spend;
  agents: number;
}

import { z } from 'zod';

// Only zod here: schemas.ts and activity-types.ts import these at load time, so this file imports neither.

/** Fewest and most agents one consensus task may run. */
export const CONSENSUS_AGENTS = { min: 2, max: 5 } as const;

/** Roles whose agents do not write files: the only ones a consensus task may have (N agents cannot all land work in one tree). */
export const CONSENSUS_ROLES: readonly string[] = ['researcher', 'analyst', 'reviewer', 'advisor'];

/** Seed 002's pattern 4 on one task: N agents on the same mission, then compare → resolve → decision. */
export const ConsensusSpec = z
  .strictObject({
    agents: z
      .number({ error: 'consensus.agents must be a number from 2 to 5' })
      .int('consensus.agents must be a whole number')
      .min(CONSENSUS_AGENTS.min, 'consensus.agents must be at least 2 (one agent is no consensus)')
      .max(CONSENSUS_AGENTS.max, 'consensus.agents must be at most 5'),
    /** One model per agent, in order (unset: every agent uses its role's model). */
    models: z.array(z.string().trim().min(1, 'consensus.models must not hold empty names').max(100)).optional(),
    /** How many agents must support the resolved answer; default a strict majority. */
    quorum: z.number({ error: 'consensus.quorum must be a number' }).int('consensus.quorum must be a whole number').min(1, 'consensus.quorum must be at least 1').optional(),
    /** Below quorum: one more agent (an advisor) decides, or a person does (`baton decide`). */
    belowQuorum: z.enum(['tie-break', 'escalate'], { error: 'consensus.belowQuorum must be "tie-break" or "escalate"' }).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.quorum !== undefined && spec.quorum > spec.agents) {
      ctx.addIssue({ code: 'custom', path: ['quorum'], message: `consensus.quorum (${spec.quorum}) cannot exceed consensus.agents (${spec.agents})` });
    }
    if (spec.models && spec.models.length !== spec.agents) {
      ctx.addIssue({ code: 'custom', path: ['models'], message: `consensus.models must name one model per agent (${spec.agents}), not ${spec.models.length}` });
    }
  });
export type ConsensusSpec = z.infer<typeof ConsensusSpec>;

/** Why a role cannot run by consensus, or undefined when it can. */
export function consensusRoleProblem(role: string): string | undefined {
  return CONSENSUS_ROLES.includes(role)
    ? undefined
    : `consensus is only for roles that do not write files (${CONSENSUS_ROLES.join(', ')}), not ${role}: N agents' edits cannot all land`;
}

/** `roles.<role>.consensus` in config: only roles that do not write files may have it. */
export function roleConsensusIssues(roles: Record<string, { consensus?: unknown }>, ctx: z.core.$RefinementCtx): void {
  for (const [role, settings] of Object.entries(roles)) {
    const problem = settings.consensus !== undefined ? consensusRoleProblem(role) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', path: [role, 'consensus'], message: problem });
  }
}

/** Agents that must support the answer: the spec's quorum, else a strict majority. */
export function quorumOf(spec: ConsensusSpec): number {
  return spec.quorum ?? Math.floor(spec.agents / 2) + 1;
}

/** Scheduler slots a task takes: its consensus agents (at most all of `maxAgents`), else one. */
export function slotsFor(task: { consensus?: ConsensusSpec }, maxAgents: number): number {
  return task.consensus ? Math.max(1, Math.min(task.consensus.agents, maxAgents)) : 1;
}

/** The leading tasks that fit in `room` slots, in order (a wide task at the head waits rather than be overtaken forever). */
export function fitSlots<T extends { consensus?: ConsensusSpec }>(tasks: T[], room: number, maxAgents: number): T[] {
  const picked: T[] = [];
  let left = room;
  for (const task of tasks) {
    const need = slotsFor(task, maxAgents);
    if (need > left) break;
    picked.push(task);
    left -= need;
  }
  return picked;
}

/** One agent's side on a conflict. */
export const ConsensusPosition = z.object({ agentId: z.string(), agent: z.string(), position: z.string() });
export type ConsensusPosition = z.infer<typeof ConsensusPosition>;

/** What `compareReports` produced: agreed points, conflicts with each side, the resolved answer and who supports it. */
export const Comparison = z.object({
  agreed: z.array(z.string()),
  conflicts: z.array(z.object({ topic: z.string(), positions: z.array(ConsensusPosition) })),
  resolved: z.string(),
  /** Agent ids whose answer is the resolved one. */
  supporters: z.array(z.string()),
  /** Supporters over agents asked, 0–1. */
  agreement: z.number().min(0).max(1),
  rationale: z.string(),
  /** `llm` in the anthropic and claude-code runtimes; `deterministic` (grouped by normalised summary) otherwise. */
  by: z.enum(['llm', 'deterministic']),
});
export type Comparison = z.infer<typeof Comparison>;

/** A consensus decision's record: the comparison, the quorum, each agent's answer, and how it was resolved. */
export const ConsensusRecord = Comparison.extend({
  quorum: z.number().int(),
  /** Every agent asked and its answer (a failed agent's error). */
  answers: z.array(ConsensusPosition.extend({ model: z.string().optional(), failed: z.boolean().optional() })),
  /** `quorum`: enough agreed; `tie-break`: an advisor decided; `person`: a person did (`baton decide`). */
  resolvedBy: z.enum(['quorum', 'tie-break', 'person']).optional(),
  tieBreaker: z.string().optional(),
});
export type ConsensusRecord = z.infer<typeof ConsensusRecord>;

/** One agent's finished answer, as the comparison sees it. */
export interface ConsensusAnswer {
  agentId: string;
  agent: string;
  model?: string;
  summary: string;
  claims: string[];
  insights: string[];
}

/** `compareReports` input: the mission, how many agents were asked, and the answers of those that finished. */
export interface CompareReportsInput {
  runtime: 'scripted' | 'anthropic' | 'command' | 'claude-code';
  model?: string;
  scenario?: string;
  project: string;
  taskId: string;
  mission: string;
  /** Agents asked (failed ones count against agreement). */
  agents: number;
  answers: ConsensusAnswer[];
  /** What the comparison may still spend (the LLM runtimes stop when it is spent). */
  budget?: { maxTokens?: number; maxUsd?: number; spentTokens: number; spentUsd: number };
}

/** `compareReports` output: the comparison and what producing it cost (LLM runtimes). */
export type CompareReportsResult = Comparison & {
  usage?: { model: string; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; costUsd: number; priced: boolean };
};

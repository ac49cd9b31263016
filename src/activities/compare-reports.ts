import { mkdir } from 'node:fs/promises';
import { AgentRuntimeError, toApplicationFailure } from '../agents/runtime';
import { compareDeterministically } from '../agents/scripted/compare';
import { Usage } from '../shared/activity-types';
import { Comparison, type CompareReportsInput, type CompareReportsResult } from '../shared/consensus-spec';
import { Failure } from '../shared/failures';
import { describeIssues } from '../shared/zod-errors';
import type { ActivityKit } from '.';

const MAX_TEXT = 1500;
const clip = (text: string, n = MAX_TEXT): string => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/**
 * A runtime's comparison checked and cut to history size. Supporters are kept only among the agents asked, and
 * agreement is recomputed from them (supporters over agents asked), so it always means the same thing as the quorum.
 */
export function boundComparison(raw: unknown, input: CompareReportsInput, runtime: string): CompareReportsResult {
  const parsed = Comparison.safeParse(raw);
  if (!parsed.success) throw new AgentRuntimeError(Failure.LlmInvalidOutput, `${runtime} runtime returned an invalid comparison: ${describeIssues(parsed.error)}`, false);
  const c = parsed.data;
  const byId = new Map(input.answers.map((a) => [a.agentId, a]));
  const supporters = [...new Set(c.supporters.filter((id) => byId.has(id)))];
  if (c.resolved.trim() === '') throw new AgentRuntimeError(Failure.LlmInvalidOutput, `${runtime} runtime returned a comparison with no resolved answer`, false);
  const usage = Usage.safeParse((raw as { usage?: unknown }).usage);
  return {
    agreed: c.agreed.slice(0, 20).map((s) => clip(s, 300)),
    conflicts: c.conflicts.slice(0, 10).map((k) => ({
      topic: clip(k.topic, 300),
      // A position names the agent as the input did, whatever name the model wrote.
      positions: k.positions.filter((p) => byId.has(p.agentId)).slice(0, 5).map((p) => ({ agentId: p.agentId, agent: byId.get(p.agentId)?.agent ?? p.agent, position: clip(p.position, 500) })),
    })),
    resolved: clip(c.resolved),
    supporters,
    agreement: input.agents > 0 ? supporters.length / input.agents : 0,
    rationale: clip(c.rationale),
    by: c.by,
    ...(usage.success ? { usage: usage.data } : {}),
  };
}

/** `compareReports`: consensus agents' answers → agreed points, conflicts, a resolved answer, its supporters and the agreement. */
export function makeCompareReports(kit: ActivityKit) {
  return async function compareReports(input: CompareReportsInput): Promise<CompareReportsResult> {
    try {
      if (!input.answers.length) throw new AgentRuntimeError(Failure.InputInvalid, `compareReports on ${input.taskId}: no answers to compare`, false);
      const runtime = kit.runtimeFor(input.runtime);
      // The LLM runtimes judge meaning; the others (scripted, command) compare deterministically and say so.
      if (!runtime.compare) return boundComparison(compareDeterministically(input), input, runtime.name);
      const ctx = kit.runContext(input.project);
      await mkdir(ctx.workspace, { recursive: true });
      return boundComparison({ ...(await runtime.compare(input, ctx)), by: 'llm' }, input, runtime.name);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}

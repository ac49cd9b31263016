import { z } from 'zod';
import type { Comparison, CompareReportsInput } from '../shared/consensus-spec';
import { Failure } from '../shared/failures';
import { describeIssues } from '../shared/zod-errors';
import type { FinalTool } from './anthropic/final-tools';

/** What the model hands in: agreement and names are not asked for (they are computed from ids), so it cannot get them wrong. */
const ComparisonInput = z.strictObject({
  agreed: z.array(z.string().trim().min(1).max(300)).max(20).describe('Points every answering agent agrees on'),
  conflicts: z
    .array(
      z.strictObject({
        topic: z.string().trim().min(1).max(300).describe('What they disagree about'),
        positions: z.array(z.strictObject({ agentId: z.string().describe('AGENT_… id from the answers'), position: z.string().trim().min(1).max(500) })).min(1).max(5),
      }),
    )
    .max(10)
    .describe('Each disagreement, with every side'),
  resolved: z.string().trim().min(1).max(1500).describe('The resolved answer to the mission'),
  supporters: z.array(z.string()).max(5).describe('Ids of the agents whose answer is, in substance, the resolved one'),
  rationale: z.string().trim().min(1).max(1500).describe('Why this answer, in a sentence or two'),
});

/** `submit_comparison` for one comparison: agent ids are checked against the answers, names and agreement filled in. */
export function submitComparisonFor(input: CompareReportsInput): FinalTool<Comparison> {
  const names = new Map(input.answers.map((a) => [a.agentId, a.agent]));
  return {
    name: 'submit_comparison',
    description: 'Submit the comparison of the agents\' answers: agreed points, conflicts with every side, the resolved answer, who supports it, and why. Call it once.',
    input: ComparisonInput,
    check(raw) {
      const parsed = ComparisonInput.safeParse(raw);
      if (!parsed.success) return { ok: false, problem: `the comparison is invalid: ${describeIssues(parsed.error, 5)}`, failure: Failure.LlmInvalidOutput };
      const c = parsed.data;
      const ids = [...c.supporters, ...c.conflicts.flatMap((k) => k.positions.map((p) => p.agentId))];
      const unknown = ids.find((id) => !names.has(id));
      if (unknown !== undefined) {
        return { ok: false, problem: `the comparison is invalid: unknown agent id "${unknown}" (the answers are from ${[...names.keys()].join(', ')})`, failure: Failure.LlmInvalidOutput };
      }
      const supporters = [...new Set(c.supporters)];
      return {
        ok: true,
        value: {
          agreed: c.agreed,
          conflicts: c.conflicts.map((k) => ({ topic: k.topic, positions: k.positions.map((p) => ({ agentId: p.agentId, agent: names.get(p.agentId) ?? p.agentId, position: p.position })) })),
          resolved: c.resolved,
          supporters,
          agreement: input.agents ? supporters.length / input.agents : 0,
          rationale: c.rationale,
          by: 'llm',
        },
      };
    },
  };
}

/** The comparison request: the mission and every answer, as JSON, with what to produce. */
export function comparisonRequest(input: CompareReportsInput): string {
  const answers = input.answers.map((a) => ({ agentId: a.agentId, agent: a.agent, ...(a.model ? { model: a.model } : {}), answer: a.summary, claims: a.claims, insights: a.insights }));
  const missing = input.agents - input.answers.length;
  return [
    `Project "${input.project}", task ${input.taskId}. ${input.agents} agents worked on the same mission independently${missing > 0 ? ` (${missing} did not answer)` : ''}.`,
    `Mission: ${input.mission}`,
    `Their answers:\n\n${JSON.stringify(answers, null, 1)}`,
    'Compare them: what they all agree on; each conflict with every side\'s position; the resolved answer (the best-supported one, stated in full); the ids of the agents whose answer is in substance the resolved one; and why.',
  ].join('\n\n');
}

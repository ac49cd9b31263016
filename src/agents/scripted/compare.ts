import type { Comparison, CompareReportsInput, ConsensusAnswer } from '../../shared/consensus-spec';
import { normalise } from './synthesizer';

/** The label every deterministic comparison carries, so nobody mistakes it for a model's judgement. */
export const DETERMINISTIC_LABEL = '[deterministic comparison]';

/** An answer as compared: the simulated label, case, spacing and trailing punctuation do not make two answers differ. */
export function answerKey(summary: string): string {
  return normalise(summary.replace(/^\[simulated\]\s*/i, ''));
}

/** Statements every answering agent made (claims and insights), by normalised text, in first-seen order. */
function sharedStatements(answers: ConsensusAnswer[]): string[] {
  const counts = new Map<string, { text: string; agents: Set<string> }>();
  for (const a of answers) {
    for (const s of [...a.claims, ...a.insights]) {
      const key = normalise(s);
      if (!key) continue;
      const entry = counts.get(key) ?? { text: s.trim(), agents: new Set<string>() };
      entry.agents.add(a.agentId);
      counts.set(key, entry);
    }
  }
  return [...counts.values()].filter((e) => e.agents.size === answers.length && answers.length > 1).map((e) => e.text);
}

/**
 * The scripted runtime's comparison, deterministic and declared as such: answers are grouped by their normalised
 * summary; the largest group (ties: the one answered first) is the resolved answer; agreement is its size over the
 * agents asked (failed ones count against it). No model judges meaning: two wordings of one idea are two answers.
 */
export function compareDeterministically(input: CompareReportsInput): Comparison {
  const groups: { key: string; text: string; members: ConsensusAnswer[] }[] = [];
  for (const a of input.answers) {
    const key = answerKey(a.summary);
    const group = groups.find((g) => g.key === key);
    if (group) group.members.push(a);
    else groups.push({ key, text: a.summary.trim(), members: [a] });
  }
  const top = groups.reduce<(typeof groups)[number] | undefined>((best, g) => (!best || g.members.length > best.members.length ? g : best), undefined);
  if (!top) return { agreed: [], conflicts: [], resolved: '', supporters: [], agreement: 0, rationale: `${DETERMINISTIC_LABEL} no agent answered`, by: 'deterministic' };
  const asked = Math.max(input.agents, input.answers.length);
  const names = (g: (typeof groups)[number]) => g.members.map((m) => m.agent).join(', ');
  const agreed = [...(groups.length === 1 && input.answers.length > 1 ? [top.text] : []), ...sharedStatements(input.answers)];
  const conflicts = groups.length > 1 ? [{ topic: 'the answer', positions: input.answers.map((a) => ({ agentId: a.agentId, agent: a.agent, position: a.summary.trim() })) }] : [];
  const others = groups.filter((g) => g !== top).map((g) => `${names(g)}: "${g.text.replace(/^\[simulated\]\s*/i, '').slice(0, 80)}"`);
  const rationale = `${DETERMINISTIC_LABEL} ${top.members.length} of ${asked} agents gave the same answer (${names(top)})${others.length ? `; differing: ${others.join('; ')}` : ''}${asked > input.answers.length ? `; ${asked - input.answers.length} did not answer` : ''}.`;
  return {
    agreed,
    conflicts,
    resolved: top.text,
    supporters: top.members.map((m) => m.agentId),
    agreement: top.members.length / asked,
    rationale,
    by: 'deterministic',
  };
}

import type { ProposedDecision, SynthesisOutput, SynthesisResult, SynthesizeInput } from '../../shared/activity-types';

/** Longest string synthesis returns: results land in workflow history. */
export const MAX_SYNTHESIS_TEXT = 300;
/** Most items synthesis returns per list. */
export const MAX_SYNTHESIS_ITEMS = 20;

/** A finished output; `followUps` is read when the caller passes it (not yet in SynthesisOutput). */
export type SynthesisSource = SynthesisOutput & { followUps?: string[] };

/** Text as compared: case, spacing and trailing punctuation do not make two statements differ. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim().replace(/[.!?;:,]+$/, '');
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_SYNTHESIS_TEXT ? `${line.slice(0, MAX_SYNTHESIS_TEXT - 1)}…` : line;
}

const bounded = (items: string[]): string[] => [...new Set(items.map(clip))].slice(0, MAX_SYNTHESIS_ITEMS);

const list = (names: string[]): string => names.join(', ');

/** Statements by distinct agents, grouped by normalised text, in first-seen order. */
function statementsByAgent(outputs: SynthesisSource[], pick: (o: SynthesisSource) => string[]): { text: string; agents: string[] }[] {
  const groups = new Map<string, { text: string; agents: string[] }>();
  for (const output of outputs) {
    for (const statement of pick(output)) {
      const key = normalise(statement);
      if (!key) continue;
      const group = groups.get(key) ?? { text: statement.trim(), agents: [] };
      if (!group.agents.includes(output.agentName)) group.agents.push(output.agentName);
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

function agreements(outputs: SynthesisSource[]): { agreements: string[]; insights: string[] } {
  const sharedInsights = statementsByAgent(outputs, (o) => o.insights).filter((g) => g.agents.length >= 2);
  const sharedClaims = statementsByAgent(outputs, (o) => o.claims).filter((g) => g.agents.length >= 2);
  return {
    agreements: [
      ...sharedInsights.map((g) => `${g.agents.length} agents agree (${list(g.agents)}): ${g.text}`),
      ...sharedClaims.map((g) => `Claimed by ${list(g.agents)}: ${g.text}`),
    ],
    insights: sharedInsights.map((g) => g.text),
  };
}

function conflicts(outputs: SynthesisSource[]): string[] {
  const found: string[] = [];
  for (const failed of outputs.filter((o) => o.status === 'failed' && o.role !== 'reviewer')) {
    // Without the dependency graph in the input, tasks of the same objective stand in for dependents.
    const completed = outputs.filter((o) => o.status === 'completed' && o.objectiveId === failed.objectiveId);
    if (completed.length > 0) {
      found.push(`${failed.taskId} (${failed.role}) failed but ${list(completed.map((o) => o.taskId))} completed alongside it: ${failed.summary}`);
    }
  }
  for (const review of outputs.filter((o) => o.role === 'reviewer' && o.status === 'failed')) {
    found.push(`Reviewer ${review.agentName} did not accept the work of ${review.objectiveId ?? 'this session'}: ${review.summary}`);
  }
  return found;
}

function patterns(outputs: SynthesisSource[]): string[] {
  const found: string[] = [];
  const byRole = new Map<string, number>();
  for (const o of outputs) byRole.set(o.role, (byRole.get(o.role) ?? 0) + o.insights.length);
  const most = Math.max(0, ...byRole.values());
  if (most > 0) {
    const roles = [...byRole].filter(([, n]) => n === most).map(([role]) => role);
    found.push(`Most insights came from ${list(roles)} agents (${most} insight${most === 1 ? '' : 's'}${roles.length > 1 ? ' each' : ''})`);
  }
  for (const g of statementsByAgent(outputs, (o) => o.followUps ?? []).filter((g) => g.agents.length >= 2)) {
    found.push(`Follow-up raised by ${g.agents.length} agents (${list(g.agents)}): ${g.text}`);
  }
  const failures = outputs.filter((o) => o.status === 'failed');
  if (failures.length >= 2) found.push(`${failures.length} tasks failed this session: ${list(failures.map((o) => o.taskId))}`);
  return found;
}

function unknowns(input: SynthesizeInput, outputs: SynthesisSource[]): string[] {
  const said = outputs.map((o) => normalise([o.summary, ...o.claims, ...o.insights].join(' \n ')));
  const found = statementsByAgent(outputs, (o) => o.followUps ?? [])
    .filter((g) => !said.some((text) => text.includes(normalise(g.text))))
    .map((g) => `Open follow-up from ${list(g.agents)}: ${g.text}`);
  for (const objective of input.objectives) {
    if (objective.status !== 'completed' && !outputs.some((o) => o.objectiveId === objective.id)) {
      found.push(`${objective.id} has no finished work yet: ${objective.description}`);
    }
  }
  return found;
}

function decisions(input: SynthesizeInput, outputs: SynthesisSource[]): ProposedDecision[] {
  const proposed: ProposedDecision[] = [];
  for (const objective of input.objectives) {
    const mine = outputs.filter((o) => o.objectiveId === objective.id);
    if (mine.length === 0) continue;
    const failed = mine.filter((o) => o.status === 'failed');
    const tasks = list(mine.map((o) => `${o.taskId} (${o.role}, ${o.agentName})`));
    proposed.push(
      failed.length === 0
        ? {
            question: clip(`Accept the outputs of ${objective.id}?`),
            choice: 'accept',
            rationale: clip(`All ${mine.length} task(s) completed: ${tasks}`),
            needsPerson: false,
            objectiveId: objective.id,
          }
        : {
            question: clip(`${objective.id} has failed task(s) ${list(failed.map((o) => o.taskId))}: retry, re-plan or drop it?`),
            rationale: clip(`${failed.length} of ${mine.length} task(s) failed: ${failed.map((o) => `${o.taskId}: ${o.summary}`).join('; ')}`),
            needsPerson: true,
            objectiveId: objective.id,
          },
    );
  }
  return proposed.slice(0, MAX_SYNTHESIS_ITEMS);
}

/** Seed 002's synthesis framework over one session's outputs, deterministically and within history-friendly bounds. */
export function synthesizeOutputs(input: SynthesizeInput): SynthesisResult {
  const outputs: SynthesisSource[] = input.outputs;
  const agreed = agreements(outputs);
  return {
    agreements: bounded(agreed.agreements),
    conflicts: bounded(conflicts(outputs)),
    patterns: bounded(patterns(outputs)),
    unknowns: bounded(unknowns(input, outputs)),
    insights: bounded(agreed.insights),
    decisions: decisions(input, outputs),
  };
}

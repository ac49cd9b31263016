import { z } from 'zod';
import { resolveExisting } from './workspace';

const items = (what: string) => z.array(z.string().min(1)).max(50).default([]).describe(what);

/** The part of an AgentReport a model (or CLI agent) writes itself; the runtime adds usage, timing and labels. */
export const ModelReport = z.object({
  status: z.enum(['success', 'failure']).describe('success when the success criteria are met, else failure'),
  summary: z.string().trim().min(1).describe('What you did and found, in a few sentences; name the files you wrote'),
  artifacts: items('Workspace-relative paths of the files you wrote or that hold your result'),
  claims: items('Checkable statements about the result'),
  insights: items('Lessons worth remembering for later tasks'),
  followUps: items('Open questions or recommended next work'),
  reflections: items('What you would do differently next time'),
});
export type ModelReport = z.infer<typeof ModelReport>;

/** Reported paths that really exist in the workspace, plus every file the run wrote; `missing` lists the claimed ones that do not. */
export async function reconcileArtifacts(workspace: string, reported: readonly string[], written: readonly string[]): Promise<{ artifacts: string[]; missing: string[] }> {
  const artifacts: string[] = [];
  const missing: string[] = [];
  for (const raw of reported) {
    const rel = raw.replace(/^\.\//, '');
    const found = await resolveExisting(workspace, rel).catch(() => undefined);
    if (found === undefined) missing.push(raw);
    else if (!artifacts.includes(rel)) artifacts.push(rel);
  }
  for (const rel of written) if (!artifacts.includes(rel)) artifacts.push(rel);
  return { artifacts, missing };
}

/** `summary` with a note naming reported artifacts that are not in the workspace, so reviewers see the gap. */
export function noteMissing(summary: string, missing: readonly string[]): string {
  return missing.length ? `${summary} (reported artifacts not found in the workspace: ${missing.join(', ')})` : summary;
}

/** What stopped an agent before it reported (its budget or its turn limit), and the report fields that say so. */
export function unreportedStop(budgetProblem: string | undefined, maxTurns: number) {
  const budget = budgetProblem !== undefined;
  return {
    why: budget ? `the budget is spent (${budgetProblem})` : `it reached its limit of ${maxTurns} turns`,
    fields: { status: 'failure' as const, claims: [], insights: [], followUps: [], reflections: [], stopReason: budget ? ('budget' as const) : ('turn_limit' as const) },
  };
}

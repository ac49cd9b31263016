import type { AgentRunContext, AgentRuntime } from '../agents/runtime';
import type { AgentReport, GateResult, SpawnAgentInput, Usage, VerifyWorkInput } from '../shared/activity-types';
import { quote } from './review';

/** Diff text the reviewer's mission carries inline; the full diff is an artifact. */
export const REVIEW_DIFF_CHARS = 20 * 1024;

/** What the LLM reviewer is shown: the work's claims and the facts gathered about it. */
export interface LlmReviewFacts {
  gates: GateResult[];
  changedFiles: string[];
  gitAvailable: boolean;
  diff: string;
  /** Artifact id of the full diff. */
  diffArtifact: string;
}

/** The LLM reviewer's verdict and what it cost. */
export interface LlmReview {
  passed: boolean;
  by: 'llm';
  falseClaims: string[];
  notes: string[];
  usage?: Usage;
}

const bullet = (lines: readonly string[], empty: string) => (lines.length ? lines.map((l) => `- ${l}`) : [`- ${empty}`]);

/** The reviewer's mission: the agent's summary and claims, the gate results with tails, the changed files and a capped diff. */
function reviewerMission(input: VerifyWorkInput, facts: LlmReviewFacts): string {
  const gates = facts.gates.flatMap((g) => [
    `### Gate ${g.name}: ${g.passed ? 'PASSED' : 'FAILED'} (\`${g.command}\`, exit ${g.exitCode ?? 'none'}${g.timedOut ? ', timed out' : ''})`,
    ...(g.tail ? ['```', g.tail, '```'] : []),
  ]);
  const diff = facts.diff.length > REVIEW_DIFF_CHARS ? `${facts.diff.slice(0, REVIEW_DIFF_CHARS)}\n[… diff cut at ${REVIEW_DIFF_CHARS} characters; full diff is artifact ${facts.diffArtifact}]` : facts.diff;
  return [
    `Verify the work ${input.agentName} did on task ${input.taskId} (round ${input.round}). Check every claim against the gate results, the diff and the files in the workspace (your tools read them).`,
    '',
    '## The mission it was given',
    input.mission,
    '',
    '## Its summary',
    input.summary || '(none)',
    '',
    '## Its claims',
    ...bullet(input.claims.map(quote), '(no claims)'),
    '',
    '## Quality gates (run by Baton in the workspace)',
    ...(gates.length ? gates : ['- (no gates are configured)']),
    '',
    facts.gitAvailable ? '## Changed files (git status)' : '## Changed files',
    ...(facts.gitAvailable ? bullet(facts.changedFiles, '(none)') : ['- (no version control: changes cannot be listed)']),
    '',
    '## Diff',
    '```diff',
    diff.trimEnd(),
    '```',
    '',
    'Your verdict: report status "failure" when any claim (or the summary) is not supported by the gates, the diff or the files, and list each such claim in `claims`, saying why (e.g. `"all tests pass": gate test failed`). Report status "success" with empty `claims` when every claim holds. Put anything you could not check in `followUps`.',
  ].join('\n');
}

/** A spawnAgent input for the reviewer agent on the same runtime and model as the verification. */
function reviewerInput(input: VerifyWorkInput, facts: LlmReviewFacts): SpawnAgentInput {
  return {
    runtime: input.runtime,
    ...(input.model ? { model: input.model } : {}),
    ...(input.scenario ? { scenario: input.scenario } : {}),
    project: input.project,
    // The reviewer answers to the same budget as the work: it starts only while there is room, and gets the room as its cap.
    ...(input.budget ? { budget: input.budget } : {}),
    agent: { id: `REVIEWER_${input.taskId}`, name: `Reviewer of ${input.agentName}`, role: 'reviewer' },
    task: {
      id: input.taskId,
      key: `verify-${input.taskId.toLowerCase()}-r${input.round}`,
      mission: reviewerMission(input, facts),
      successCriteria: ['every claim was checked against the gates, the diff or the files', 'every unsupported claim is listed with why'],
    },
    inputs: [],
  };
}

/** The reviewer's report as a review: a failure verdict lists its false claims (its summary when it names none). */
function reviewFromReport(report: AgentReport): LlmReview {
  const notes = [`reviewer: ${report.summary}`, ...report.followUps.map((f) => `reviewer could not check: ${f}`)];
  if (report.status === 'success') return { passed: true, by: 'llm', falseClaims: [], notes, usage: report.usage };
  const falseClaims = report.claims.length ? report.claims.map((c) => `reviewer: ${c}`) : [`reviewer rejected the work: ${report.summary}`];
  return { passed: false, by: 'llm', falseClaims, notes, usage: report.usage };
}

/** Runs the reviewer agent in the work's workspace; `stopped` (with its usage) when it ran out of turns or budget before a verdict. */
export async function llmReview(runtime: AgentRuntime, input: VerifyWorkInput, facts: LlmReviewFacts, ctx: AgentRunContext): Promise<LlmReview | { stopped: string; usage?: Usage }> {
  const report = await runtime.runAgent(reviewerInput(input, facts), { ...ctx, workspace: input.workspace });
  if (report.stopReason !== 'done') return { stopped: report.summary, usage: report.usage };
  return reviewFromReport(report);
}

import { AgentRuntimeError, toApplicationFailure } from '../agents/runtime';
import type { GateResult, Usage, VerifyWorkInput, VerifyWorkResult } from '../shared/activity-types';
import { Failure } from '../shared/failures';
import { git } from '../git/run';
import { workspaceChanges } from '../verify/diff';
import { runGates } from '../verify/gates';
import { llmReview } from '../verify/llm-review';
import { gateOutcome, reviewClaims, type ClaimsReview } from '../verify/review';
import { folderProblem } from '../node/files';
import type { ActivityKit } from '.';

/** One rework line per failed gate: `gate test failed (exit 1): <last line of its output>`. */
function gateFailures(gates: readonly GateResult[]): string[] {
  return gates.filter((g) => !g.passed).map((g) => `gate ${g.name} failed (${gateOutcome(g)}): ${g.tail.trimEnd().split('\n').at(-1) || '(no output)'}`);
}

const unique = (lines: readonly string[]) => [...new Set(lines)];

/** `verifyWork`: runs the target's gates in the agent's workspace, reads what changed, and reviews the agent's claims against both. */
export function makeVerifyWork(kit: ActivityKit) {
  return async function verifyWork(input: VerifyWorkInput): Promise<VerifyWorkResult> {
    try {
      const problem = await folderProblem(input.workspace);
      if (problem) throw new AgentRuntimeError(Failure.InputInvalid, `cannot verify task work: workspace "${input.workspace}" ${problem}`, false);
      const ctx = kit.runContext(input.project);
      const signal = ctx.cancellationSignal;
      const gates = await runGates(input.workspace, input.gates, { signal, heartbeat: (d) => ctx.heartbeat(d), artifacts: kit.artifacts, project: input.project });
      ctx.heartbeat({ step: 'diff' });
      // A task worktree is judged on what it changed since it branched, whatever the agent committed on the way.
      const base = input.integrationBranch ? await branchBase(input.workspace, 'HEAD', input.integrationBranch) : undefined;
      const changes = await workspaceChanges(input.workspace, { signal, ...(base ? { base } : {}) });
      const diff = await kit.artifacts.put(changes.diff, { kind: 'diff', project: input.project });
      const rules = reviewClaims({ claims: input.claims, summary: input.summary, gates, changedFiles: changes.changedFiles, gitAvailable: changes.gitAvailable });

      let review: VerifyWorkResult['review'] = { ...rules, by: 'rules' };
      let usage: Usage | undefined;
      if (input.runtime === 'anthropic') {
        ctx.heartbeat({ step: 'review' });
        const facts = { gates, changedFiles: changes.changedFiles, gitAvailable: changes.gitAvailable, diff: changes.diff, diffArtifact: diff.id };
        const llm = await llmReview(kit.runtimeFor(input.runtime), input, facts, ctx);
        usage = llm.usage;
        review = 'stopped' in llm ? withNote(rules, `LLM reviewer gave no verdict (${llm.stopped}); the rules review stands`) : merge(rules, llm);
      }
      const failures = unique([...gateFailures(gates), ...review.falseClaims]);
      return {
        passed: gates.every((g) => g.passed) && review.passed,
        gates,
        review,
        failures,
        diff: diff.id,
        changedFiles: changes.changedFiles,
        ...(usage ? { usage } : {}),
      };
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}

/** Where the worktree's HEAD meets the integration branch: the commit the task started from. */
async function branchBase(worktree: string, head: string, integrationBranch: string): Promise<string> {
  return (await git(worktree, ['merge-base', `refs/heads/${integrationBranch}`, head])).stdout.trim();
}

function withNote(rules: ClaimsReview, note: string): VerifyWorkResult['review'] {
  return { ...rules, by: 'rules', notes: [...rules.notes, note] };
}

/** The LLM verdict with the rules reviewer's false claims added: a failed gate is a fact whatever the model says. */
function merge(rules: ClaimsReview, llm: { passed: boolean; falseClaims: string[]; notes: string[] }): VerifyWorkResult['review'] {
  const falseClaims = unique([...rules.falseClaims, ...llm.falseClaims]);
  return { passed: rules.passed && llm.passed, by: 'llm', falseClaims, notes: unique([...rules.notes, ...llm.notes]) };
}

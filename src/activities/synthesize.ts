import { mkdir } from 'node:fs/promises';
import { AgentRuntimeError, toApplicationFailure } from '../agents/runtime';
import { MAX_SYNTHESIS_ITEMS, MAX_SYNTHESIS_TEXT } from '../agents/scripted/synthesizer';
import { SynthesisResult, type SynthesizeInput } from '../shared/activity-types';
import { Failure } from '../shared/failures';
import { describeIssues } from '../shared/zod-errors';
import type { ActivityKit } from '.';

const clip = (text: string) => (text.length > MAX_SYNTHESIS_TEXT ? `${text.slice(0, MAX_SYNTHESIS_TEXT - 1)}…` : text);
const clipAll = (items: string[]) => items.slice(0, MAX_SYNTHESIS_ITEMS).map(clip);

/** Any runtime's synthesis cut to history-friendly size: short strings, short lists. */
export function boundSynthesis(result: SynthesisResult): SynthesisResult {
  return {
    agreements: clipAll(result.agreements),
    conflicts: clipAll(result.conflicts),
    patterns: clipAll(result.patterns),
    unknowns: clipAll(result.unknowns),
    insights: clipAll(result.insights),
    decisions: result.decisions.slice(0, MAX_SYNTHESIS_ITEMS).map((d) => ({
      ...d,
      question: clip(d.question),
      rationale: clip(d.rationale),
      ...(d.choice === undefined ? {} : { choice: clip(d.choice) }),
    })),
    ...(result.usage === undefined ? {} : { usage: result.usage }),
  };
}

/** `synthesize`: a session's finished outputs → agreements, conflicts, patterns, unknowns and proposed decisions. */
export function makeSynthesize(kit: ActivityKit) {
  return async function synthesize(input: SynthesizeInput): Promise<SynthesisResult> {
    try {
      const runtime = kit.runtimeFor(input.runtime);
      const ctx = kit.runContext(input.project);
      // A CLI or Claude Code synthesizer is started in the workspace: it must exist even when no agent made it.
      await mkdir(ctx.workspace, { recursive: true });
      const result = SynthesisResult.safeParse(await runtime.synthesize(input, ctx));
      if (!result.success) {
        throw new AgentRuntimeError(Failure.AgentFailed, `${runtime.name} runtime returned an invalid synthesis: ${describeIssues(result.error)}`, false);
      }
      return boundSynthesis(result.data);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}

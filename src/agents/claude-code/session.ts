import type { CanUseTool, HookCallback, Options, SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { CancelledFailure } from '@temporalio/common';
import { z } from 'zod';
import type { BudgetView, Usage } from '../../shared/activity-types';
import { Failure } from '../../shared/failures';
import { cancellation } from '../anthropic/call';
import { redact } from '../anthropic/errors';
import type { FinalTool } from '../anthropic/final-tools';
import { budgetProblem } from '../budget';
import { AgentRuntimeError, type AgentRunContext } from '../runtime';
import { judgeTool, toolsFor, type ToolPolicy } from './confinement';
import { traceModelCall } from '../../telemetry/model-span';
import { advance, progressDetails, progressUsage, resultUsage, startProgress, sumUsage, type SessionProgress } from './progress';
import type { ClaudeAgentSdk } from './sdk';
import { resultDetail, resultFailure } from './result-errors';

/** One Claude Code conversation Baton drives: who, with what prompt, tools, result schema and limits. */
export interface SessionSpec<T> {
  label: string;
  model: string;
  /** Appended to Claude Code's own system prompt: the role's prompt. */
  system: string;
  prompt: string;
  final: FinalTool<T>;
  maxTurns: number;
  budget?: BudgetView;
  policy: ToolPolicy;
  /** A session to continue (a retry after a crash, a rework round) instead of starting fresh. */
  resume?: string;
  /** Called with the session id as soon as Claude Code names it. */
  onSession?: (session: string) => void;
}

/** How a conversation ended. */
export type SessionOutcome<T> = { kind: 'done'; value: T } | { kind: 'budget'; problem: string } | { kind: 'turn_limit' };

/** A finished conversation: outcome, what it cost (every query, repairs included), its session and transcript artifact. */
export interface SessionResult<T> {
  outcome: SessionOutcome<T>;
  usage: Usage;
  session?: string;
  turns: number;
  transcript: string;
}

/** What the session needs from its runtime: the SDK, the CLI's environment and the key to keep out of everything stored. */
export interface SessionEnv {
  sdk: ClaudeAgentSdk;
  env: Record<string, string>;
  secret: string;
  executable?: string;
  heartbeatEveryMs: number;
}

type Loose = Record<string, unknown>;

interface QueryRun {
  result?: Loose;
  progress: SessionProgress;
  /** Set when Baton itself stopped the query because the token budget ran out. */
  budgetStop?: string;
}

/** Dollars this run may still spend (the tighter budget's room), or undefined without a dollar limit. */
export function remainingUsd(budget: BudgetView | undefined): number | undefined {
  if (budget?.maxUsd === undefined) return undefined;
  return Math.max(0, budget.maxUsd - budget.spentUsd);
}

/** The JSON schema Claude Code offers as its StructuredOutput tool, generated from the zod schema Baton validates with; no `$schema` (the CLI rejects the 2020-12 meta-schema). */
export function structuredSchema(final: FinalTool<unknown>): Record<string, unknown> {
  const { $schema: _meta, ...schema } = z.toJSONSchema(final.input, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
  return schema;
}

/** Runs one conversation: a query, one repair when the structured result is missing or invalid, then a clear failure. */
export async function converse<T>(spec: SessionSpec<T>, senv: SessionEnv, ctx: AgentRunContext): Promise<SessionResult<T>> {
  const transcript: unknown[] = [];
  let usage: Usage | undefined;
  let session = spec.resume;
  let turns = 0;
  const store = async () => (await ctx.artifacts.put(redact(JSON.stringify({ runtime: 'claude-code', label: spec.label, model: spec.model, session, messages: transcript }, null, 1), senv.secret), { kind: 'transcript', project: ctx.project })).id;
  const fail = async (err: unknown): Promise<never> => {
    const id = await store().catch(() => undefined);
    if (err instanceof AgentRuntimeError) {
      const where = id ? ` (transcript artifact ${id})` : '';
      throw new AgentRuntimeError(err.type, redact(`${err.message}${where}`, senv.secret), err.retryable, err.nextRetryDelayMs, sumUsage(usage, err.usage));
    }
    throw err;
  };
  const finish = async (outcome: SessionOutcome<T>): Promise<SessionResult<T>> => ({
    outcome,
    usage: usage ?? progressUsage(startProgress(), spec.model),
    ...(session ? { session } : {}),
    turns,
    transcript: await store(),
  });

  let prompt = spec.prompt;
  try {
    for (let repair = 0; ; repair++) {
      const before = budgetProblem(spec.budget, usage ?? progressUsage(startProgress(), spec.model));
      if (before) return await finish({ kind: 'budget', problem: before });
      // One span per query: its turns and what the CLI billed (the user's cost), not a span per streamed reply.
      const run = await traceModelCall({ runtime: 'claude-code', model: spec.model, label: spec.label }, () => runQuery(spec, senv, ctx, prompt, session, usage, transcript), (r) => ({
        ...((r.result && resultUsage(r.result, spec.model)) || progressUsage(r.progress, spec.model)),
        turns: r.progress.turn,
      }));
      session = run.progress.session ?? session;
      turns += run.progress.turn;
      const spent = run.result ? resultUsage(run.result, spec.model) : progressUsage(run.progress, spec.model);
      usage = sumUsage(usage, spent);
      if (run.budgetStop) return await finish({ kind: 'budget', problem: run.budgetStop });
      const result = run.result;
      if (!result) throw new AgentRuntimeError(Failure.AgentCrashed, `${spec.label}: Claude Code ended without a result message`, true);
      if (result.subtype === 'error_max_budget_usd') return await finish({ kind: 'budget', problem: resultDetail(result) });
      if (result.subtype === 'error_max_turns') return await finish({ kind: 'turn_limit' });
      const failure = resultFailure(result, spec.label);
      if (failure) throw failure;
      const checked = result.structured_output === undefined ? { ok: false as const, problem: 'no structured result was given', failure: Failure.LlmInvalidOutput } : spec.final.check(result.structured_output);
      if (checked.ok) return await finish({ kind: 'done', value: checked.value });
      if (repair >= 1 || !session) throw new AgentRuntimeError(checked.failure, `${spec.label}: ${checked.problem} (still invalid after one repair)`, false);
      prompt = `Your structured result was rejected: ${checked.problem}. Give the whole corrected result with the StructuredOutput tool.`;
    }
  } catch (err) {
    return fail(err);
  }
}

/** One query() call, streamed into heartbeats and the transcript; cancellation aborts it (and so kills the Claude Code process). */
async function runQuery(spec: SessionSpec<unknown>, senv: SessionEnv, ctx: AgentRunContext, prompt: string, resume: string | undefined, spentBefore: Usage | undefined, transcript: unknown[]): Promise<QueryRun> {
  const abort = new AbortController();
  const onCancel = () => abort.abort();
  if (ctx.cancellationSignal.aborted) throw cancellation(ctx.cancellationSignal);
  ctx.cancellationSignal.addEventListener('abort', onCancel);
  let progress = startProgress(resume);
  const beat = () => ctx.heartbeat(progressDetails(progress, { label: spec.label }));
  beat();
  const timer = setInterval(beat, senv.heartbeatEveryMs);
  let run: QueryRun = { progress };
  // Once the budget is spent no further tool runs: the session ends with the reply that spent it.
  const judge = async (tool: string, input: Record<string, unknown>) =>
    run.budgetStop && tool !== 'StructuredOutput' ? { allow: false as const, reason: `the budget is spent (${run.budgetStop})` } : judgeTool(spec.policy, tool, input);
  const canUseTool: CanUseTool = async (tool, input) => {
    const verdict = await judge(tool, input);
    return verdict.allow ? { behavior: 'allow', updatedInput: input } : { behavior: 'deny', message: `Baton refused ${tool}: ${verdict.reason}`, interrupt: run.budgetStop !== undefined };
  };
  // The hook sees every call, including ones Claude Code would approve without asking, so confinement never depends on the mode.
  const guard: HookCallback = async (input) => {
    const call = input as { tool_name?: string; tool_input?: Record<string, unknown> };
    const verdict = await judge(String(call.tool_name ?? ''), call.tool_input ?? {});
    if (verdict.allow) return {};
    const deny = { hookSpecificOutput: { hookEventName: 'PreToolUse' as const, permissionDecision: 'deny' as const, permissionDecisionReason: `Baton refused ${call.tool_name}: ${verdict.reason}` } };
    return run.budgetStop ? { ...deny, continue: false, stopReason: `Baton: the budget is spent (${run.budgetStop})` } : deny;
  };
  const room = remainingUsd(spec.budget === undefined ? undefined : { ...spec.budget, spentUsd: spec.budget.spentUsd + (spentBefore?.costUsd ?? 0) });
  const options: Options = {
    cwd: spec.policy.workspace,
    model: spec.model,
    tools: spec.final.name === 'submit_report' ? toolsFor(spec.policy) : [],
    permissionMode: 'default',
    canUseTool,
    hooks: { PreToolUse: [{ hooks: [guard] }] },
    maxTurns: spec.maxTurns,
    ...(room === undefined ? {} : { maxBudgetUsd: room }),
    outputFormat: { type: 'json_schema', schema: structuredSchema(spec.final as FinalTool<unknown>) },
    systemPrompt: { type: 'preset', preset: 'claude_code', append: spec.system },
    settingSources: [],
    // Streamed events carry each reply's final usage (message_delta), so the budget is checked on what a turn really cost.
    includePartialMessages: true,
    abortController: abort,
    env: senv.env,
    ...(resume ? { resume } : {}),
    ...(senv.executable ? { pathToClaudeCodeExecutable: senv.executable } : {}),
    stderr: (line: string) => ctx.log.debug('claude-code stderr', { line: redact(line, senv.secret).slice(0, 500) }),
  };
  run = { progress };
  try {
    const q = senv.sdk.query({ prompt, options });
    for await (const message of q as AsyncIterable<SDKMessage>) {
      // Streamed deltas repeat what the assistant messages hold; the transcript keeps the messages only.
      if ((message as Loose).type !== 'stream_event') transcript.push(message);
      const was = progress.session;
      progress = advance(progress, message, spec.model);
      run.progress = progress;
      if (progress.session && progress.session !== was) spec.onSession?.(progress.session);
      beat();
      if ((message as Loose).type === 'result') run.result = message as unknown as Loose;
      const over = budgetProblem(spec.budget, sumUsage(spentBefore, progressUsage(progress, spec.model)) as Usage);
      // Claude Code checks maxBudgetUsd on its own schedule and was seen to run a turn or two past it; Baton interrupts the
      // session itself on the reply that spends the room (tokens, or dollars at the price table's rates). The interrupted
      // session still ends with a result message, which carries what the CLI billed.
      if (over && !run.result && !run.budgetStop) {
        run.budgetStop = over;
        q.interrupt().catch(() => abort.abort());
      }
    }
  } catch (err) {
    if (ctx.cancellationSignal.aborted) throw cancelledWith(ctx.cancellationSignal, progressUsage(progress, spec.model));
    // After an error result the SDK throws too ("Claude Code returned an error result"); the result says what happened.
    if (!run.budgetStop && !run.result) {
      throw new AgentRuntimeError(Failure.AgentCrashed, `${spec.label}: Claude Code failed: ${(err as Error).message ?? String(err)}`, true, undefined, progressUsage(progress, spec.model));
    }
  } finally {
    clearInterval(timer);
    ctx.cancellationSignal.removeEventListener('abort', onCancel);
  }
  if (ctx.cancellationSignal.aborted) throw cancelledWith(ctx.cancellationSignal, progressUsage(progress, spec.model));
  return run;
}

/** The activity's cancellation, carrying what the stopped query had spent (the workflow records it). */
function cancelledWith(signal: AbortSignal, usage: Usage): CancelledFailure {
  return new CancelledFailure(cancellation(signal).message, [{ usage }]);
}

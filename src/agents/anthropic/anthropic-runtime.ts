import type { ContentBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { AgentReport, BudgetView, PlanObjectiveInput, PlanResult, SpawnAgentInput, SynthesisResult, SynthesizeInput } from '../../shared/activity-types';
import type { CompareReportsInput, CompareReportsResult } from '../../shared/consensus-spec';
import { Failure } from '../../shared/failures';
import { comparisonRequest, submitComparisonFor } from '../compare-tool';
import { noteMissing, reconcileArtifacts, unreportedStop } from '../report';
import { loadPrompt, promptsDir, ROLE_PROFILES, type AgentRole } from '../roles';
import { AgentRuntimeError, type AgentRunContext, type AgentRuntime } from '../runtime';
import { toolsForRole } from '../tools/toolset';
import { DEFAULT_TOOL_LIMITS, type AgentTool, type ToolContext, type ToolLimits } from '../tools/tool';
import { createClient, type ClientSettings } from './client';
import { redact } from './errors';
import { submitPlanFor, submitReport, submitSynthesis, type FinalTool } from './final-tools';
import { runLoop, type LoopResult } from './loop';
import { agentFirstMessage, plannerFirstMessage, readIdentity, synthesizerFirstMessage, systemBlocks } from '../prompt';

/** Settings of the `anthropic` runtime; everything is optional and role profiles fill the rest. */
export interface AnthropicRuntimeOptions extends ClientSettings {
  /** `auto` streams when max_tokens exceeds STREAM_ABOVE_TOKENS (long outputs); default `auto`. */
  streaming?: 'auto' | 'always' | 'never';
  /** Override every role's turn limit / max_tokens (tests use small ones). */
  maxTurns?: number;
  maxTokens?: number;
  /** Heartbeat interval while a request or a tool is in flight; default 1 s (a stop reaches the agent on a heartbeat). */
  heartbeatEveryMs?: number;
  toolLimits?: Partial<ToolLimits>;
  /** Folder of `<role>.md` prompts; default promptsDir(). */
  promptsDir?: string;
}

/** max_tokens above which `auto` streams: long non-streamed generations risk idle-connection timeouts. */
const STREAM_ABOVE_TOKENS = 8192;

/** Whether a request with `maxTokens` streams under `mode`. */
function shouldStream(mode: AnthropicRuntimeOptions['streaming'], maxTokens: number): boolean {
  return mode === 'always' || (mode !== 'never' && maxTokens > STREAM_ABOVE_TOKENS);
}

interface Conversation<T> {
  role: AgentRole;
  model: string;
  label: string;
  firstMessage: ContentBlockParam[];
  tools: readonly AgentTool[];
  toolContext?: ToolContext;
  final: FinalTool<T>;
  forceFinal: boolean;
  budget?: BudgetView;
}

const lastWords = (result: LoopResult<unknown>): string => {
  for (const message of [...result.messages].reverse()) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join(' ').trim();
    if (text) return text.length > 500 ? `${text.slice(0, 499)}…` : text;
  }
  return '';
};

/** Throws the non-retryable budget failure when a one-shot call (planner, synthesizer) stopped for budget, with what it spent. */
function budgetStop(result: LoopResult<unknown>, label: string): void {
  if (result.outcome.kind === 'budget') throw new AgentRuntimeError(Failure.BudgetExhausted, `${label}: the budget is spent (${result.outcome.problem})`, false, undefined, result.usage);
}

/** The Messages API runtime: a tool-use loop per agent, one-shot structured calls for planning and synthesis. */
export function createAnthropicRuntime(options: AnthropicRuntimeOptions = {}): AgentRuntime {
  async function converse<T>(c: Conversation<T>, ctx: AgentRunContext): Promise<{ result: LoopResult<T>; transcript: string }> {
    const { client, secret } = createClient(options);
    const profile = ROLE_PROFILES[c.role];
    const maxTokens = options.maxTokens ?? profile.maxTokens;
    const system: TextBlockParam[] = systemBlocks(await loadPrompt(c.role, options.promptsDir ?? promptsDir()));
    const result = await runLoop({
      client,
      model: c.model,
      system,
      firstMessage: c.firstMessage,
      tools: c.tools,
      toolContext: c.toolContext,
      final: c.final,
      forceFinal: c.forceFinal,
      maxTurns: options.maxTurns ?? profile.maxTurns,
      maxTokens,
      stream: shouldStream(options.streaming ?? 'auto', maxTokens),
      budget: c.budget,
      heartbeatEveryMs: options.heartbeatEveryMs ?? 1000,
      errors: { model: c.model, secret },
      run: ctx,
    });
    const record = { runtime: 'anthropic', role: c.role, model: c.model, label: c.label, outcome: result.outcome.kind, turns: result.turns, usage: result.usage, system, messages: result.messages };
    const stored = await ctx.artifacts.put(redact(JSON.stringify(record, null, 1), secret), { kind: 'transcript', project: ctx.project });
    if (result.outcome.kind === 'invalid') {
      throw new AgentRuntimeError(
        result.outcome.failure as Failure,
        `${c.label}: ${result.outcome.problem} (still invalid after one repair; transcript artifact ${stored.id})`,
        false,
      );
    }
    return { result, transcript: stored.id };
  }

  /** A one-shot structured call (planner, synthesizer, comparison): the submitted value with its usage, or a clear failure. */
  async function oneShot<T>(c: Omit<Conversation<T>, 'tools' | 'forceFinal'>, what: string, ctx: AgentRunContext): Promise<T & { usage: LoopResult<T>['usage'] }> {
    const { result } = await converse({ ...c, tools: [], forceFinal: true }, ctx);
    budgetStop(result, c.label);
    if (result.outcome.kind !== 'done') throw new AgentRuntimeError(Failure.LlmInvalidOutput, `${c.label}: no ${what} was submitted within ${result.turns} turn(s)`, false);
    return { ...result.outcome.value, usage: result.usage };
  }

  async function runAgent(input: SpawnAgentInput, ctx: AgentRunContext): Promise<AgentReport> {
    const started = Date.now();
    const role = input.agent.role;
    const profile = ROLE_PROFILES[role];
    const toolContext: ToolContext = {
      project: input.project,
      workspace: ctx.workspace,
      artifacts: ctx.artifacts,
      commands: profile.commands,
      limits: { ...DEFAULT_TOOL_LIMITS, ...options.toolLimits },
      signal: ctx.cancellationSignal,
      written: [],
    };
    const maxTurns = options.maxTurns ?? profile.maxTurns;
    const { result, transcript } = await converse(
      {
        role,
        model: input.model ?? profile.model,
        label: `${input.agent.name} (${role}) on ${input.task.key}`,
        firstMessage: agentFirstMessage(input, { maxTurns }, await readIdentity(input.target)),
        tools: toolsForRole(role),
        toolContext,
        final: submitReport,
        forceFinal: false,
        budget: input.budget,
      },
      ctx,
    );
    const { outcome } = result;
    const reported = outcome.kind === 'done' ? outcome.value : undefined;
    const { artifacts, missing } = await reconcileArtifacts(ctx.workspace, reported?.artifacts ?? [], toolContext.written);
    const base = { simulated: false, runtime: 'anthropic' as const, durationMs: Date.now() - started, usage: result.usage, transcript, artifacts };
    ctx.log.info('anthropic agent finished', { task: input.task.key, agent: input.agent.name, outcome: outcome.kind, turns: result.turns });
    if (reported) {
      return { ...base, ...reported, artifacts, summary: noteMissing(reported.summary, missing), stopReason: 'done' };
    }
    const stop = unreportedStop(outcome.kind === 'budget' ? outcome.problem : undefined, maxTurns);
    const words = lastWords(result);
    return { ...base, ...stop.fields, summary: `${input.agent.name} stopped before submitting a report: ${stop.why}, after ${result.turns} turn(s).${words ? ` Last words: ${words}` : ''}` };
  }

  async function plan(input: PlanObjectiveInput, ctx: AgentRunContext): Promise<PlanResult> {
    const label = `planner on ${input.objective.id}`;
    const model = input.model ?? ROLE_PROFILES.planner.model;
    return oneShot({ role: 'planner', model, label, firstMessage: plannerFirstMessage(input), final: submitPlanFor(input.openStreams), ...(input.budget ? { budget: input.budget } : {}) }, 'plan', ctx);
  }


  async function synthesize(input: SynthesizeInput, ctx: AgentRunContext): Promise<SynthesisResult> {
    const label = `synthesizer on session ${input.session}`;
    const model = input.model ?? ROLE_PROFILES.synthesizer.model;
    return oneShot({ role: 'synthesizer', model, label, firstMessage: synthesizerFirstMessage(input), final: submitSynthesis, ...(input.budget ? { budget: input.budget } : {}) }, 'synthesis', ctx);
  }


  async function compare(input: CompareReportsInput, ctx: AgentRunContext): Promise<CompareReportsResult> {
    const label = `comparison on ${input.taskId}`;
    const model = input.model ?? ROLE_PROFILES.synthesizer.model;
    return oneShot({ role: 'synthesizer', model, label, firstMessage: [{ type: 'text', text: `${comparisonRequest(input)}\n\nCall submit_comparison.` }], final: submitComparisonFor(input), ...(input.budget ? { budget: input.budget } : {}) }, 'comparison', ctx);
  }


  return { name: 'anthropic', runAgent, plan, synthesize, compare };
}

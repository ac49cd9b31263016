import type { AgentReport, BudgetView, PlanObjectiveInput, PlanResult, SpawnAgentInput, SynthesisResult, SynthesizeInput } from '../../shared/activity-types';
import type { CompareReportsInput, CompareReportsResult } from '../../shared/consensus-spec';
import { Failure } from '../../shared/failures';
import { comparisonRequest, submitComparisonFor } from '../compare-tool';
import { submitPlanFor, submitReport, submitSynthesis, type FinalTool } from '../anthropic/final-tools';
import { scrubbedEnv } from '../../node/process';
import { contextPrefix, missionText, planningRequest, readIdentity, synthesisRequest } from '../prompt';
import { noteMissing, reconcileArtifacts, unreportedStop } from '../report';
import { loadPrompt, promptsDir, ROLE_PROFILES, type AgentRole } from '../roles';
import { AgentRuntimeError, type AgentRunContext, type AgentRuntime } from '../runtime';
import { loadClaudeAgentSdk } from './sdk';
import { converse, type SessionEnv, type SessionResult } from './session';
import { defaultSessionsDir, fileSessionMap, sessionFromDetails, sessionKey, type SessionMap } from './sessions';

/** Settings of the `claude-code` runtime; unset ones come from the worker's environment per call. */
export interface ClaudeCodeRuntimeOptions {
  /** Default: `ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** Default: `ANTHROPIC_BASE_URL` (unset: Anthropic's API). */
  baseURL?: string;
  /** Where unset settings are read from, and the base of the CLI's (scrubbed) environment; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Claude Code binary; default the one the SDK's platform package ships. */
  executable?: string;
  /** Override every role's turn limit. */
  maxTurns?: number;
  /** Heartbeat interval while the session runs; default 1 s (a stop reaches the agent on a heartbeat). */
  heartbeatEveryMs?: number;
  promptsDir?: string;
  /** Which session worked which task (for rework rounds); default files under `defaultSessionsDir()`. */
  sessions?: SessionMap;
  /** Claude Code's own API retries (`CLAUDE_CODE_MAX_RETRIES`); default 0: Temporal's retry policy owns retries. */
  cliRetries?: number;
}

/** Variables of the worker's environment Claude Code itself may need besides the scrubbed basics. */
const PASSED_CLAUDE_VARS = ['CLAUDE_CONFIG_DIR', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];

const CLOSING = 'Work in the current directory (the workspace) with your tools; do not touch files outside it. When done (or when the task cannot be done), give your report with the StructuredOutput tool.';

/** The Claude Agent SDK runtime: one Claude Code session per agent task, confined to its workspace, with structured results. */
export function createClaudeCodeRuntime(options: ClaudeCodeRuntimeOptions = {}): AgentRuntime {
  const env = () => options.env ?? process.env;
  const sessions = () => options.sessions ?? fileSessionMap(defaultSessionsDir(env()));

  async function sessionEnv(): Promise<SessionEnv> {
    const e = env();
    const secret = options.apiKey ?? e.ANTHROPIC_API_KEY;
    if (!secret) {
      throw new AgentRuntimeError(
        Failure.ConfigInvalid,
        "ANTHROPIC_API_KEY is not set in the worker's environment; the claude-code runtime needs it (use the scripted runtime to run without one)",
        false,
      );
    }
    const baseURL = options.baseURL ?? e.ANTHROPIC_BASE_URL;
    const cliEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(scrubbedEnv(e))) if (v !== undefined) cliEnv[k] = v;
    for (const k of PASSED_CLAUDE_VARS) if (e[k]) cliEnv[k] = e[k] as string;
    Object.assign(cliEnv, {
      ANTHROPIC_API_KEY: secret,
      ...(baseURL ? { ANTHROPIC_BASE_URL: baseURL } : {}),
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_CODE_MAX_RETRIES: String(options.cliRetries ?? 0),
      CLAUDE_AGENT_SDK_CLIENT_APP: 'baton',
    });
    let sdk;
    try {
      sdk = await loadClaudeAgentSdk();
    } catch (err) {
      throw new AgentRuntimeError(Failure.ConfigInvalid, `cannot load @anthropic-ai/claude-agent-sdk (${(err as Error).message}); run npm install`, false);
    }
    return { sdk, env: cliEnv, secret, heartbeatEveryMs: options.heartbeatEveryMs ?? 1000, ...(options.executable ? { executable: options.executable } : {}) };
  }

  const system = (role: AgentRole) => loadPrompt(role, options.promptsDir ?? promptsDir());

  async function oneShot<T>(role: 'planner' | 'synthesizer', label: string, model: string | undefined, prompt: string, final: FinalTool<T>, ctx: AgentRunContext, budget?: BudgetView): Promise<SessionResult<T>> {
    const profile = ROLE_PROFILES[role];
    const result = await converse(
      {
        label,
        model: model ?? profile.model,
        system: await system(role),
        prompt,
        final,
        maxTurns: options.maxTurns ?? profile.maxTurns,
        ...(budget ? { budget } : {}),
        policy: { workspace: ctx.workspace, writes: false, commands: [] },
      },
      await sessionEnv(),
      ctx,
    );
    if (result.outcome.kind !== 'done') {
      const why = result.outcome.kind === 'budget' ? `the budget is spent (${result.outcome.problem})` : `no result within ${result.turns} turn(s)`;
      throw new AgentRuntimeError(result.outcome.kind === 'budget' ? Failure.BudgetExhausted : Failure.LlmInvalidOutput, `${label}: ${why} (transcript artifact ${result.transcript})`, false, undefined, result.usage);
    }
    return result;
  }

  async function runAgent(input: SpawnAgentInput, ctx: AgentRunContext): Promise<AgentReport> {
    const started = Date.now();
    const role = input.agent.role;
    const profile = ROLE_PROFILES[role];
    const maxTurns = options.maxTurns ?? profile.maxTurns;
    const key = sessionKey(input.project, input.agent.id, input.task.id);
    const map = sessions();
    const crashed = ctx.attempt > 1 ? sessionFromDetails(ctx.heartbeatDetails) : undefined;
    const reworked = !crashed && input.rework && input.rework.round > 0 ? await map.get(key) : undefined;
    let prompt: string;
    if (crashed) {
      prompt = 'Your previous attempt at this task was interrupted before it finished. Check what is already done in the workspace, continue where you left off, and give your report with the StructuredOutput tool.';
    } else if (reworked && input.rework) {
      const failures = input.rework.failures.map((f) => `- ${f}`).join('\n');
      prompt = `Verification sent your work back (rework round ${input.rework.round}). Fix what failed:\n\n${failures}\n\nThen give your report again with the StructuredOutput tool.`;
    } else {
      const identity = await readIdentity(input.target);
      prompt = [contextPrefix(input, identity), missionText(input, CLOSING)].filter(Boolean).join('\n\n');
    }
    const { outcome, usage, session, transcript, turns } = await converse(
      {
        label: `${input.agent.name} (${role}) on ${input.task.key}`,
        model: input.model ?? profile.model,
        system: await system(role),
        prompt,
        final: submitReport,
        maxTurns,
        ...(input.budget ? { budget: input.budget } : {}),
        policy: { workspace: ctx.workspace, writes: profile.writes, commands: profile.commands },
        ...(crashed ?? reworked ? { resume: crashed ?? reworked } : {}),
        onSession: (id) => void map.set(key, id).catch((err: unknown) => ctx.log.warn('claude-code session not remembered', { error: String(err) })),
      },
      await sessionEnv(),
      ctx,
    );
    const reported = outcome.kind === 'done' ? outcome.value : undefined;
    const { artifacts, missing } = await reconcileArtifacts(ctx.workspace, reported?.artifacts ?? [], []);
    const base = { simulated: false, runtime: 'claude-code' as const, durationMs: Date.now() - started, usage, transcript, artifacts, ...(session ? { session } : {}) };
    ctx.log.info('claude-code agent finished', { task: input.task.key, agent: input.agent.name, outcome: outcome.kind, turns, session });
    if (reported) return { ...base, ...reported, artifacts, summary: noteMissing(reported.summary, missing), stopReason: 'done' };
    const stop = unreportedStop(outcome.kind === 'budget' ? outcome.problem : undefined, maxTurns);
    return { ...base, ...stop.fields, summary: `${input.agent.name} stopped before giving a report: ${stop.why}, after ${turns} turn(s).` };
  }

  async function plan(input: PlanObjectiveInput, ctx: AgentRunContext): Promise<PlanResult> {
    const label = `planner on ${input.objective.id}`;
    const prompt = `${planningRequest(input)}\n\nGive the task graph with the StructuredOutput tool.`;
    const { outcome, usage } = await oneShot('planner', label, input.model, prompt, submitPlanFor(input.openStreams), ctx, input.budget);
    if (outcome.kind !== 'done') throw new AgentRuntimeError(Failure.LlmInvalidOutput, `${label}: no plan`, false);
    return { ...outcome.value, usage };
  }

  async function synthesize(input: SynthesizeInput, ctx: AgentRunContext): Promise<SynthesisResult> {
    const label = `synthesizer on session ${input.session}`;
    const prompt = `${synthesisRequest(input)}\n\nGive the synthesis with the StructuredOutput tool.`;
    const { outcome, usage } = await oneShot('synthesizer', label, input.model, prompt, submitSynthesis, ctx, input.budget);
    if (outcome.kind !== 'done') throw new AgentRuntimeError(Failure.LlmInvalidOutput, `${label}: no synthesis`, false);
    return { ...outcome.value, usage };
  }

  async function compare(input: CompareReportsInput, ctx: AgentRunContext): Promise<CompareReportsResult> {
    const label = `comparison on ${input.taskId}`;
    const prompt = `${comparisonRequest(input)}\n\nGive the comparison with the StructuredOutput tool.`;
    const { outcome, usage } = await oneShot('synthesizer', label, input.model, prompt, submitComparisonFor(input), ctx, input.budget);
    if (outcome.kind !== 'done') throw new AgentRuntimeError(Failure.LlmInvalidOutput, `${label}: no comparison`, false);
    return { ...outcome.value, usage };
  }

  return { name: 'claude-code', runAgent, plan, synthesize, compare };
}

import type { z } from 'zod';
import { SynthesisResult, type AgentReport, type BudgetView, type PlanObjectiveInput, type PlanResult, type SpawnAgentInput, type SynthesizeInput, type Usage } from '../../shared/activity-types';
import { Failure } from '../../shared/failures';
import { describeIssues } from '../../shared/zod-errors';
import { cancellation } from '../anthropic/call';
import { checkPlan, submitPlan } from '../anthropic/final-tools';
import { budgetProblem } from '../budget';
import { runProcess } from '../../node/process';
import { contextPrefix, missionText, planningRequest, readIdentity, synthesisRequest } from '../prompt';
import { ModelReport, noteMissing, reconcileArtifacts } from '../report';
import { loadPrompt, promptsDir, type AgentRole } from '../roles';
import { AgentRuntimeError, type AgentRunContext, type AgentRuntime } from '../runtime';
import { emptyUsage } from '../usage';
import { traceModelCall } from '../../telemetry/model-span';
import { COMMAND_AGENT_ENV, fillArgv, parseCommandConfig, type CommandAgentConfig } from './config';
import { readCommandOutput } from './output';

/** How often a running CLI agent heartbeats. */
const HEARTBEAT_MS = 1000;

/** Settings of the `command` runtime; without `config` it reads BATON_COMMAND_AGENT from `env` on every call. */
export interface CommandRuntimeOptions {
  config?: CommandAgentConfig;
  /** Environment for the config lookup and for the CLI, which usually needs its own credentials; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  promptsDir?: string;
  /** Largest stdout accepted; default 20 MB. */
  maxOutputBytes?: number;
}

interface Job<S extends z.ZodType> {
  role: AgentRole;
  kind: 'agent' | 'plan' | 'synthesis';
  label: string;
  /** The request after the role prompt; ends by saying what JSON to answer with. */
  request: string;
  /** The call's input, for `json` mode. */
  data: unknown;
  schema: S;
  values: { model?: string; task?: string; agent?: string };
  /** What the call may still spend; its dollar room fills `{{budget}}`. */
  budget?: BudgetView;
}

const ANSWER = 'Answer with only the JSON object described in your instructions, and nothing else.';

const tail = (text: string, n = 500) => (text.length > n ? `…${text.slice(-n)}` : text).trim();

/** Any CLI agent (e.g. `claude -p`): prompt on stdin, JSON answer on stdout, killed with its process group on cancellation. */
export function createCommandRuntime(options: CommandRuntimeOptions = {}): AgentRuntime {
  const env = () => options.env ?? process.env;
  const maxOutputBytes = options.maxOutputBytes ?? 20 * 1024 * 1024;

  async function execute<S extends z.ZodType>(job: Job<S>, ctx: AgentRunContext): Promise<{ value: z.infer<S>; usage?: Usage }> {
    const config = options.config ?? parseCommandConfig(env()[COMMAND_AGENT_ENV]);
    const model = config.model ?? job.values.model ?? 'command';
    const argv = fillArgv(config.argv, {
      role: job.role,
      model,
      project: ctx.project,
      task: job.values.task ?? '',
      agent: job.values.agent ?? '',
      workspace: ctx.workspace,
      budget: job.budget?.maxUsd === undefined ? '' : Math.max(0, job.budget.maxUsd - job.budget.spentUsd).toFixed(4),
    });
    const prompt = await loadPrompt(job.role, options.promptsDir ?? promptsDir());
    const stdin =
      config.input === 'json'
        ? JSON.stringify({ kind: job.kind, role: job.role, instructions: prompt, input: job.data, answer: ANSWER })
        : `${prompt}\n\n---\n\n${job.request}\n\n${ANSWER}\n`;
    ctx.heartbeat({ command: argv[0], kind: job.kind });
    // Frequent heartbeats are how a stop reaches a running agent quickly (the worker relays cancellation on them).
    const beat = setInterval(() => ctx.heartbeat({ command: argv[0], kind: job.kind }), HEARTBEAT_MS);
    // One model-call span per CLI run, with the usage the CLI reported (none recorded when it reported none).
    const run = await traceModelCall({ runtime: 'command', model, role: job.role, label: job.label }, () =>
      runProcess({ argv, cwd: ctx.workspace, env: env(), stdin, timeoutMs: config.timeoutMs, maxOutputBytes, signal: ctx.cancellationSignal }).finally(() => clearInterval(beat)),
      (r) => readCommandOutput(r.stdout, model).usage,
    );
    if (run.aborted || ctx.cancellationSignal.aborted) throw cancellation(ctx.cancellationSignal);
    const record = { runtime: 'command', argv, exitCode: run.exitCode, signal: run.signal, timedOut: run.timedOut, stdin, stdout: run.stdout, stderr: run.stderr };
    const transcript = await ctx.artifacts.put(JSON.stringify(record, null, 1), { kind: 'transcript', project: ctx.project });
    const where = `${job.label} via ${argv[0]} (transcript artifact ${transcript.id})`;
    if (run.spawnError) throw new AgentRuntimeError(Failure.ConfigInvalid, `${where}: cannot start the command (${run.spawnError})`, false);
    if (run.timedOut) throw new AgentRuntimeError(Failure.AgentCrashed, `${where}: killed after the ${config.timeoutMs} ms timeout`, true);
    if (run.stdoutBytes > maxOutputBytes) {
      throw new AgentRuntimeError(Failure.LlmInvalidOutput, `${where}: printed ${run.stdoutBytes} bytes, more than the ${maxOutputBytes} accepted`, false);
    }
    // A CLI that failed may still say why and what it spent (`claude -p` prints its error result and exits 1).
    const output = readCommandOutput(run.stdout, model);
    if (output.cliError) throw new AgentRuntimeError(Failure.AgentCrashed, `${where}: the CLI reported an error: ${output.cliError}`, true, undefined, output.usage);
    if (run.exitCode !== 0) {
      throw new AgentRuntimeError(Failure.AgentCrashed, `${where}: exited with ${run.exitCode ?? run.signal}; stderr: ${tail(run.stderr) || '(empty)'}`, true, undefined, output.usage);
    }
    const parsed = job.schema.safeParse(output.value);
    if (output.problem || !parsed.success) {
      const why = output.problem ?? (parsed.error ? describeIssues(parsed.error, 5) : 'invalid');
      throw new AgentRuntimeError(Failure.LlmInvalidOutput, `${where}: the answer is not a valid ${job.kind === 'agent' ? 'report' : job.kind}: ${why}`, false, undefined, output.usage);
    }
    return { value: parsed.data, usage: output.usage };
  }

  async function runAgent(input: SpawnAgentInput, ctx: AgentRunContext): Promise<AgentReport> {
    const started = Date.now();
    // A CLI gets the remaining budget as {{budget}}, but none may start against a budget already spent.
    const spent = budgetProblem(input.budget, emptyUsage(input.model ?? 'command'));
    if (spent) {
      const summary = `${input.agent.name} was not started: the budget is spent (${spent}).`;
      return { status: 'failure', summary, artifacts: [], claims: [], insights: [], followUps: [], reflections: [], simulated: false, runtime: 'command', durationMs: 0, stopReason: 'budget' };
    }
    const closing = 'Work in the current directory (the workspace); do not touch files outside it.';
    const identity = await readIdentity(input.target);
    const request = [contextPrefix(input, identity), missionText(input, closing)].filter(Boolean).join('\n\n');
    const { runtime: _r, scenario: _s, ...rest } = input;
    const data = identity === undefined ? rest : { ...rest, identityContext: identity };
    const { value, usage } = await execute(
      {
        role: input.agent.role,
        kind: 'agent',
        label: `${input.agent.name} (${input.agent.role}) on ${input.task.key}`,
        request,
        data,
        schema: ModelReport,
        values: { model: input.model, task: input.task.key, agent: input.agent.name },
        ...(input.budget ? { budget: input.budget } : {}),
      },
      ctx,
    );
    const { artifacts, missing } = await reconcileArtifacts(ctx.workspace, value.artifacts, []);
    return {
      ...value,
      artifacts,
      summary: noteMissing(value.summary, missing),
      simulated: false,
      runtime: 'command',
      durationMs: Date.now() - started,
      stopReason: 'done',
      ...(usage ? { usage } : {}),
    };
  }

  /** Refuses to start a planner or synthesizer against a spent budget. */
  function checkBudget(budget: BudgetView | undefined, label: string): void {
    const spent = budgetProblem(budget, emptyUsage('command'));
    if (spent) throw new AgentRuntimeError(Failure.BudgetExhausted, `${label}: not started, the budget is spent (${spent})`, false);
  }

  async function plan(input: PlanObjectiveInput, ctx: AgentRunContext): Promise<PlanResult> {
    const { runtime: _r, scenario: _s, budget, ...data } = input;
    const label = `planner on ${input.objective.id}`;
    checkBudget(budget, label);
    const { value, usage } = await execute(
      { role: 'planner', kind: 'plan', label, request: planningRequest(input), data, schema: submitPlan.input, values: { model: input.model }, ...(budget ? { budget } : {}) },
      ctx,
    );
    // A CLI agent gets no repair turn: a plan whose streams or interpretation are wrong fails here, naming the problem.
    const checked = checkPlan(value, input.openStreams);
    if (!checked.ok) throw new AgentRuntimeError(checked.failure, `${label}: ${checked.problem}`, false);
    return usage ? { ...checked.value, usage } : checked.value;
  }

  async function synthesize(input: SynthesizeInput, ctx: AgentRunContext): Promise<SynthesisResult> {
    const { runtime: _r, scenario: _s, budget, ...data } = input;
    checkBudget(budget, `synthesizer on session ${input.session}`);
    const { value, usage } = await execute(
      {
        role: 'synthesizer',
        kind: 'synthesis',
        label: `synthesizer on session ${input.session}`,
        request: synthesisRequest(input),
        data,
        schema: SynthesisResult.omit({ usage: true }),
        values: { model: input.model },
        ...(budget ? { budget } : {}),
      },
      ctx,
    );
    return usage ? { ...value, usage } : value;
  }

  return { name: 'command', runAgent, plan, synthesize };
}

import { stat } from 'node:fs/promises';
import { readWorkspaceFile, writeWorkspaceFile } from '../workspace';
import type { AgentReport, SpawnAgentInput, Usage } from '../../shared/activity-types';
import { Failure } from '../../shared/failures';
import { fillPlaceholders } from '../placeholders';
import { AgentRuntimeError, type AgentRunContext, type AgentRuntime } from '../runtime';
import { patternFor, planFor } from './planner';
import { behaviourFor, loadScenario, type AgentBehaviour, type Placeholder, type Scenario } from './scenario';
import { synthesizeOutputs } from './synthesizer';

/** Longest stretch of simulated work between two heartbeats. */
export const SLICE_MS = 200;
/** Simulated work time when neither the scenario nor its defaults say. */
export const DEFAULT_DELAY_MS = 300;
/** Every scripted summary starts with this, so simulated work is never mistaken for real work. */
export const SIMULATED_PREFIX = '[simulated] ';

interface InputRead {
  path: string;
  taskId: string;
  bytes: number;
}

const parsed = new Map<string, { mtimeMs: number; scenario: Promise<Scenario> }>();

/** The scenario at `file`, parsed once per version of the file (re-read when it changes on disk). */
async function scenarioAt(file: string | undefined): Promise<Scenario | undefined> {
  if (file === undefined) return undefined;
  const mtimeMs = await stat(file).then((s) => s.mtimeMs, () => -1);
  const cached = parsed.get(file);
  if (cached && cached.mtimeMs === mtimeMs && mtimeMs !== -1) return cached.scenario;
  const scenario = loadScenario(file);
  parsed.set(file, { mtimeMs, scenario });
  // A broken file is reported on every call until it is fixed, never cached as broken.
  scenario.catch(() => parsed.delete(file));
  return scenario;
}

/** Reads every artifact the task's dependencies produced; a missing one means the file flow broke. */
async function readInputs(input: SpawnAgentInput, ctx: AgentRunContext): Promise<InputRead[]> {
  const reads: InputRead[] = [];
  for (const dependency of input.inputs) {
    for (const artifact of dependency.artifacts) {
      const content = await readWorkspaceFile(ctx.workspace, artifact);
      if (content === undefined) {
        throw new AgentRuntimeError(
          Failure.InputInvalid,
          `task ${input.task.key} needs input "${artifact}" from ${dependency.taskId}, but it is not in the workspace`,
          false,
        );
      }
      reads.push({ path: artifact, taskId: dependency.taskId, bytes: Buffer.byteLength(content) });
    }
  }
  return reads;
}

/** Spends `totalMs` in slices of at most SLICE_MS, heartbeating after each; rejects promptly on cancellation. */
async function simulateWork(taskKey: string, totalMs: number, ctx: AgentRunContext): Promise<void> {
  let doneMs = 0;
  do {
    const slice = Math.min(SLICE_MS, totalMs - doneMs);
    await ctx.sleep(slice);
    doneMs += slice;
    ctx.heartbeat({ task: taskKey, doneMs, totalMs });
  } while (doneMs < totalMs);
}

function noteFor(input: SpawnAgentInput, reads: InputRead[]): string {
  const lines = [
    `# ${input.task.key}`,
    '',
    `Written by ${input.agent.name} (${input.agent.role}), a simulated agent of the scripted runtime.`,
    '',
    `- Objective: ${input.objective?.description ?? '(none)'}`,
    `- Mission: ${input.task.mission}`,
    ...input.task.successCriteria.map((c) => `- Success criterion: ${c}`),
    '',
    '## Inputs read',
    '',
    ...(reads.length ? reads.map((r) => `- ${r.path} (from ${r.taskId}, ${r.bytes} bytes)`) : ['- none']),
  ];
  return lines.join('\n') + '\n';
}

function summaryFor(input: SpawnAgentInput, behaviour: AgentBehaviour, fill: (t: string) => string, artifacts: string[], reads: InputRead[]): string {
  const base = behaviour.summary
    ? fill(behaviour.summary)
    : `${input.agent.name} (${input.agent.role}) worked on ${input.task.key} and wrote ${artifacts.join(', ')}.`;
  const unmentioned = reads.map((r) => r.path).filter((p) => !base.includes(p));
  const reading = unmentioned.length ? `${/[.!?]$/.test(base) ? '' : '.'} Inputs read: ${unmentioned.join(', ')}.` : '';
  // Long summaries are not cut here: spawnAgent moves them to the artifact store whole.
  return SIMULATED_PREFIX + base + reading;
}

async function runScriptedAgent(input: SpawnAgentInput, ctx: AgentRunContext): Promise<AgentReport> {
  const started = Date.now();
  const scenario = await scenarioAt(input.scenario);
  const behaviour = behaviourFor(scenario, { key: input.task.key, role: input.agent.role, stream: input.task.stream, round: input.rework?.round ?? 0, agent: input.agent.name });
  const reads = await readInputs(input, ctx);

  await simulateWork(input.task.key, behaviour.delayMs ?? DEFAULT_DELAY_MS, ctx);
  const failAttempts = behaviour.failAttempts ?? 0;
  if (ctx.attempt <= failAttempts) {
    throw new AgentRuntimeError(
      Failure.AgentCrashed,
      `[simulated] ${input.agent.name} crashed on ${input.task.key}, attempt ${ctx.attempt} (scenario failAttempts: ${failAttempts})`,
      true,
    );
  }

  const values: Record<Placeholder, string> = {
    objective: input.objective?.description ?? '',
    task: input.task.key,
    mission: input.task.mission,
    agent: input.agent.name,
    role: input.agent.role,
    inputs: reads.length ? reads.map((r) => r.path).join(', ') : 'none',
  };
  const fill = (text: string) => fillPlaceholders(text, values);
  const files = behaviour.files?.length
    ? behaviour.files.map((f) => ({ path: f.path, content: fill(f.content) }))
    : [{ path: `notes/${input.task.key}.md`, content: noteFor(input, reads) }];
  const artifacts: string[] = [];
  for (const file of files) artifacts.push(await writeWorkspaceFile(ctx.workspace, file.path, file.content));

  ctx.log.info('scripted agent finished', { task: input.task.key, agent: input.agent.name, artifacts });
  const spend = simulatedSpend(behaviour, input.budget);
  if (spend.overBudget) {
    return {
      status: 'failure',
      summary: `${SIMULATED_PREFIX}${input.agent.name} stopped: the budget ran out`,
      artifacts,
      claims: [],
      insights: [],
      followUps: [],
      simulated: true,
      runtime: 'scripted',
      durationMs: Date.now() - started,
      usage: spend.usage,
      stopReason: 'budget',
      reflections: [],
    };
  }
  return {
    status: behaviour.outcome ?? 'success',
    summary: summaryFor(input, behaviour, fill, artifacts, reads),
    artifacts,
    claims: (behaviour.claims ?? []).map(fill),
    insights: (behaviour.insights ?? []).map(fill),
    followUps: (behaviour.followUps ?? []).map(fill),
    simulated: true,
    runtime: 'scripted',
    durationMs: Date.now() - started,
    stopReason: 'done',
    reflections: (behaviour.reflections ?? []).map(fill),
    usage: spend.usage,
  };
}

/** A scripted agent's declared spend, capped at its budget: spending past it is what stops a real agent. */
function simulatedSpend(behaviour: AgentBehaviour, budget: SpawnAgentInput['budget']): { usage?: Usage; overBudget: boolean } {
  if (!behaviour.usage) return { overBudget: false };
  const { tokens, costUsd } = behaviour.usage;
  const roomTokens = budget?.maxTokens === undefined ? Infinity : budget.maxTokens - budget.spentTokens;
  const roomUsd = budget?.maxUsd === undefined ? Infinity : budget.maxUsd - budget.spentUsd;
  const overBudget = tokens > roomTokens || costUsd > roomUsd;
  const share = overBudget ? Math.min(1, roomTokens / Math.max(tokens, 1), roomUsd / Math.max(costUsd, 1e-9)) : 1;
  const spentTokens = Math.max(0, Math.round(tokens * share));
  return {
    overBudget,
    usage: { model: 'scripted', inputTokens: spentTokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: Math.max(0, costUsd * share), priced: true },
  };
}

/** The simulated runtime: agents, plans and syntheses scripted by an optional YAML scenario, labelled as simulated. */
export function createScriptedRuntime(): AgentRuntime {
  return {
    name: 'scripted',
    runAgent: runScriptedAgent,
    plan: async (input) => {
      const scenario = await scenarioAt(input.scenario);
      const pattern = patternFor(input.objective.description, scenario);
      return { tasks: planFor(input.objective.description, scenario), ...(pattern ? { pattern } : {}) };
    },
    synthesize: async (input) => synthesizeOutputs(input),
  };
}

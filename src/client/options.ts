import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseScenario } from '../agents/scripted/scenario';
import { resolveGitTargets } from '../git/targets';
import { ConsensusSpec } from '../shared/consensus-spec';
import { Budget, InternalRole, OrchestrationConfig, Role, RunMode, RuntimeName } from '../shared/schemas';
import type { Target } from '../shared/targets';
import { parseOrThrow } from '../shared/zod-errors';
import { BatonError } from './baton-client';
import { loadTargetsConfig, type TargetsConfig } from './targets-file';

/* The CLI's option helpers: parsers that name the option they reject, the shared option sets, and the config they add up to. */

/** A commander parser for a numeric option that `ok` accepts, naming the option and `what` it must be on failure. */
const numberOption = (name: string, ok: (n: number) => boolean, what: string) => (value: string): number => {
  const n = Number(value);
  if (!ok(n)) throw new InvalidArgumentError(`${name} must be ${what}, got "${value}"`);
  return n;
};

/** Parse a positive integer option, naming the option on failure. */
export const positiveInt = (name: string) => numberOption(name, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
const nonNegativeInt = (name: string) => numberOption(name, (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
const positiveNumber = (name: string) => numberOption(name, (n) => Number.isFinite(n) && n > 0, 'a positive number');

/** Orchestration settings from command-line options. */
function configFromOptions(opts: Record<string, unknown>): Partial<OrchestrationConfig> {
  const budget = budgetFromOptions(opts);
  const roles: Record<string, Record<string, unknown>> = Object.fromEntries((opts.model as [string, { model: string }][] | undefined) ?? []);
  for (const [role, agents] of (opts.roleConsensus as [string, number][] | undefined) ?? []) roles[role] = { ...roles[role], consensus: { agents } };
  const raw = {
    ...(budget ? { budget } : {}),
    ...(Object.keys(roles).length ? { roles } : {}),
    ...(opts.maxAgents !== undefined ? { maxAgents: opts.maxAgents } : {}),
    ...(opts.mode !== undefined ? { mode: opts.mode } : {}),
    ...(opts.runtime !== undefined ? { runtime: opts.runtime } : {}),
    ...(opts.scenario !== undefined ? { scenario: path.resolve(String(opts.scenario)) } : {}),
    ...(opts.maxRework !== undefined ? { maxRework: opts.maxRework } : {}),
    ...(opts.confirmAbove !== undefined ? { confirmAbove: opts.confirmAbove } : {}),
    ...(opts.gardenEvery !== undefined ? { gardenEverySeconds: opts.gardenEvery } : {}),
    ...(opts.recovery !== undefined
      ? { recovery: { policy: opts.recovery, ...(opts.recoveryTimeout !== undefined ? { timeoutSeconds: opts.recoveryTimeout } : {}) } }
      : {}),
  };
  if (opts.recoveryTimeout !== undefined && opts.recovery !== 'escalate') throw new BatonError('--recovery-timeout: only applies with --recovery escalate');
  if (raw.scenario && !fs.existsSync(raw.scenario)) throw new BatonError(`--scenario: no such file ${raw.scenario}`);
  if (raw.scenario) checkScenario(raw.scenario);
  const parsed = parseOrThrow(OrchestrationConfig.partial(), raw, 'options');
  // zod fills defaults even into a partial schema: keep only what the options set, so they never override a caller's config.
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => key in raw)) as Partial<OrchestrationConfig>;
}

/** `--max-tokens` / `--max-usd` as a budget, or undefined when neither is given. */
export function budgetFromOptions(opts: Record<string, unknown>): Budget | undefined {
  if (opts.maxTokens === undefined && opts.maxUsd === undefined) return undefined;
  return parseOrThrow(Budget, { maxTokens: opts.maxTokens, maxUsd: opts.maxUsd }, 'budget');
}

/** `planner=claude-opus-4-5` → [role, { model }]; a bad spec is a usage error. */
function roleModel(spec: string): [string, { model: string }] {
  const [role, model] = spec.split('=');
  if (!role || !model || !(Role.safeParse(role).success || InternalRole.safeParse(role).success)) {
    throw new InvalidArgumentError(`expected ROLE=MODEL with ROLE one of ${[...Role.options, ...InternalRole.options].join(', ')}, got "${spec}"`);
  }
  return [role, { model }];
}

/** `--max-tokens` and `--max-usd`. */
export function addBudgetOptions(cmd: Command): Command {
  return cmd
    .option('--max-tokens <n>', 'token budget', positiveInt('--max-tokens'))
    .option('--max-usd <usd>', 'USD budget', positiveNumber('--max-usd'));
}

/** `--consensus N` with `--quorum`, `--below-quorum` and `--consensus-models`: seed 002's pattern 4 for an objective's tasks. */
export function addConsensusOptions(cmd: Command): Command {
  return cmd
    .option('--consensus <n>', 'run each task (researcher, analyst, reviewer, advisor) by N agents (2-5), then compare and decide', positiveInt('--consensus'))
    .option('--quorum <n>', 'with --consensus: agents that must support the answer (default a strict majority)', positiveInt('--quorum'))
    .addOption(new Option('--below-quorum <what>', 'with --consensus: an advisor breaks the tie, or a person decides').choices(['tie-break', 'escalate']))
    .option('--consensus-models <list>', 'with --consensus: one model per agent, comma-separated');
}

/** The consensus the options ask for, checked now (an error names the option), or undefined. */
export function consensusFromOptions(opts: Record<string, unknown>): ConsensusSpec | undefined {
  if (opts.consensus === undefined) {
    const stray = ['quorum', 'belowQuorum', 'consensusModels'].find((k) => opts[k] !== undefined);
    if (stray) throw new BatonError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: only applies with --consensus N`);
    return undefined;
  }
  const models = typeof opts.consensusModels === 'string' ? opts.consensusModels.split(',').map((m) => m.trim()) : undefined;
  const raw = { agents: opts.consensus, ...(opts.quorum !== undefined ? { quorum: opts.quorum } : {}), ...(opts.belowQuorum !== undefined ? { belowQuorum: opts.belowQuorum } : {}), ...(models ? { models } : {}) };
  const parsed = ConsensusSpec.safeParse(raw);
  if (!parsed.success) throw new BatonError(`--consensus: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** A broken scenario is reported now, not later on an objective. */
function checkScenario(file: string): void {
  try {
    parseScenario(fs.readFileSync(file, 'utf8'), file);
  } catch (err) {
    throw new BatonError(`--scenario: ${(err as Error).message}`);
  }
}

/** Options shared by `new`, `resume --from` and `demo`. */
export function addConfigOptions(cmd: Command): Command {
  return addBudgetOptions(cmd)
    .option('--model <role=model>', 'model for a role (repeatable), e.g. planner=claude-opus-4-5', (v: string, acc: [string, { model: string }][] = []) => [...acc, roleModel(v)])
    .option('--max-agents <n>', 'agents running at once', positiveInt('--max-agents'))
    .addOption(new Option('--mode <mode>', 'how ready tasks run').choices(RunMode.options))
    .addOption(new Option('--runtime <name>', 'agent runtime').choices(RuntimeName.options))
    .option('--scenario <file>', 'YAML scenario for the scripted runtime')
    .option('--targets <file>', 'targets.yaml: the repositories agents work in, with roadmaps and quality gates')
    .option('--max-rework <n>', 'times verification may send work back before the recovery policy decides (default 2)', nonNegativeInt('--max-rework'))
    .addOption(new Option('--recovery <policy>', 'what happens to a task whose agent keeps failing (default skip)').choices(['retry', 'skip', 'escalate']))
    .option('--recovery-timeout <seconds>', 'with --recovery escalate: skip when nobody answers in time', positiveInt('--recovery-timeout'))
    .option('--confirm-above <n>', 'a roadmap goal spawning more agents than this waits for confirmation (default 5)', positiveInt('--confirm-above'))
    .option('--garden-every <seconds>', 'how often roadmaps are gardened while idle (default 3600)', positiveInt('--garden-every'))
    .option('--role-consensus <role=n>', "every task of a role (researcher, analyst, reviewer, advisor) runs by n agents' consensus (repeatable)", (v: string, acc: [string, number][] = []) => [...acc, roleConsensus(v)]);
}

/** `reviewer=3` → [role, agents]; a bad spec is a usage error (a role that writes files is refused with the config). */
function roleConsensus(spec: string): [string, number] {
  const [role, n] = spec.split('=');
  if (!role || !n || !Role.safeParse(role).success || !/^\d+$/.test(n)) throw new InvalidArgumentError(`expected ROLE=N with ROLE one of ${Role.options.join(', ')}, got "${spec}"`);
  return [role, Number(n)];
}

/** The targets of a `--targets FILE` option, read and checked now; a problem is an error naming the option. */
export async function targetsFromOption(file: unknown): Promise<Target[]> {
  return (await targetsConfigFromOption(file)).targets;
}

/** `targetsFromOption` with the file-wide settings (seed 003's `task_intake:`). */
async function targetsConfigFromOption(file: unknown): Promise<TargetsConfig> {
  try {
    return await loadTargetsConfig(path.resolve(String(file)));
  } catch (err) {
    throw new BatonError(`--targets: ${(err as Error).message}`);
  }
}

/** `configFromOptions` plus the targets of `--targets` (read and checked now, so mistakes are named before anything starts). */
export async function fullConfigFromOptions(opts: Record<string, unknown>): Promise<Partial<OrchestrationConfig>> {
  const config = configFromOptions(opts);
  if (opts.targets === undefined) return config;
  const { targets, taskIntake } = await targetsConfigFromOption(opts.targets);
  const intake = taskIntake ? { taskIntake: { ...(taskIntake.enabled === undefined ? {} : { enabled: taskIntake.enabled }), natsSubjects: taskIntake.nats_subjects ?? [] } } : {};
  // Agents' work lands in these repositories: each must be a clean git repository now, before anything starts.
  try {
    return { ...config, targets: await resolveGitTargets(targets), ...intake };
  } catch (err) {
    throw new BatonError(`--targets: ${String(opts.targets)}: ${(err as Error).message}`);
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseScenario } from '../../agents/scripted/scenario';
import { workflowIdFor } from '../../shared/messages';
import { Budget, InternalRole, OrchestrationConfig, Role, RunMode, RuntimeName } from '../../shared/schemas';
import { parseOrThrow } from '../../shared/zod-errors';
import { BatonError } from '../baton-client';
import { buildReport, renderReport } from '../report';
import { loadTargetsConfig, type TargetsConfig } from '../targets-file';
import { resolveGitTargets } from '../../git/targets';
import type { Target } from '../../shared/targets';
import type { CliSession } from '../session';
import { renderStatus } from '../status-text';
import { importContext } from './import';

/** Runs a command body with a session; the CLI wires this to commander. */
export type Run = (cmd: Command, body: (session: CliSession, opts: Record<string, unknown>) => Promise<void>) => Promise<void>;

/** Writes a line of text, or a value as indented JSON, to stdout. */
export const print = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);

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
  const roles = Object.fromEntries((opts.model as [string, { model: string }][] | undefined) ?? []);
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
    .option('--garden-every <seconds>', 'how often roadmaps are gardened while idle (default 3600)', positiveInt('--garden-every'));
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

/** `new`, `resume`, `status`, `objective`, `complete`, `insight`, `stop`, `report`. */
export function registerOrchestrationCommands(program: Command, run: Run): void {
  addConfigOptions(program.command('new').description('start a new orchestration for the project').argument('[objectives...]', 'initial objectives')).action(
    (objectives: string[], _o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        const project = session.project();
        const baton = await session.baton();
        const started = await baton.start(project, { config: await fullConfigFromOptions(opts), objectives });
        session.rememberProject(project);
        print(opts.json ? started : `Started ${started.workflowId}\n${session.uiLink(started.workflowId)}`);
      }),
  );

  program
    .command('resume')
    .description('resume the orchestration (a new session), or import a context file into a new one')
    .option('--from <file>', "context JSON to import: seed 002's shape, the Atlas tool's context.json or a Baton export (default: .baton/<project>/context.json when none is running)")
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        const project = session.project();
        const baton = await session.baton();
        if (!opts.from && (await baton.isRunning(project))) {
          const r = await baton.resume(project);
          print(opts.json ? r : `Resumed ${workflowIdFor(project)}: session ${r.session}`);
          return;
        }
        const file = path.resolve(String(opts.from ?? path.join(session.dataDir, project, 'context.json')));
        const state = importContext(file, project);
        const started = await baton.start(project, { state });
        session.rememberProject(project);
        print(opts.json ? { ...started, importedFrom: file } : `Imported ${file} into ${started.workflowId}\n${session.uiLink(started.workflowId)}`);
      }),
    );

  program.command('status').description('phase, objectives, tasks, agents, decisions, metrics').action((_o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const status = await (await session.baton()).status(session.project());
      print(opts.json ? status : renderStatus(status));
    }),
  );

  addBudgetOptions(program.command('objective').description('add an objective (optionally with its own budget)').argument('<text>')).action((text: string, _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const objective = await (await session.baton()).addObjective(session.project(), text, budgetFromOptions(opts));
      print(opts.json ? objective : `Added ${objective.id}: ${objective.description}`);
    }),
  );

  program.command('complete').description('complete a task by hand').argument('<taskId>').argument('<outcome>').action((taskId: string, outcome: string, _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const r = await (await session.baton()).completeTask(session.project(), taskId, outcome);
      print(opts.json ? r : `Completed ${r.taskId}${r.stoppedAgents.length ? ` (stopped ${r.stoppedAgents.join(', ')})` : ''}`);
    }),
  );

  program
    .command('insight')
    .description("record an insight (or, with --agent, add to a named agent's memory)")
    .argument('<text>')
    .option('--source <who>', 'who learned it', 'person')
    .option('--agent <name>', "a named agent whose memory gets it, e.g. Aria")
    .addOption(new Option('--kind <kind>', 'memory kind with --agent').choices(['insight', 'note', 'preference', 'reflection']))
    .action((text: string, _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const r = await (await session.baton()).recordInsight(session.project(), text, String(opts.source), {
        agent: opts.agent as string | undefined,
        kind: opts.kind as 'insight' | undefined,
      });
      print(opts.json ? r : `Recorded insight (${r.insights} in total)`);
    }),
  );

  program
    .command('stop')
    .description('stop all agents now, let them finish (--graceful), or stop one (--agent)')
    .option('--graceful', 'let running agents finish; start no new ones')
    .option('--agent <id>', 'stop one agent, e.g. AGENT_0003')
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        const input = { ...(opts.graceful ? { graceful: true } : {}), ...(opts.agent ? { agentId: String(opts.agent) } : {}) };
        const r = await (await session.baton()).stop(session.project(), input);
        const what = opts.agent ? `Stopped ${opts.agent}` : r.graceful ? 'Stopping gracefully: running agents will finish' : `Stopped ${r.stoppedAgents.length} running agent(s)`;
        print(opts.json ? r : `${what}. Resume with \`baton resume\`.`);
      }),
    );

  addBudgetOptions(
    program
      .command('decide')
      .description('answer a pending decision; budget decisions: `raise --max-usd N` or `stop`')
      .argument('<decisionId>')
      .argument('<choice>')
      .option('--rationale <text>', 'why'),
  ).action((decisionId: string, choice: string, _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const budget = budgetFromOptions(opts);
      const input = { decisionId, choice, ...(opts.rationale ? { rationale: String(opts.rationale) } : {}), ...(budget ? { budget } : {}) };
      const d = await (await session.baton()).decide(session.project(), input);
      print(opts.json ? d : `${d.id}: ${d.choice}`);
    }),
  );

  program.command('report').description('orchestration report (markdown, or --json)').action((_o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const baton = await session.baton();
      const project = session.project();
      const [status, context] = await Promise.all([baton.status(project), baton.context(project)]);
      const report = buildReport(status, context, new Date().toISOString());
      print(opts.json ? report : renderReport(report));
    }),
  );
}

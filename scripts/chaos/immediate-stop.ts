import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { workflowIdFor } from '../../src/shared/messages';
import { type DrillFigures, emptyFigures } from './figures';
import { budget, connectBaton, type Log, progressOfEach, projectName, removeDir, type ServerTarget, tempDir, waitFor } from './harness';
import { Fleet, killMarked, onInterrupt, processesWith, sleep } from './processes';
import { terminateAll } from './verify';

/** Size of the immediate-stop drill. */
export interface ImmediateStopSize {
  runs: number;
  /** Agents running at once when `stop` is sent. */
  agents: number;
  /** The promise: every agent activity cancelled and every agent process gone within this. */
  limitMs: number;
  /** The whole drill ends within this, passed or not. */
  budgetMs: number;
}

/** `npm run chaos`: three stops of sixteen agents each. */
export const IMMEDIATE_STOP_FULL: ImmediateStopSize = { runs: 3, agents: 16, limitMs: 5000, budgetMs: 4 * 60_000 };

/** `npm test`: one stop of ten agents. */
export const IMMEDIATE_STOP_SHORT: ImmediateStopSize = { runs: 1, agents: 10, limitMs: 5000, budgetMs: 80_000 };

const SLEEPY_AGENT = path.resolve(__dirname, 'sleepy-agent.js');

/** How long each part of one stop took, in ms from sending it. */
interface StopTimings {
  /** The `stop` update returned. */
  update: number;
  /** `status` shows no running agents and every task stopped. */
  state: number;
  /** The server has no pending activity left: every cancellation was acknowledged by the worker. */
  activities: number;
  /** No agent process is left. */
  processes: number;
}

/** Many agents on the `command` runtime sleep; `stop` (immediate) must cancel every activity and kill every process within the limit. */
export async function immediateStopDrill(target: ServerTarget, size: ImmediateStopSize, log: Log = () => undefined): Promise<DrillFigures> {
  const started = Date.now();
  const time = budget(size.budgetMs);
  const figures: DrillFigures = { ...emptyFigures('immediate stop'), maxCancelLatencyMs: 0 };
  const worst: StopTimings = { update: 0, state: 0, activities: 0, processes: 0 };
  const marker = `baton-chaos-sleepy-${process.pid}-${Date.now().toString(36)}`;
  const forgetMarker = onInterrupt(() => killMarked(marker));
  const dir = tempDir('stop');
  const fleet = new Fleet();
  let leftover = 0;
  const { baton, close } = await connectBaton(target);
  const projects: string[] = [];
  try {
    const scenario = path.join(dir, 'scenario.yaml');
    fs.writeFileSync(scenario, manyAgentsScenario(size.agents));
    const commandAgent = { argv: [process.execPath, SLEEPY_AGENT, `--marker=${marker}`, '--sleep-ms=120000', '{{task}}'], timeoutMs: 150_000 };
    const worker = fleet.startWorker({
      ...target,
      dataDir: path.join(dir, 'data'),
      env: { BATON_COMMAND_AGENT: JSON.stringify(commandAgent) },
      args: ['--max-concurrent-agents', String(size.agents)],
      readyTimeoutMs: time.cap(120_000),
    });
    await worker.ready;

    for (let run = 1; run <= size.runs && time.left() > 20_000; run++) {
      figures.runs++;
      const project = projectName('stop', run);
      projects.push(project);
      await baton.start(project, {
        config: { scenario, maxAgents: size.agents, roles: { developer: { runtime: 'command' } } },
        objectives: ['Many agents at once'],
      });
      figures.orchestrations++;
      const running = await waitFor(
        () => baton.status(project),
        (s) => s.runningAgents.length === size.agents && processesWith(marker).length === size.agents,
        time.cap(90_000),
        `${size.agents} agents and their processes`,
      );
      figures.tasks += running.tasks.length;
      log(`run ${run}: ${running.runningAgents.length} agents running, ${processesWith(marker).length} agent processes; stop`);

      const t = await timeStop(project);
      for (const k of Object.keys(worst) as (keyof StopTimings)[]) worst[k] = Math.max(worst[k], t[k]);
      const latency = Math.max(t.state, t.activities, t.processes);
      figures.maxCancelLatencyMs = Math.max(figures.maxCancelLatencyMs ?? 0, latency);
      log(`run ${run}: update ${t.update} ms, state ${t.state} ms, activities ${t.activities} ms, processes ${t.processes} ms`);
      if (latency > size.limitMs) figures.problems.push(`run ${run}: cancelling took ${latency} ms (limit ${size.limitMs}): ${JSON.stringify(t)}`);

      const check = await checkStopped(project);
      figures.lost += check.notStopped;
      figures.duplicated += check.extraAgents;
      figures.problems.push(...check.problems.map((p) => `run ${run}: ${p}`));
      const left = processesWith(marker).length;
      if (left) figures.problems.push(`run ${run}: ${left} agent processes still running after the stop`);
      leftover += left;
      killMarked(marker);
    }
  } catch (err) {
    figures.problems.push(`${(err as Error).message}\n${await progressOfEach(baton, projects)}`);
  } finally {
    await terminateAll(baton, projects);
    await fleet.stopAll();
    // The worker kills its agents' process groups; anything it missed is a finding, and is cleaned up here.
    await sleep(200);
    const stragglers = killMarked(marker);
    if (stragglers) figures.problems.push(`${stragglers} agent processes outlived the drill and were killed`);
    leftover += stragglers;
    forgetMarker();
    await close();
    removeDir(dir);
  }
  figures.details = {
    'stop update': `${worst.update} ms`,
    'status stopped': `${worst.state} ms`,
    'activities cancelled': `${worst.activities} ms`,
    'agent processes gone': `${worst.processes} ms`,
    'agent processes left': leftover,
  };
  if (figures.runs < size.runs) figures.problems.push(`only ${figures.runs} of ${size.runs} stops ran within the time budget`);
  figures.wallMs = Date.now() - started;
  return figures;

  async function timeStop(project: string): Promise<StopTimings> {
    const handle = baton.client.workflow.getHandle(workflowIdFor(project));
    const t0 = Date.now();
    const elapsed = () => Date.now() - t0;
    const within = time.cap(30_000);
    const [update, state, activities, processes] = await Promise.all([
      baton.stop(project, {}).then(elapsed),
      waitFor(
        () => baton.status(project),
        (s) => s.runningAgents.length === 0 && s.tasks.every((x) => x.status === 'stopped'),
        within,
        'status to show every agent stopped',
        50,
      ).then(elapsed),
      waitFor(() => handle.describe(), (d) => (d.raw.pendingActivities ?? []).length === 0, within, 'no pending activities', 50).then(elapsed),
      waitFor(async () => processesWith(marker).length, (n) => n === 0, within, 'agent processes to exit', 50).then(elapsed),
    ]);
    return { update, state, activities, processes };
  }

  async function checkStopped(project: string): Promise<{ notStopped: number; extraAgents: number; problems: string[] }> {
    const problems: string[] = [];
    const paused = await waitFor(() => baton.status(project), (s) => s.phase === 'paused', time.cap(30_000), 'the orchestration to pause');
    const state = (await baton.context(project)).baton;
    const notStopped = state.tasks.filter((x) => x.status !== 'stopped');
    for (const x of notStopped.slice(0, 5)) problems.push(`${x.id} is ${x.status}, not stopped`);
    const agentsNotStopped = state.agents.filter((a) => a.status !== 'stopped');
    for (const a of agentsNotStopped.slice(0, 5)) problems.push(`${a.id} (${a.name}) is ${a.status}, not stopped`);
    const extraAgents = Math.max(0, state.agents.length - size.agents);
    if (extraAgents) problems.push(`${state.agents.length} agents were spawned for ${size.agents} tasks`);
    const history = await baton.client.workflow.getHandle(workflowIdFor(project)).fetchHistory();
    const cancelled = (history.events ?? []).filter((e) => e.activityTaskCanceledEventAttributes).length;
    if (cancelled !== size.agents) problems.push(`history shows ${cancelled} agent activities cancelled, not ${size.agents}`);
    if (paused.runningAgents.length) problems.push(`${paused.runningAgents.length} agents still running when paused`);
    return { notStopped: notStopped.length, extraAgents, problems };
  }
}

/** One objective planned into `n` independent developer tasks, which the drill runs on the `command` runtime. */
function manyAgentsScenario(n: number): string {
  const tasks = Array.from({ length: n }, (_, i) => ({ key: `sleep-${i + 1}`, role: 'developer', mission: `Sleep until stopped (${i + 1})`, dependsOn: [] }));
  return stringify({ name: 'chaos-stop', plans: [{ match: 'many agents', tasks }] });
}

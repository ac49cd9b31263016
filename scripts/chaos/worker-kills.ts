import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DrillFigures } from './figures';
import { budget, chaosSeed, connectBaton, type Log, progress, projectName, removeDir, rng, type ServerTarget, settled, tempDir, waitFor } from './harness';
import { Fleet, sleep, type WorkerProcess } from './processes';
import { layeredScenario, objectiveText, tasksPerOrchestration, type WorkShape } from './scenario';
import { checkExactlyOnce, terminateAll } from './verify';

/** Size of the worker-kill drill. */
export interface WorkerKillSize {
  runs: number;
  /** Runs are added (up to `maxRuns`) until this many kills happened. */
  minKills: number;
  maxRuns: number;
  killsPerRun: number;
  workers: number;
  orchestrationsPerRun: number;
  shape: WorkShape;
  maxAgents: number;
  /** Pause before each kill, picked at random in this range. */
  killGapMs: [number, number];
  runTimeoutMs: number;
  /** The whole drill ends within this, passed or not. */
  budgetMs: number;
}

/** `npm run chaos`: ≥ 20 kills over several runs of two 40-task orchestrations. */
export const WORKER_KILLS_FULL: WorkerKillSize = {
  runs: 3,
  minKills: 21,
  maxRuns: 5,
  killsPerRun: 7,
  workers: 3,
  orchestrationsPerRun: 2,
  shape: { objectives: 2, layers: 5, width: 4, delayMs: [400, 1500] },
  maxAgents: 5,
  killGapMs: [2000, 6000],
  runTimeoutMs: 4 * 60_000,
  budgetMs: 9 * 60_000,
};

/** `npm test`: one run, two kills. */
export const WORKER_KILLS_SHORT: WorkerKillSize = {
  runs: 1,
  minKills: 2,
  maxRuns: 2,
  killsPerRun: 2,
  workers: 3,
  orchestrationsPerRun: 1,
  shape: { objectives: 1, layers: 4, width: 4, delayMs: [400, 1200] },
  maxAgents: 6,
  killGapMs: [1500, 3000],
  runTimeoutMs: 80_000,
  budgetMs: 105_000,
};

/** Three workers on the same queues and data dir; kill -9 one at random points and start a replacement; every task completes exactly once. */
export async function workerKillDrill(target: ServerTarget, size: WorkerKillSize, log: Log = () => undefined): Promise<DrillFigures> {
  const started = Date.now();
  const time = budget(size.budgetMs);
  const seed = chaosSeed();
  const random = rng(seed);
  const figures: DrillFigures = {
    drill: 'worker kill -9',
    runs: 0,
    kills: 0,
    restarts: 0,
    orchestrations: 0,
    tasks: 0,
    lost: 0,
    duplicated: 0,
    wallMs: 0,
    details: { seed, 'activity retries': 0 },
    problems: [],
  };
  const { baton, close } = await connectBaton(target);
  try {
    while ((figures.runs < size.runs || (figures.kills < size.minKills && figures.runs < size.maxRuns)) && time.left() > 30_000) {
      figures.runs++;
      await oneRun(figures.runs);
    }
  } finally {
    await close();
  }
  if (figures.kills < size.minKills) figures.problems.push(`only ${figures.kills} kills happened, not ${size.minKills}: the runs settled first or the time budget ran out`);
  figures.wallMs = Date.now() - started;
  return figures;

  async function oneRun(run: number): Promise<void> {
    const dataDir = tempDir('workers');
    const fleet = new Fleet();
    const projects: string[] = [];
    const killed = new Set<number>();
    const runStarted = Date.now();
    const since = () => `${((Date.now() - runStarted) / 1000).toFixed(1)}s`;
    try {
      const scenario = path.join(dataDir, 'scenario.yaml');
      fs.writeFileSync(scenario, layeredScenario(size.shape, seed + run));
      const start = () => fleet.startWorker({ ...target, dataDir, readyTimeoutMs: time.cap(120_000) });
      const workers: WorkerProcess[] = Array.from({ length: size.workers }, start);
      await Promise.all(workers.map((w) => w.ready));
      log(`run ${run}: ${size.workers} workers ready after ${since()}`);

      for (let i = 0; i < size.orchestrationsPerRun; i++) {
        const project = projectName('workers', run * 100 + i);
        const objectives = Array.from({ length: size.shape.objectives }, (_, o) => objectiveText(o));
        await baton.start(project, { config: { scenario, maxAgents: size.maxAgents }, objectives });
        projects.push(project);
      }
      figures.orchestrations += projects.length;
      const allSettled = async () => (await Promise.all(projects.map((p) => baton.status(p)))).every(settled);

      for (let kills = 0; kills < size.killsPerRun && time.left() > 20_000; ) {
        await sleep(random.between(size.killGapMs[0], size.killGapMs[1]));
        // A worker that died without our kill is a finding, not a drill step.
        for (const [i, w] of workers.entries()) {
          if (!w.isAlive() && !killed.has(w.pid)) {
            figures.problems.push(`run ${run}: ${w.label} exited on its own:\n${w.tail()}`);
            workers[i] = start();
          }
        }
        if (await allSettled().catch(() => false)) break;
        const ready = workers.filter((w) => w.isReady());
        // Keep one worker polling, so every kill lands on a live team rather than an empty one.
        if (ready.length < 2) continue;
        const victim = random.pick(ready);
        killed.add(victim.pid);
        await fleet.kill(victim);
        kills++;
        figures.kills++;
        workers[workers.indexOf(victim)] = start();
        figures.restarts++;
        const where = await Promise.all(projects.map((p) => baton.status(p).then(progress, () => '?')));
        log(`run ${run}: ${since()} kill -9 ${victim.label} (pid ${victim.pid}), kill ${figures.kills}; ${where.join(' | ')}`);
      }

      await waitFor(allSettled, Boolean, time.cap(size.runTimeoutMs), `run ${run}'s orchestrations to settle`, 500);
      log(`run ${run}: settled after ${since()}`);
      for (const project of projects) {
        const check = await checkExactlyOnce(baton, project, tasksPerOrchestration(size.shape));
        figures.tasks += check.tasks;
        figures.lost += check.lost;
        figures.duplicated += check.duplicated;
        figures.details['activity retries'] = Number(figures.details['activity retries']) + check.activityRetries;
        figures.problems.push(...check.problems);
      }
    } catch (err) {
      const where = await Promise.all(projects.map((p) => baton.status(p).then((s) => `${p}: ${progress(s)}`, (e: Error) => `${p}: ${e.message}`)));
      figures.problems.push(`run ${run}: ${(err as Error).message}\n${where.join('\n')}`);
    } finally {
      await fleet.stopAll();
      await terminateAll(baton, projects);
      removeDir(dataDir);
    }
  }
}

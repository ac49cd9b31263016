import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DrillFigures, emptyFigures } from './figures';
import { budget, chaosSeed, connectBaton, type Log, progress, progressOfEach, removeDir, rng, type ServerTarget, settled, tempDir, waitFor } from './harness';
import { anotherRun, checkKills, type KillDrillSize, startOrchestrations, tallyExactlyOnce } from './kill-drill';
import { Fleet, sleep, type WorkerProcess } from './processes';
import { layeredScenario } from './scenario';
import { terminateAll } from './verify';

/** `npm run chaos`: ≥ 20 kills over several runs of two 40-task orchestrations. */
export const WORKER_KILLS_FULL: KillDrillSize = {
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
export const WORKER_KILLS_SHORT: KillDrillSize = {
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
export async function workerKillDrill(target: ServerTarget, size: KillDrillSize, log: Log = () => undefined): Promise<DrillFigures> {
  const started = Date.now();
  const time = budget(size.budgetMs);
  const seed = chaosSeed();
  const random = rng(seed);
  const figures = emptyFigures('worker kill -9', { seed, 'activity retries': 0 });
  const { baton, close } = await connectBaton(target);
  try {
    while (anotherRun(figures, size, time)) {
      figures.runs++;
      await oneRun(figures.runs);
    }
  } finally {
    await close();
  }
  checkKills(figures, size);
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

      await startOrchestrations(baton, figures, size, { prefix: 'workers', run, scenario }, projects);
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
      await tallyExactlyOnce(baton, figures, size, projects);
    } catch (err) {
      figures.problems.push(`run ${run}: ${(err as Error).message}\n${await progressOfEach(baton, projects)}`);
    } finally {
      await fleet.stopAll();
      await terminateAll(baton, projects);
      removeDir(dataDir);
    }
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DevServerHandle, startDevServer } from '../../src/server/dev-server';
import { type DrillFigures, emptyFigures } from './figures';
import { budget, chaosSeed, connectBaton, type Log, progress, progressOfEach, removeDir, rng, settled, tempDir, waitFor } from './harness';
import { anotherRun, checkKills, type KillDrillSize, startOrchestrations, tallyExactlyOnce } from './kill-drill';
import { Fleet, pidAlive, sleep, type WorkerProcess } from './processes';
import { layeredScenario } from './scenario';
import { terminateAll } from './verify';

/** Size of the server-kill drill. */
export interface ServerKillSize extends KillDrillSize {
  /** How long the server stays dead before it is restarted. */
  downMs: [number, number];
}

/** `npm run chaos`: six kills of the server over two runs of two 40-task orchestrations. */
export const SERVER_KILLS_FULL: ServerKillSize = {
  runs: 2,
  minKills: 6,
  maxRuns: 4,
  killsPerRun: 3,
  workers: 2,
  orchestrationsPerRun: 2,
  shape: { objectives: 2, layers: 5, width: 4, delayMs: [1000, 2500] },
  maxAgents: 4,
  killGapMs: [2000, 5000],
  downMs: [500, 3000],
  runTimeoutMs: 4 * 60_000,
  budgetMs: 5 * 60_000,
};

/** `npm test`: one kill during one 16-task orchestration. */
export const SERVER_KILLS_SHORT: ServerKillSize = {
  runs: 1,
  minKills: 1,
  maxRuns: 2,
  killsPerRun: 1,
  workers: 2,
  orchestrationsPerRun: 1,
  shape: { objectives: 1, layers: 4, width: 4, delayMs: [500, 1500] },
  maxAgents: 6,
  killGapMs: [1500, 2500],
  downMs: [500, 1000],
  runTimeoutMs: 75_000,
  budgetMs: 100_000,
};

/** Where the drill's own dev server listens: never 7233/8233. */
export interface ServerKillPlace {
  port: number;
  /** Temporal CLI binary; resolved when absent. */
  cli?: string;
}

/** kill -9 the dev server mid-run and restart it on the same SQLite file and port; workers reconnect and every task completes exactly once. */
export async function serverKillDrill(place: ServerKillPlace, size: ServerKillSize, log: Log = () => undefined): Promise<DrillFigures> {
  if (place.port === 7233 || place.port === 8233) throw new Error('the server-kill drill never uses 7233/8233');
  const started = Date.now();
  const time = budget(size.budgetMs);
  const seed = chaosSeed();
  const random = rng(seed);
  const figures = emptyFigures('dev server kill -9', { seed, 'activity retries': 0, 'slowest restart': '–', 'worker crashes': 0 });
  const dir = tempDir('server');
  const dbFile = path.join(dir, 'temporal.db');
  const serverOptions = { cli: place.cli, port: place.port, dbFile, detached: false, headless: true, logLevel: 'error' as const };
  const fleet = new Fleet();
  let server: DevServerHandle | undefined;
  let slowestRestart = 0;
  try {
    server = await startDevServer({ ...serverOptions, readyTimeoutMs: time.cap(60_000) });
    const target = { address: server.address, namespace: server.namespace };
    log(`dev server (SQLite ${dbFile}) on ${server.address}`);
    const dataDir = path.join(dir, 'data');
    const scenario = path.join(dir, 'scenario.yaml');
    fs.writeFileSync(scenario, layeredScenario(size.shape, seed));
    const start = () => fleet.startWorker({ ...target, dataDir, readyTimeoutMs: time.cap(120_000) });
    const workers: WorkerProcess[] = Array.from({ length: size.workers }, start);
    await Promise.all(workers.map((w) => w.ready));
    const { baton, close } = await connectBaton(target);
    try {
      while (anotherRun(figures, size, time)) {
        figures.runs++;
        await oneRun(figures.runs, baton, workers, start, scenario);
      }
    } finally {
      await close();
    }
  } catch (err) {
    figures.problems.push((err as Error).message);
  } finally {
    await fleet.stopAll();
    await server?.stop().catch(() => undefined);
    removeDir(dir);
  }
  checkKills(figures, size);
  figures.details['slowest restart'] = `${(slowestRestart / 1000).toFixed(1)} s`;
  figures.wallMs = Date.now() - started;
  return figures;

  async function oneRun(
    run: number,
    baton: Awaited<ReturnType<typeof connectBaton>>['baton'],
    workers: WorkerProcess[],
    start: () => WorkerProcess,
    scenario: string,
  ): Promise<void> {
    const projects: string[] = [];
    const runStarted = Date.now();
    const since = () => `${((Date.now() - runStarted) / 1000).toFixed(1)}s`;
    try {
      await startOrchestrations(baton, figures, size, { prefix: 'server', run, scenario }, projects);
      const allSettled = async () => (await Promise.all(projects.map((p) => baton.status(p)))).every(settled);

      for (let kills = 0; kills < size.killsPerRun && time.left() > 20_000; kills++) {
        await sleep(random.between(size.killGapMs[0], size.killGapMs[1]));
        // Only kill once the previous restart has been picked up and work is still in flight.
        const statuses = await waitFor(() => Promise.all(projects.map((p) => baton.status(p))), () => true, time.cap(60_000), 'the server to answer after a restart');
        if (statuses.every(settled)) break;
        const killedAt = Date.now();
        await killServer();
        figures.kills++;
        log(`run ${run}: ${since()} kill -9 dev server, kill ${figures.kills}; ${statuses.map(progress).join(' | ')}`);
        await sleep(random.between(size.downMs[0], size.downMs[1]));
        server = await startDevServer({ ...serverOptions, readyTimeoutMs: time.cap(60_000) });
        figures.restarts++;
        slowestRestart = Math.max(slowestRestart, Date.now() - killedAt);
        log(`run ${run}: dev server back after ${((Date.now() - killedAt) / 1000).toFixed(1)}s (pid ${server.pid})`);
        // The promise under test is that workers reconnect; one that died instead is a finding.
        for (const [i, w] of workers.entries()) {
          if (!w.isAlive()) {
            figures.details['worker crashes'] = Number(figures.details['worker crashes']) + 1;
            figures.problems.push(`run ${run}: ${w.label} exited while the server was down:\n${w.tail()}`);
            workers[i] = start();
          }
        }
      }

      await waitFor(allSettled, Boolean, time.cap(size.runTimeoutMs), `run ${run}'s orchestrations to settle`, 500);
      log(`run ${run}: settled after ${since()}`);
      await tallyExactlyOnce(baton, figures, size, projects);
    } catch (err) {
      figures.problems.push(`run ${run}: ${(err as Error).message}\n${await progressOfEach(baton, projects)}`);
    } finally {
      await terminateAll(baton, projects);
    }
  }

  async function killServer(): Promise<void> {
    if (!server) return;
    const { pid } = server;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (pidAlive(pid) && Date.now() < deadline) await sleep(50);
    // Only drops the handle's exit hook: the process is already gone.
    await server.stop();
    server = undefined;
  }
}

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDevServer } from '../../src/server/dev-server';
import { freePort } from '../../src/server/free-port';
import { BATON_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import type { BenchBundles } from '../env';
import type { IdleWorkerArgs, IdleWorkerResult } from '../idle-worker';

/** Sizes for the idle-scale benchmark. */
export interface IdleSizes {
  orchestrations: number;
  /** How long CPU use is sampled, with and without the idle orchestrations. */
  windowMs: number;
  startConcurrency: number;
  timeoutMs: number;
}

/** Many orchestrations resting on one fresh worker process, against as many bare workflows resting on another. */
export interface IdleResult {
  orchestrations: number;
  baton: IdleWorkerResult;
  floor: IdleWorkerResult;
  workerRssPerOrchestrationKiB: number;
  floorRssPerWorkflowKiB: number;
  windowMs: number;
}

/** Run one idle measurement in a child process (see idle-worker.ts) and return what it printed. */
function inChild(args: IdleWorkerArgs): Promise<IdleWorkerResult> {
  const script = path.resolve(__dirname, '../idle-worker.ts');
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['-r', require.resolve('tsx/cjs'), script, JSON.stringify(args)],
      { timeout: args.timeoutMs + 2 * args.windowMs + 60_000, maxBuffer: 16 * 2 ** 20 },
      (err, stdout, stderr) => {
        const last = stdout.trim().split('\n').pop();
        if (err || !last) reject(new Error(`idle ${args.kind} worker failed: ${err?.message ?? 'no result'}\n${stderr.slice(-2000)}`));
        else resolve(JSON.parse(last) as IdleWorkerResult);
      },
    ),
  );
}

/**
 * Benchmark 5: many orchestrations resting idle on one worker: its RSS and the dev server's CPU. Each side gets a fresh
 * worker process (running createWorkers with the bench's settings) and the two share a dev server of their own, so
 * neither the harness nor the other benchmarks' history is in the figures.
 */
export async function benchIdle(
  opts: { bundles: BenchBundles; dataDir: string; maxConcurrentAgents: number },
  sizes: IdleSizes,
  log: (m: string) => void,
): Promise<IdleResult> {
  let port = await freePort();
  while (port === 7233) port = await freePort();
  const server = await startDevServer({ port, headless: true, searchAttributes: BATON_SEARCH_ATTRIBUTES, logLevel: 'error' });
  const dir = fs.mkdtempSync(path.join(opts.dataDir, 'idle-'));
  const files = (kind: 'baton' | 'floor') => {
    const codePath = path.join(dir, `${kind}-bundle.js`);
    const sourceMapPath = path.join(dir, `${kind}-bundle.js.map`);
    fs.writeFileSync(codePath, opts.bundles[kind].code);
    fs.writeFileSync(sourceMapPath, opts.bundles[kind].sourceMap);
    return { codePath, sourceMapPath };
  };
  const tag = `bench-idle-${process.pid}-${Date.now().toString(36)}`;
  const common = {
    address: server.address,
    namespace: server.namespace,
    serverPid: server.pid,
    dataDir: dir,
    maxConcurrentAgents: opts.maxConcurrentAgents,
    count: sizes.orchestrations,
    concurrency: sizes.startConcurrency,
    windowMs: sizes.windowMs,
    timeoutMs: sizes.timeoutMs,
  };
  try {
    const baton = await inChild({ ...common, kind: 'baton', ...files('baton'), prefix: `${tag}-b` });
    log(`idle: ${sizes.orchestrations} orchestrations resting after ${baton.settleSeconds.toFixed(0)} s; worker RSS ${baton.rssMiB.toFixed(0)} MiB`);
    const floor = await inChild({ ...common, kind: 'floor', ...files('floor'), prefix: `${tag}-f`, windowMs: Math.min(sizes.windowMs, 1000) });
    log(`idle: ${sizes.orchestrations} bare workflows resting after ${floor.settleSeconds.toFixed(0)} s; worker RSS ${floor.rssMiB.toFixed(0)} MiB`);
    const per = (r: IdleWorkerResult) => ((r.rssMiB - r.rssBaselineMiB) * 1024) / sizes.orchestrations;
    return {
      orchestrations: sizes.orchestrations,
      baton,
      floor,
      workerRssPerOrchestrationKiB: per(baton),
      floorRssPerWorkflowKiB: per(floor),
      windowMs: sizes.windowMs,
    };
  } finally {
    await server.stop();
  }
}

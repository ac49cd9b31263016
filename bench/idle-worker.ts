// Child process of the idle benchmark: one fresh worker process, so its RSS holds nothing but the workflows it caches.
import * as fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { BatonClient } from '../src/client/baton-client';
import { createWorkers, runWorkers } from '../src/workers/worker';
import { FLOOR_WORKFLOW_QUEUE } from './floor-workflow';
import { collectGarbage, cpuPercentDuring, mapLimit, rssMiB, sleep } from './stats';

/** What the parent passes (as JSON in argv[2]). */
export interface IdleWorkerArgs {
  kind: 'baton' | 'floor';
  address: string;
  namespace: string;
  serverPid: number;
  /** The workflow bundle (Baton's or the floor's), written to files by the parent. */
  codePath: string;
  sourceMapPath: string;
  dataDir: string;
  maxConcurrentAgents: number;
  count: number;
  concurrency: number;
  windowMs: number;
  timeoutMs: number;
  prefix: string;
}

/** What the child prints as its last line of stdout. */
export interface IdleWorkerResult {
  rssBaselineMiB: number;
  rssMiB: number;
  settleSeconds: number;
  cpuBaselinePct: number;
  cpuPct: number;
  serverRssBaselineMiB: number;
  serverRssMiB: number;
  serverCpuBaselinePct: number;
  serverCpuPct: number;
}

const rss = () => {
  collectGarbage();
  return process.memoryUsage().rss / 2 ** 20;
};

/** Worker (this process) and server CPU over one window of doing nothing. */
async function quietWindow(args: IdleWorkerArgs): Promise<{ server: number; worker: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const server = await cpuPercentDuring(args.serverPid, () => sleep(args.windowMs));
  const c = process.cpuUsage(c0);
  return { server, worker: (100 * (c.user + c.system)) / 1000 / (performance.now() - t0) };
}

async function main(args: IdleWorkerArgs): Promise<IdleWorkerResult> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const native = await NativeConnection.connect({ address: args.address });
  const connection = await Connection.connect({ address: args.address });
  const client = new Client({ connection, namespace: args.namespace });
  const workflowBundle = { code: fs.readFileSync(args.codePath, 'utf8'), sourceMap: fs.readFileSync(args.sourceMapPath, 'utf8') };
  const workers =
    args.kind === 'baton'
      ? await createWorkers({
          connection: native,
          namespace: args.namespace,
          config: { dataDir: args.dataDir, queues: 'all', maxConcurrentAgents: args.maxConcurrentAgents },
          workflowBundle,
        })
      : [await Worker.create({ connection: native, namespace: args.namespace, taskQueue: FLOOR_WORKFLOW_QUEUE, workflowBundle })];
  const abort = new AbortController();
  const running = runWorkers(workers, abort.signal);
  const baton = new BatonClient(client, connection, args.namespace);
  const ids: string[] = [];
  try {
    await sleep(2000);
    const rssBaselineMiB = rss();
    const serverRssBaselineMiB = rssMiB(args.serverPid);
    const baseline = await quietWindow(args);
    const t0 = performance.now();
    await mapLimit(Array.from({ length: args.count }, (_, i) => `${args.prefix}${i}`), args.concurrency, async (name) => {
      if (args.kind === 'baton') {
        // No objectives: each runs one empty session (context persisted), then waits without timers.
        ids.push((await baton.start(name, { config: { runtime: 'scripted' } })).workflowId);
      } else {
        await client.workflow.start('floorIdle', { taskQueue: FLOOR_WORKFLOW_QUEUE, workflowId: name });
        ids.push(name);
      }
    });
    const query = `WorkflowId STARTS_WITH "${args.kind === 'baton' ? 'baton/' : ''}${args.prefix}" AND ExecutionStatus = "Running" AND BatonPhase = "idle"`;
    for (let idle = 0; idle < args.count; ) {
      if (performance.now() - t0 > args.timeoutMs) throw new Error(`only ${idle} of ${args.count} ${args.kind} workflows idle after ${args.timeoutMs / 1000} s`);
      await sleep(1000);
      idle = (await client.workflow.count(query)).count;
    }
    const settleSeconds = (performance.now() - t0) / 1000;
    await sleep(2000);
    const loaded = await quietWindow(args);
    return {
      rssBaselineMiB,
      rssMiB: rss(),
      settleSeconds,
      cpuBaselinePct: baseline.worker,
      cpuPct: loaded.worker,
      serverRssBaselineMiB,
      serverRssMiB: rssMiB(args.serverPid),
      serverCpuBaselinePct: baseline.server,
      serverCpuPct: loaded.server,
    };
  } finally {
    await mapLimit(ids, args.concurrency, (id) => client.workflow.getHandle(id).terminate('benchmark finished').catch(() => undefined));
    abort.abort();
    await running.catch(() => undefined);
    await native.close();
    await connection.close();
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as IdleWorkerArgs).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);

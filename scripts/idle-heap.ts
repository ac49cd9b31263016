/**
 * Live heap per idle workflow: N orchestrations (KIND=baton) or bare waiting workflows (KIND=floor) on a dev server
 * of its own, with the worker in debug mode so workflows run in this isolate and a full GC sees them.
 *   node --expose-gc --import tsx scripts/idle-heap.ts            # KIND=baton N=100
 *   KIND=floor node --expose-gc --import tsx scripts/idle-heap.ts
 *   SNAP=/tmp/idle.heapsnapshot …                                 # also write a heap snapshot
 * BATON_NO_PRELOAD=1 measures the workers without the shared schema modules (README, Performance → idle).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { BatonClient } from '../src/client/baton-client';
import { startDevServer } from '../src/server/dev-server';
import { AGENT_TASK_QUEUE, WORKFLOW_TASK_QUEUE } from '../src/shared/messages';
import { bundleWorkflows, runWorkers } from '../src/workers/worker';
import { FLOOR_WORKFLOW_QUEUE } from '../bench/floor-workflow';

const N = Number(process.env.N ?? 100);
const kind = process.env.KIND ?? 'baton';
const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const server = await startDevServer({ port: 17233 + Math.floor(Math.random() * 500), headless: true, logLevel: 'error' });
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heap-'));
  const bundle = kind === 'baton' ? await bundleWorkflows() : await bundleWorkflowCode({ workflowsPath: require.resolve('../bench/floor-workflow') });
  const acts = createActivities({ dataDir });
  const workers = [
    await Worker.create({ connection: native, namespace: server.namespace, taskQueue: kind === 'baton' ? WORKFLOW_TASK_QUEUE : FLOOR_WORKFLOW_QUEUE, workflowBundle: bundle, activities: kind === 'baton' ? acts : {}, debugMode: true, ...(process.env.REUSE === '0' ? { reuseV8Context: false } : {}) }),
    ...(kind === 'baton' ? [await Worker.create({ connection: native, namespace: server.namespace, taskQueue: AGENT_TASK_QUEUE, activities: acts })] : []),
  ];
  const abort = new AbortController();
  const running = runWorkers(workers, abort.signal);
  await sleep(1500);
  const h0 = heap();
  const baton = new BatonClient(client, connection, server.namespace);
  for (let i = 0; i < N; i++) {
    if (kind === 'baton') await baton.start(`p${i}`, { config: { runtime: 'scripted' } });
    else await client.workflow.start('floorIdle', { taskQueue: FLOOR_WORKFLOW_QUEUE, workflowId: `f${i}` });
  }
  await sleep(kind === 'baton' ? 8000 + N * 60 : 4000);
  const h1 = heap();
  console.log(JSON.stringify({ kind, N, heapBeforeKiB: Math.round(h0), heapAfterKiB: Math.round(h1), perWorkflowKiB: Math.round((h1 - h0) / N) }));
  if (process.env.SNAP) { const v8 = await import('node:v8'); console.log(v8.writeHeapSnapshot(process.env.SNAP)); }
  abort.abort();
  await running.catch(() => undefined);
  await server.stop();
  process.exit(0);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

import { DefaultLogger, Runtime } from '@temporalio/worker';
import { isServerReachable } from '../../server/dev-server';
import { freePort } from '../../server/free-port';
import { workerConfigFromEnv } from '../../workers/config';
import { createWorkers, runWorkers } from '../../workers/worker';
import { connectClient, connectWorkerConnection } from '../connection';
import { startMetricsServer, statusCollector } from '../prometheus';
import { BatonError } from '../baton-client';
import type { CliSession, GlobalOptions } from '../session';

const say = (m: string) => process.stderr.write(`${m}\n`);

/** `baton worker`: connect, create the workers from the environment and the options, and run them until a signal. */
export async function runWorker(session: CliSession, opts: GlobalOptions & Record<string, unknown>): Promise<void> {
  // The runtime's own exporter listens on a private loopback port; Baton's /metrics serves both.
  const runtimePort = opts.metricsPort ? await freePort() : undefined;
  Runtime.install({ logger: new DefaultLogger('WARN'), ...(runtimePort ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${runtimePort}` } } } } : {}) });
  const config = workerConfigFromEnv(
    { ...process.env, BATON_DATA_DIR: session.dataDir },
    {
      ...(opts.queues ? { queues: opts.queues as 'all' } : {}),
      ...(opts.maxConcurrentAgents ? { maxConcurrentAgents: opts.maxConcurrentAgents as number } : {}),
    },
  );
  const s = session.settings;
  if (opts.waitForServer) await untilReachable(s.address, (opts.waitForServer as number) * 1000);
  const connection = await connectWorkerConnection(s);
  const workers = await createWorkers({ connection, namespace: s.namespace, config });
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  const reader = runtimePort ? await connectClient(s) : undefined;
  const metrics = reader ? await startMetricsServer({ port: opts.metricsPort as number, baton: statusCollector(reader.client), runtimeUrl: `http://127.0.0.1:${runtimePort}/metrics` }) : undefined;
  say(`Baton worker (pid ${process.pid}) polling ${s.address} namespace ${s.namespace}, queues: ${config.queues}, data: ${config.dataDir}${metrics ? `, metrics at ${metrics.url}` : ''}`);
  await runWorkers(workers, abort.signal);
  await metrics?.close();
  await reader?.close();
  await connection.close();
}

/** Wait until a Temporal server answers at `address` (a worker started beside its server), or fail naming both. */
async function untilReachable(address: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  say(`Waiting up to ${Math.round(withinMs / 1000)} s for the Temporal server at ${address}…`);
  while (!(await isServerReachable(address, 1000))) {
    if (Date.now() > deadline) throw new BatonError(`no Temporal server answered at ${address} within ${Math.round(withinMs / 1000)} s (--wait-for-server)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

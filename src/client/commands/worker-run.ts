import { DefaultLogger, Runtime } from '@temporalio/worker';
import { freePort } from '../../server/free-port';
import { workerConfigFromEnv } from '../../workers/config';
import { createWorkers, runWorkers } from '../../workers/worker';
import { connectClient, connectWorkerConnection } from '../connection';
import { startMetricsServer, statusCollector } from '../prometheus';
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

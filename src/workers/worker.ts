import * as path from 'node:path';
import { bundleWorkflowCode, type NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../activities';
import { dataConverterFromEnv } from '../codec/aes-codec';
import { processTracing, WORKFLOW_TRACING_MODULE } from '../telemetry/otel';
import { AGENT_TASK_QUEUE, WORKFLOW_TASK_QUEUE } from '../shared/messages';
import { bundleKey, cachedBundle, defaultBundleCacheDir } from './bundle-cache';
import type { WorkerConfig } from './config';

/** Options for {@link createWorkers}. */
export interface CreateWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  config: WorkerConfig;
  /** A prebuilt bundle (tests build one per file); otherwise workflows are bundled from source. */
  workflowBundle?: WorkflowBundleWithSourceMap;
}

/** Whether the bundle preloads the shared schema modules (src/workflows/preload.ts); `BATON_NO_PRELOAD=1` turns it off. */
export function preloadWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.BATON_NO_PRELOAD;
}

/**
 * Bundle Baton's workflow code once (the slow part of worker start-up); `tracing` adds the OpenTelemetry workflow
 * interceptor; `preload` loads the schema modules once per worker for every workflow to share.
 */
export function bundleWorkflows(opts: { tracing?: boolean; preload?: boolean } = {}): Promise<WorkflowBundleWithSourceMap> {
  const interceptors = opts.tracing ? { workflowInterceptorModules: [WORKFLOW_TRACING_MODULE] } : {};
  const preloadModules = (opts.preload ?? preloadWanted()) ? [require.resolve('../workflows/preload')] : [];
  return bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger, preloadModules, ...interceptors });
}

/** The sources a bundle is built from: all of src (wider than the import graph) plus the lockfile for dependency versions. */
const SOURCE_DIR = path.resolve(__dirname, '..');
const LOCKFILES = [path.resolve(__dirname, '../../package-lock.json'), path.resolve(__dirname, '../../package.json')];

/** Baton's workflow bundle from the on-disk cache keyed by a hash of its sources, bundling (and caching) on a miss. */
export async function cachedWorkflowBundle(cacheDir = defaultBundleCacheDir(), tracing = false): Promise<WorkflowBundleWithSourceMap> {
  const preload = preloadWanted();
  const key = bundleKey(SOURCE_DIR, LOCKFILES) + (tracing ? '-otel' : '') + (preload ? '' : '-nopreload');
  const { code, sourceMap } = await cachedBundle(cacheDir, key, () => bundleWorkflows({ tracing, preload }));
  return { code, sourceMap };
}

/** The workers one process runs: the workflow queue (plus light activities) and/or the agent queue. */
export async function createWorkers(opts: CreateWorkersOptions): Promise<Worker[]> {
  const activities = createActivities({ dataDir: opts.config.dataDir, ...(opts.config.natsUrl ? { natsUrl: opts.config.natsUrl } : {}) });
  // Verification runs gates in the agents' repositories, and landing commits there, so both run where the agents do.
  const { spawnAgent, verifyWork, landWork, sweepWorktrees, ...light } = activities;
  const workers: Worker[] = [];
  // With BATON_CODEC_KEY set, every payload is encrypted before it reaches the server.
  const base = { connection: opts.connection, namespace: opts.namespace, dataConverter: dataConverterFromEnv() };
  // With OTEL_* set, activities and workflows are traced (a prebuilt bundle must then include the workflow interceptor).
  const tracing = processTracing();
  const traced = tracing ? { interceptors: { activity: tracing.activityInterceptors }, sinks: tracing.sinks } : {};
  if (opts.config.queues !== 'agents') {
    workers.push(
      await Worker.create({
        ...base,
        ...traced,
        taskQueue: WORKFLOW_TASK_QUEUE,
        workflowBundle: opts.workflowBundle ?? (await cachedWorkflowBundle(opts.config.bundleCacheDir, tracing !== undefined)),
        activities: light,
        // Each cached workflow holds its own copy of the bundle's module state; a cap trades memory for replays.
        ...(opts.config.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.config.maxCachedWorkflows } : {}),
        ...(opts.config.workflowThreads !== undefined ? { workflowThreadPoolSize: opts.config.workflowThreads } : {}),
      }),
    );
  }
  if (opts.config.queues !== 'workflows') {
    workers.push(
      await Worker.create({
        ...base,
        ...(tracing ? { interceptors: { activity: tracing.activityInterceptors } } : {}),
        taskQueue: AGENT_TASK_QUEUE,
        activities: { spawnAgent, verifyWork, landWork, sweepWorktrees },
        maxConcurrentActivityTaskExecutions: opts.config.maxConcurrentAgents,
        // Cancellation reaches an agent only with a heartbeat's answer: throttle them to 1 s so a stop lands fast.
        maxHeartbeatThrottleInterval: '1 second',
      }),
    );
  }
  return workers;
}

/** Run workers until `signal` aborts (or one fails), then shut all of them down. */
export async function runWorkers(workers: Worker[], signal?: AbortSignal): Promise<void> {
  const onAbort = () => workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown());
  signal?.addEventListener('abort', onAbort);
  try {
    await Promise.all(
      workers.map((w) =>
        w.run().catch((err) => {
          onAbort();
          throw err;
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Send the spans still buffered; tracing must never make a worker's shutdown fail.
    await processTracing()?.flush().catch(() => undefined);
  }
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};

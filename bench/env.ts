import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { BatonClient } from '../src/client/baton-client';
import { dataConverterFromEnv } from '../src/codec/aes-codec';
import { startDevServer, type DevServerHandle } from '../src/server/dev-server';
import { freePort } from '../src/server/free-port';
import { resolveTemporalCli } from '../src/server/temporal-binary';
import { workflowIdFor } from '../src/shared/messages';
import type { OrchestrationConfig } from '../src/shared/schemas';
import { BATON_PHASE, BATON_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { workerConfigFromEnv } from '../src/workers/config';
import { bundleWorkflows, createWorkers, runWorkers } from '../src/workers/worker';
import * as floorActivities from './floor-activities';
import { FLOOR_ACTIVITY_QUEUE, FLOOR_WORKFLOW_QUEUE, type FloorInput } from './floor-workflow';

import { sleep } from './stats';
import { startTunedServer } from './tuned-server';

/** A dev server that is already running (the test suite's), used instead of starting one. */
export interface ExistingServer {
  address: string;
  namespace: string;
  pid: number;
}

/** Options for {@link openBenchEnv}. */
export interface BenchEnvOptions {
  /** Agent activities the worker runs at once; the floor's activity worker gets the same cap. */
  maxConcurrentAgents: number;
  server?: ExistingServer;
  /** Start the server with this dynamic config (see tuned-server.ts) instead of the embedded defaults. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** Bundles from an earlier env, so a second env starts in a second. */
  bundles?: BenchBundles;
  log: (m: string) => void;
}

/** Baton's and the floor's workflow bundles. */
export interface BenchBundles {
  baton: WorkflowBundleWithSourceMap;
  floor: WorkflowBundleWithSourceMap;
}

/** One dev server, one in-process worker process serving both Baton and the floor, and a client. */
export interface BenchEnv {
  address: string;
  namespace: string;
  serverPid: number;
  client: Client;
  baton: BatonClient;
  dataDir: string;
  bundles: BenchBundles;
  /** Start an orchestration of scripted agents; returns its workflow id. */
  startOrchestration(project: string, config: Partial<OrchestrationConfig>, objectives: string[]): Promise<string>;
  /** Resolve once the orchestration rests idle (read from its BatonPhase search attribute, so no worker is involved). */
  waitIdle(workflowId: string, timeoutMs: number): Promise<void>;
  /** Run one floor workflow to completion; returns its workflow id. */
  runFloor(kind: 'floorFanOut' | 'floorChain', input: FloorInput): Promise<string>;
  terminate(workflowId: string): Promise<void>;
  close(): Promise<void>;
}

let runtimeInstalled = false;

/** Start (or join) a server, bundle Baton's and the floor's workflows, and run both sets of workers in this process. */
export async function openBenchEnv(opts: BenchEnvOptions): Promise<BenchEnv> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  let server: { stop(): Promise<void> } | undefined;
  let info = opts.server;
  if (!info && opts.dynamicConfig) {
    opts.log(`starting a headless in-memory dev server with ${JSON.stringify(opts.dynamicConfig)}`);
    const tuned = await startTunedServer(opts.dynamicConfig);
    server = tuned;
    info = tuned;
  } else if (!info) {
    opts.log('starting a headless in-memory dev server');
    const started: DevServerHandle = await startDevServer({
      cli: await resolveTemporalCli({ onProgress: opts.log }),
      port: await portAwayFromDefaults(),
      headless: true,
      searchAttributes: BATON_SEARCH_ATTRIBUTES,
      logLevel: 'error',
    });
    server = started;
    info = { address: started.address, namespace: started.namespace, pid: started.pid };
  }
  const { address, namespace } = info;
  const bundles = opts.bundles ?? (await bundleBoth(opts.log));
  const connection = await Connection.connect({ address });
  const native = await NativeConnection.connect({ address });
  const dataConverter = dataConverterFromEnv();
  const client = new Client({ connection, namespace, dataConverter });
  const baton = new BatonClient(client, connection, namespace);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-'));

  // BATON_WORKFLOW_THREADS applies as it does to `baton worker`, checked by the same rules.
  const { workflowThreads } = workerConfigFromEnv({ BATON_DATA_DIR: dataDir, BATON_WORKFLOW_THREADS: process.env.BATON_WORKFLOW_THREADS });
  const config = { dataDir, queues: 'all' as const, maxConcurrentAgents: opts.maxConcurrentAgents, ...(workflowThreads ? { workflowThreads } : {}) };
  const batonWorkers = await createWorkers({ connection: native, namespace, config, workflowBundle: bundles.baton });
  // The floor mirrors createWorkers: a workflow worker with default settings and an activity worker with the agent cap.
  const base = { connection: native, namespace, dataConverter };
  const floorWorkers = [
    await Worker.create({ ...base, taskQueue: FLOOR_WORKFLOW_QUEUE, workflowBundle: bundles.floor }),
    await Worker.create({
      ...base,
      taskQueue: FLOOR_ACTIVITY_QUEUE,
      activities: floorActivities,
      maxConcurrentActivityTaskExecutions: opts.maxConcurrentAgents,
    }),
  ];
  const abort = new AbortController();
  const running = runWorkers([...batonWorkers, ...floorWorkers], abort.signal);
  running.catch((err) => opts.log(`worker stopped: ${(err as Error).message}`));
  let floorRuns = 0;

  return {
    address,
    namespace,
    serverPid: info.pid,
    client,
    baton,
    dataDir,
    bundles,
    async startOrchestration(project, cfg, objectives) {
      await baton.start(project, { config: { runtime: 'scripted', ...cfg }, objectives });
      return workflowIdFor(project);
    },
    async waitIdle(workflowId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = await client.workflow.getHandle(workflowId).describe();
        const phase = d.typedSearchAttributes.get(BATON_PHASE);
        if (d.status.name !== 'RUNNING') throw new Error(`${workflowId} is ${d.status.name}, not running`);
        if (phase === 'idle' || phase === 'paused') return;
        if (Date.now() > deadline) throw new Error(`${workflowId} not idle within ${timeoutMs / 1000}s (phase ${phase ?? 'unknown'})`);
        await sleep(100);
      }
    },
    async runFloor(kind, input) {
      const workflowId = `bench-floor-${kind}-${process.pid}-${++floorRuns}-${Date.now().toString(36)}`;
      await client.workflow.execute(kind, { taskQueue: FLOOR_WORKFLOW_QUEUE, workflowId, args: [input] });
      return workflowId;
    },
    async terminate(workflowId) {
      await client.workflow
        .getHandle(workflowId)
        .terminate('benchmark finished')
        .catch(() => undefined);
    },
    async close() {
      abort.abort();
      await running.catch(() => undefined);
      await native.close();
      await connection.close();
      await server?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One run of a workflow: how many events and bytes its history holds, and the size of the input it started from. */
export interface RunInfo {
  runId: string;
  status: string;
  events: number;
  historyBytes?: number;
  /** Bytes of the start input: for a continued run, the state carried across continue-as-new. */
  inputBytes: number;
}

/** Every run of a workflow, oldest first (continue-as-new makes several); reads sizes without fetching whole histories. */
export async function allRuns(client: Client, namespace: string, workflowId: string): Promise<RunInfo[]> {
  const runs: (RunInfo & { start: number })[] = [];
  for await (const r of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    // Visibility holds a closed run's final size; a running one is described live.
    const info = r.status.name === 'RUNNING' ? await client.workflow.getHandle(workflowId, r.runId).describe() : r;
    const first = await client.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId, runId: r.runId }, maximumPageSize: 1 });
    const input = first.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    runs.push({
      runId: r.runId,
      status: r.status.name,
      start: r.startTime.getTime(),
      events: info.historyLength,
      historyBytes: info.historySize,
      inputBytes: input.reduce((n, p) => n + (p.data?.length ?? 0), 0),
    });
  }
  return runs.sort((a, b) => a.start - b.start).map(({ start: _start, ...run }) => run);
}

async function bundleBoth(log: (m: string) => void): Promise<BenchBundles> {
  log('bundling Baton and floor workflows');
  const [baton, floor] = await Promise.all([
    bundleWorkflows(),
    bundleWorkflowCode({ workflowsPath: require.resolve('./floor-workflow'), logger: quietLogger }),
  ]);
  return { baton, floor };
}

async function portAwayFromDefaults(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port !== 7233 && port !== 8233) return port;
  }
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

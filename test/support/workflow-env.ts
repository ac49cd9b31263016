import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection, Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { BatonClient } from '../../src/client/baton-client';
import { dataConverterFromEnv } from '../../src/codec/aes-codec';
import type { StatusView } from '../../src/shared/status';
import type { WorkerConfig } from '../../src/workers/config';
import { bundleWorkflows, createWorkers, runWorkers } from '../../src/workers/worker';
import { testServerInfo } from './test-server';

/** A running set of workers that a test can stop (and replace) at will. */
export interface RunningWorkers {
  workers: Worker[];
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Everything a workflow test needs: a client, a data dir, and workers it can start and stop. */
export interface WorkflowEnv {
  baton: BatonClient;
  dataDir: string;
  /** Start this process's workers; `config` overrides worker settings (e.g. workflowThreads). */
  startWorkers(config?: Partial<WorkerConfig>): Promise<RunningWorkers>;
  close(): Promise<void>;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
let runtimeInstalled = false;

/** Connect to the suite's dev server; the workflow bundle is built once per test file. */
export async function workflowEnv(existingDataDir?: string): Promise<WorkflowEnv> {
  const { address, namespace } = testServerInfo();
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  bundle ??= bundleWorkflows();
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const baton = new BatonClient(new Client({ connection, namespace, dataConverter: dataConverterFromEnv() }), connection, namespace);
  const dataDir = existingDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'baton-wf-'));
  const running: RunningWorkers[] = [];
  return {
    baton,
    dataDir,
    async startWorkers(config = {}) {
      const abort = new AbortController();
      const workers = await createWorkers({
        connection: nativeConnection,
        namespace,
        config: { dataDir, queues: 'all', maxConcurrentAgents: 20, ...config },
        workflowBundle: await bundle,
      });
      const done = runWorkers(workers, abort.signal);
      const handle: RunningWorkers = {
        workers,
        done,
        async stop() {
          abort.abort();
          await done.catch(() => undefined);
        },
      };
      running.push(handle);
      return handle;
    },
    async close() {
      await Promise.all(running.map((r) => r.stop()));
      await nativeConnection.close();
      await connection.close();
    },
  };
}

/** A project name no other test (or earlier run on the same server) uses. */
export function uniqueProject(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Write a scripted scenario to a temp file and return its path. */
export function writeScenario(dataDir: string, yaml: string): string {
  const file = path.join(dataDir, `scenario-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, yaml);
  return file;
}

/** Poll `status` until `predicate` holds (or fail after `timeoutMs`, showing the last status). */
export async function waitForStatus(
  baton: BatonClient,
  project: string,
  predicate: (s: StatusView) => boolean,
  timeoutMs = 60_000,
): Promise<StatusView> {
  const deadline = Date.now() + timeoutMs;
  let last: StatusView | undefined;
  while (Date.now() < deadline) {
    last = await baton.status(project);
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`status never matched; last: ${JSON.stringify(last, null, 2)}`);
}

/** True once the session has settled and every objective has finished (on a status view or the full state). */
export function settled(s: { phase: string; objectives: { status: string }[] }): boolean {
  return (s.phase === 'idle' || s.phase === 'paused') && s.objectives.every((o) => o.status === 'completed' || o.status === 'failed');
}

/**
 * Every run of a workflow, oldest first, with its history. It follows the continue-as-new chain back from the
 * current run through each history's start event: unlike a visibility query, it cannot miss a run just begun.
 */
export async function runHistories(client: Client, workflowId: string): Promise<{ runId: string; history: temporal.api.history.v1.IHistory }[]> {
  const runs: { runId: string; history: temporal.api.history.v1.IHistory }[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.unshift({ runId, history });
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  detachedServerFiles,
  isServerReachable,
  loadDevServerSettings,
  startDevServer,
  type StartDevServerOptions,
  stopDetachedServer,
} from '../server/dev-server';
import { BATON_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { WORKFLOW_TASK_QUEUE } from '../shared/messages';
import { BatonError } from './baton-client';
import type { ConnectionSettings } from './connection';

/** Files Baton keeps in its data directory for local services. */
export function localPaths(dataDir: string) {
  const dbFile = path.join(dataDir, 'temporal.db');
  return {
    dbFile,
    ...detachedServerFiles(dbFile),
    workerPidFile: path.join(dataDir, 'worker.pid'),
    workerLogFile: path.join(dataDir, 'worker.log'),
    lastProjectFile: path.join(dataDir, 'last-project'),
  };
}

/** The embedded server as temporal-config/dev-server.json sets it, on `port` (a UI port off the default follows it, +1000), with its database in the data dir. */
export function localServerOptions(dataDir: string, port?: number): StartDevServerOptions {
  const defaults = loadDevServerSettings(path.resolve(__dirname, '../../temporal-config/dev-server.json'));
  const chosen = port ?? defaults.port;
  return {
    ...defaults,
    port: chosen,
    uiPort: chosen === defaults.port ? defaults.uiPort : chosen + 1000,
    dbFile: localPaths(dataDir).dbFile,
    searchAttributes: BATON_SEARCH_ATTRIBUTES,
  };
}

const isLoopback = (address: string) => /^(127\.|localhost:|\[::1\]:)/.test(address);

/** Start the embedded server (detached) at the profile's loopback address, its state in the data dir. */
async function startLocalServer(settings: ConnectionSettings, dataDir: string, log: (m: string) => void): Promise<void> {
  const options = localServerOptions(dataDir, Number(settings.address.split(':').pop()));
  log(`Starting the embedded Temporal dev server on ${settings.address} (state in ${options.dbFile})…`);
  const server = await startDevServer({ ...options, detached: true, onProgress: log });
  log(`Temporal server ready (pid ${server.pid}); UI at ${server.uiUrl ?? 'n/a'}`);
}

/** The pid in a pid file if that process is alive. */
function livePid(pidFile: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Start `baton worker` in the background (logging to the data dir) unless one is already polling. */
async function ensureLocalWorker(
  connection: Connection,
  settings: ConnectionSettings,
  dataDir: string,
  log: (m: string) => void,
  opts: { fresh?: boolean } = {},
): Promise<void> {
  const running = livePid(localPaths(dataDir).workerPidFile);
  if (running && !opts.fresh && (await hasPollers(connection, settings.namespace, running))) return;
  const pid = spawnLocalWorker(settings, dataDir, log);
  await untilPolling(connection, settings.namespace, pid, dataDir);
}

/**
 * The server and the worker `demo` needs. When the server has to be started, nothing polls it yet, so the worker
 * process starts first and waits for it (`--wait-for-server`): its second or more of loading code overlaps the
 * server's start instead of following it.
 */
export async function ensureLocalServices(
  settings: ConnectionSettings,
  dataDir: string,
  connect: () => Promise<Connection>,
  log: (m: string) => void,
  opts: { fresh?: boolean } = {},
): Promise<void> {
  if (await isServerReachable(settings.address, 1500)) return ensureLocalWorker(await connect(), settings, dataDir, log, opts);
  if (!isLoopback(settings.address)) {
    throw new BatonError(`cannot reach Temporal at ${settings.address} (profile "${settings.profile}" in ${settings.configFile})`);
  }
  const pid = spawnLocalWorker(settings, dataDir, log, SERVER_WAIT_SECONDS);
  try {
    await startLocalServer(settings, dataDir, log);
  } catch (err) {
    // A worker waiting for a server that will not come would linger for minutes.
    process.kill(pid, 'SIGTERM');
    throw err;
  }
  await untilPolling(await connect(), settings.namespace, pid, dataDir);
}

/** How long a worker started beside the server waits for it: the server's own start gives up well before. */
const SERVER_WAIT_SECONDS = 120;

/** Spawn `baton worker` detached, logging to the data dir, in place of any worker this data dir started before. */
function spawnLocalWorker(settings: ConnectionSettings, dataDir: string, log: (m: string) => void, waitForServer?: number): number {
  const paths = localPaths(dataDir);
  const stale = livePid(paths.workerPidFile);
  if (stale) {
    log(`Restarting the background worker (pid ${stale}) so it sees this environment…`);
    process.kill(stale, 'SIGTERM');
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const out = fs.openSync(paths.workerLogFile, 'a');
  const args = [path.resolve(__dirname, '../../bin/baton.js'), 'worker', ...(waitForServer ? ['--wait-for-server', String(waitForServer)] : [])];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', out, out],
    // The worker must reach the same server and namespace as this command, whatever flags chose them.
    env: { ...process.env, BATON_DATA_DIR: dataDir, TEMPORAL_ADDRESS: settings.address, TEMPORAL_NAMESPACE: settings.namespace, TEMPORAL_PROFILE: settings.profile },
  });
  child.unref();
  fs.closeSync(out);
  const pid = child.pid as number;
  fs.writeFileSync(paths.workerPidFile, String(pid));
  log(`Starting a Baton worker in the background (pid ${pid}, log ${paths.workerLogFile})…`);
  return pid;
}

/** Wait until worker `pid` polls the workflow queue; fail with its log's last lines if it dies or takes two minutes. */
async function untilPolling(connection: Connection, namespace: string, pid: number, dataDir: string): Promise<void> {
  const paths = localPaths(dataDir);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (await hasPollers(connection, namespace, pid)) return;
    if (!livePid(paths.workerPidFile)) break;
    // Short steps: this wait is on the way to the demo's first agent.
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = fs.readFileSync(paths.workerLogFile, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  throw new BatonError(`the Baton worker did not start polling; last lines of ${paths.workerLogFile}:\n${tail}`);
}

/** Stop the background worker and server started by `baton demo` / `baton server --detach`. */
export async function stopLocalServices(dataDir: string): Promise<{ worker: boolean; server: boolean }> {
  const paths = localPaths(dataDir);
  const workerPid = livePid(paths.workerPidFile);
  if (workerPid) process.kill(workerPid, 'SIGTERM');
  fs.rmSync(paths.workerPidFile, { force: true });
  const server = await stopDetachedServer(paths.pidFile);
  return { worker: workerPid !== undefined, server };
}

/** Whether the worker with this pid polls the workflow queue (SDK identities are `<pid>@<host>`). */
async function hasPollers(connection: Connection, namespace: string, pid: number | undefined): Promise<boolean> {
  try {
    const res = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: WORKFLOW_TASK_QUEUE },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (res.pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`));
  } catch {
    return false;
  }
}

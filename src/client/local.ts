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

/** Make sure a Temporal server answers at the profile's address, starting the embedded one (detached) if it is local. */
export async function ensureLocalServer(settings: ConnectionSettings, dataDir: string, log: (m: string) => void): Promise<boolean> {
  if (await isServerReachable(settings.address, 1500)) return false;
  if (!isLoopback(settings.address)) {
    throw new BatonError(`cannot reach Temporal at ${settings.address} (profile "${settings.profile}" in ${settings.configFile})`);
  }
  const options = localServerOptions(dataDir, Number(settings.address.split(':').pop()));
  log(`Starting the embedded Temporal dev server on ${settings.address} (state in ${options.dbFile})…`);
  const server = await startDevServer({ ...options, detached: true, onProgress: log });
  log(`Temporal server ready (pid ${server.pid}); UI at ${server.uiUrl ?? 'n/a'}`);
  return true;
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
export async function ensureLocalWorker(
  connection: Connection,
  settings: ConnectionSettings,
  dataDir: string,
  log: (m: string) => void,
  opts: { fresh?: boolean } = {},
): Promise<void> {
  const { namespace } = settings;
  const paths = localPaths(dataDir);
  const running = livePid(paths.workerPidFile);
  if (running && opts.fresh) {
    log(`Restarting the background worker (pid ${running}) so it sees this environment…`);
    process.kill(running, 'SIGTERM');
  } else if (running && (await hasPollers(connection, namespace, running))) return;
  fs.mkdirSync(dataDir, { recursive: true });
  const out = fs.openSync(paths.workerLogFile, 'a');
  const child = spawn(process.execPath, [path.resolve(__dirname, '../../bin/baton.js'), 'worker'], {
    detached: true,
    stdio: ['ignore', out, out],
    // The worker must reach the same server and namespace as this command, whatever flags chose them.
    env: { ...process.env, BATON_DATA_DIR: dataDir, TEMPORAL_ADDRESS: settings.address, TEMPORAL_NAMESPACE: namespace, TEMPORAL_PROFILE: settings.profile },
  });
  child.unref();
  fs.closeSync(out);
  fs.writeFileSync(paths.workerPidFile, String(child.pid));
  log(`Starting a Baton worker in the background (pid ${child.pid}, log ${paths.workerLogFile})…`);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (await hasPollers(connection, namespace, child.pid)) return;
    if (!livePid(paths.workerPidFile)) break;
    await new Promise((r) => setTimeout(r, 500));
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

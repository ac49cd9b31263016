import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { z } from 'zod';
import { BATON_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { ensureSearchAttributes, searchAttributeArgs, type SearchAttributeSpec } from './search-attributes';
import { resolveTemporalCli } from './temporal-binary';
import { parseOrThrow } from '../shared/zod-errors';

/** Server log level passed to `temporal --log-level`. */
export type DevServerLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'never';

/** Options for {@link startDevServer}; every field has a safe local default. */
export interface StartDevServerOptions {
  /** Temporal CLI binary; resolved with `resolveTemporalCli` when absent. */
  cli?: string;
  /** Loopback only: the dev server has no auth, so it must never listen on a public interface. */
  ip?: '127.0.0.1' | 'localhost' | '::1';
  port?: number;
  /** Defaults to `port + 1000` (8233 for the default port). */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file; without it the server keeps everything in memory. */
  dbFile?: string;
  namespace?: string;
  logLevel?: DevServerLogLevel;
  /** Registered on start; defaults to Baton's own attributes. */
  searchAttributes?: SearchAttributeSpec;
  /** Outlive this process: log to `logFile`, write the pid to `pidFile` (both default next to `dbFile`). */
  detached?: boolean;
  pidFile?: string;
  logFile?: string;
  readyTimeoutMs?: number;
  onProgress?: (msg: string) => void;
  /** Remote codec endpoint for the UI (`--ui-codec-endpoint`), e.g. `baton codec-server`'s address. */
  uiCodecEndpoint?: string;
  /** Server dynamic config values (`--dynamic-config-value key=value`), e.g. lifting the dispatch throttle. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/** A running dev server. */
export interface DevServerHandle {
  address: string;
  namespace: string;
  uiUrl?: string;
  pid: number;
  pidFile?: string;
  logFile?: string;
  stop(): Promise<void>;
}

/** The local server's settings file (temporal-config/dev-server.json); `dbFile` is relative to the working dir. */
export const DevServerSettings = z
  .object({
    ip: z.enum(['127.0.0.1', 'localhost', '::1']).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(7233),
    uiPort: z.number().int().min(1).max(65535).optional(),
    headless: z.boolean().optional(),
    namespace: z.string().min(1).default('default'),
    logLevel: z.enum(['debug', 'info', 'warn', 'error', 'never']).default('warn'),
    dbFile: z.string().min(1).optional(),
    /** Dynamic config values passed to the server as they are (see temporal-config/README.md). */
    dynamicConfig: z.record(z.string().regex(/^[A-Za-z][\w.]*$/, 'a dynamic config key such as history.transferProcessorMaxPollRPS'), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();
export type DevServerSettings = z.infer<typeof DevServerSettings>;

/** Read and check a dev-server.json; a relative `dbFile` is resolved against `baseDir`. */
export function loadDevServerSettings(file: string, baseDir = process.cwd()): DevServerSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`could not read dev server settings ${file}: ${(err as Error).message}`);
  }
  const settings = parseOrThrow(DevServerSettings, raw, `dev server settings ${file}`);
  return settings.dbFile ? { ...settings, dbFile: path.resolve(baseDir, settings.dbFile) } : settings;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Where a detached server for `dbFile` keeps its pid and log. */
export function detachedServerFiles(dbFile: string): { pidFile: string; logFile: string } {
  const dir = path.dirname(path.resolve(dbFile));
  return { pidFile: path.join(dir, 'temporal-server.pid'), logFile: path.join(dir, 'temporal-server.log') };
}

/** `host:port` → parts; accepts `[::1]:7233`. */
function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { host: host || '127.0.0.1', port: Number(address.slice(at + 1)) || 7233 };
}

function formatAddress(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function tcpOpen(address: string, timeoutMs: number): Promise<boolean> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True if a Temporal frontend answers at `address` within `timeoutMs`. */
export async function isServerReachable(address: string, timeoutMs = 2000): Promise<boolean> {
  if (!(await tcpOpen(address, timeoutMs))) return false;
  try {
    const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guards against a recycled pid: on Linux, only signal a process that really is `temporal server start-dev`. */
function looksLikeDevServer(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start-dev');
  } catch {
    return !fs.existsSync('/proc');
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await waitForExit(pid, 15_000))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited just now
    }
    await waitForExit(pid, 5_000);
  }
}

/** The pid of the dev server recorded in `pidFile`, if that process is still running. */
export function detachedServerPid(pidFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && looksLikeDevServer(pid) ? pid : undefined;
}

/** Stop the detached server recorded in `pidFile`; false if none was running. Removes the pid file. */
export async function stopDetachedServer(pidFile: string): Promise<boolean> {
  const pid = detachedServerPid(pidFile);
  if (pid !== undefined) await terminate(pid);
  fs.rmSync(pidFile, { force: true });
  return pid !== undefined;
}

/** Last lines of the server's output, kept for error messages. */
class OutputTail {
  private text = '';
  constructor(private readonly logFile?: string) {}
  append(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-16_000);
  }
  lines(n = 30): string {
    let text = this.text;
    if (this.logFile) {
      try {
        text = fs.readFileSync(this.logFile, 'utf8').slice(-16_000);
      } catch {
        text = '';
      }
    }
    return text.trimEnd().split('\n').slice(-n).join('\n');
  }
}

/** Start options with their defaults filled in. */
export type ResolvedOptions = StartDevServerOptions & { ip: string; port: number; namespace: string; logLevel: DevServerLogLevel };

/** The `temporal server start-dev` arguments for these options (UI flags only when the UI runs). */
export function buildArgs(o: ResolvedOptions): string[] {
  const args = ['server', 'start-dev', '--ip', o.ip, '--port', String(o.port), '--log-level', o.logLevel];
  if (o.headless) args.push('--headless');
  else {
    if (o.uiPort !== undefined) args.push('--ui-port', String(o.uiPort));
    if (o.uiCodecEndpoint) args.push('--ui-codec-endpoint', o.uiCodecEndpoint);
  }
  if (o.dbFile) args.push('--db-filename', path.resolve(o.dbFile));
  // "default" is always created; naming it again is harmless but noisy.
  if (o.namespace !== 'default') args.push('--namespace', o.namespace);
  for (const [key, value] of Object.entries(o.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  return [...args, ...searchAttributeArgs(o.searchAttributes ?? BATON_SEARCH_ATTRIBUTES)];
}

/** Start `temporal server start-dev` and resolve once the namespace answers and search attributes exist. */
export async function startDevServer(opts: StartDevServerOptions = {}): Promise<DevServerHandle> {
  const o: ResolvedOptions = {
    ...opts,
    ip: opts.ip ?? '127.0.0.1',
    port: opts.port ?? 7233,
    namespace: opts.namespace ?? 'default',
    logLevel: opts.logLevel ?? 'warn',
  };
  if (!LOOPBACK.has(o.ip)) throw new Error(`dev server ip must be a loopback address, got "${o.ip}"`);
  const ip = o.ip === 'localhost' ? '127.0.0.1' : o.ip;
  const address = formatAddress(ip, o.port);
  if (await tcpOpen(address, 500)) {
    throw new Error(`port ${o.port} on ${ip} is already in use (another Temporal server?); pick another port or stop it`);
  }
  const cli = o.cli ?? (await resolveTemporalCli({ onProgress: o.onProgress }));
  if (o.dbFile) fs.mkdirSync(path.dirname(path.resolve(o.dbFile)), { recursive: true });
  const args = buildArgs({ ...o, ip });

  let child: ChildProcess;
  let tail: OutputTail;
  let pidFile: string | undefined;
  let logFile: string | undefined;
  if (o.detached) {
    const files = o.dbFile ? detachedServerFiles(o.dbFile) : undefined;
    pidFile = o.pidFile ?? files?.pidFile;
    logFile = o.logFile ?? files?.logFile;
    if (!pidFile || !logFile) throw new Error('a detached dev server needs dbFile (or both pidFile and logFile)');
    const running = detachedServerPid(pidFile);
    if (running !== undefined) throw new Error(`a dev server is already running (pid ${running}, see ${pidFile})`);
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    fs.mkdirSync(path.dirname(pidFile), { recursive: true });
    const log = fs.openSync(logFile, 'a');
    child = spawn(cli, args, { detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    child.unref();
    tail = new OutputTail(logFile);
  } else {
    child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    tail = new OutputTail();
    child.stdout?.on('data', (c: Buffer) => tail.append(c));
    child.stderr?.on('data', (c: Buffer) => tail.append(c));
  }
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `exit code ${code}`));
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid as number));
    child.once('error', (err) => reject(new Error(`could not run ${cli}: ${err.message}`)));
  });
  if (pidFile) fs.writeFileSync(pidFile, `${pid}\n`);

  // Without this, a crashing parent would leave an attached server running.
  const killOnExit = () => child.kill('SIGKILL');
  if (!o.detached) process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    if (pidFile) {
      await stopDetachedServer(pidFile);
      return;
    }
    process.removeListener('exit', killOnExit);
    if (exited === undefined) await terminate(pid);
  };

  try {
    const connection = await waitUntilReady(address, o.namespace, o.readyTimeoutMs ?? 60_000, () => exited);
    try {
      await ensureSearchAttributes(connection, o.namespace, o.searchAttributes ?? BATON_SEARCH_ATTRIBUTES);
    } finally {
      await connection.close();
    }
  } catch (err) {
    await stop().catch(() => undefined);
    const log = tail.lines();
    const where = logFile ? ` (log: ${logFile})` : '';
    throw new Error(`${(err as Error).message}\ncommand: ${cli} ${args.join(' ')}${where}${log ? `\nserver output:\n${log}` : ''}`);
  }
  const uiUrl = o.headless ? undefined : `http://${formatAddress(ip, o.uiPort ?? o.port + 1000)}`;
  return { address, namespace: o.namespace, uiUrl, pid, pidFile, logFile, stop };
}

async function waitUntilReady(
  address: string,
  namespace: string,
  timeoutMs: number,
  exited: () => string | undefined,
): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'the gRPC port never opened';
  for (;;) {
    const why = exited();
    if (why) throw new Error(`Temporal dev server exited during startup (${why})`);
    if (Date.now() > deadline) {
      throw new Error(`Temporal dev server at ${address} was not ready within ${timeoutMs / 1000}s: ${lastError}`);
    }
    if (await tcpOpen(address, 500)) {
      let connection: Connection | undefined;
      try {
        connection = await Connection.connect({ address, connectTimeout: 2000 });
        await connection.workflowService.describeNamespace({ namespace });
        return connection;
      } catch (err) {
        lastError = (err as Error).message;
        await connection?.close().catch(() => undefined);
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

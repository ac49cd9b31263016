import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../server/free-port';

/** A nats-server this process started. */
export interface NatsServer {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** Where Debian's `nats-server` package puts the binary, after `$BATON_NATS_SERVER` and the PATH. */
const KNOWN_PATHS = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

/** The nats-server binary, or undefined when it is not installed. */
export function findNatsServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.BATON_NATS_SERVER) return fs.existsSync(env.BATON_NATS_SERVER) ? env.BATON_NATS_SERVER : undefined;
  const onPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'nats-server'));
  return [...onPath, ...KNOWN_PATHS].find((p) => fs.existsSync(p));
}

/** How long nats-server may take to say it is ready. */
const READY_TIMEOUT_MS = 10_000;

/** Start nats-server on loopback (a free port unless one is given) and wait until it accepts clients. */
export async function startNatsServer(opts: { port?: number; binary?: string } = {}): Promise<NatsServer> {
  const binary = opts.binary ?? findNatsServer();
  if (!binary) throw new Error('nats-server is not installed: `apt-get install nats-server` (Debian), or set BATON_NATS_SERVER to its path');
  const port = opts.port ?? (await freePort());
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitReady(child, port);
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    stop: () => stopChild(child),
  };
}

function waitReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(`nats-server did not start on port ${port} within ${READY_TIMEOUT_MS / 1000}s`), READY_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}: ${output.trim().split('\n').slice(-3).join(' | ')}`));
    };
    child.once('error', (err) => fail(`nats-server could not run (${err.message})`));
    child.once('exit', (code) => fail(`nats-server exited with ${code}`));
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Server is ready/.test(output)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        // Keep draining its log so a full pipe never stalls it.
        child.stderr?.removeAllListeners('data').resume();
        resolve();
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { isServerReachable } from '../src/server/dev-server';
import { freePort } from '../src/server/free-port';
import { ensureSearchAttributes, searchAttributeArgs } from '../src/server/search-attributes';
import { resolveTemporalCli } from '../src/server/temporal-binary';
import { BATON_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import type { ExistingServer } from './env';
import { sleep } from './stats';

/**
 * The history service polls its transfer queue at most 20 times a second by default, so on an otherwise quiet server
 * each new activity or workflow task can wait up to 50 ms to be dispatched. Raising the rate shows the cost underneath.
 */
export const UNTHROTTLED_DISPATCH = { 'history.transferProcessorMaxPollRPS': 1000 } as const;

/** A headless in-memory dev server with extra dynamic config (startDevServer has no option for it), on loopback. */
export async function startTunedServer(dynamicConfig: Record<string, string | number | boolean>): Promise<ExistingServer & { stop(): Promise<void> }> {
  const cli = await resolveTemporalCli();
  let port = await freePort();
  while (port === 7233) port = await freePort();
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless', '--log-level', 'error'];
  for (const [key, value] of Object.entries(dynamicConfig)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  const child = spawn(cli, [...args, ...searchAttributeArgs(BATON_SEARCH_ATTRIBUTES)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + 60_000;
  while (!(await isServerReachable(address, 1000))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`tuned dev server did not start on ${address} (${cli} ${args.join(' ')})`);
    }
    await sleep(200);
  }
  const connection = await Connection.connect({ address });
  try {
    await ensureSearchAttributes(connection, 'default', BATON_SEARCH_ATTRIBUTES);
  } finally {
    await connection.close();
  }
  return { address, namespace: 'default', pid: child.pid as number, stop };
}

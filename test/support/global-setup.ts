import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../src/server/free-port';
import { startDevServer, type DevServerHandle } from '../../src/server/dev-server';
import { resolveTemporalCli } from '../../src/server/temporal-binary';
import { BATON_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { TEST_SERVER_FILE_ENV, type TestServerInfo } from './test-server';

/** Shared with global-teardown, which jest runs in this same process. */
export const HANDLE_KEY = '__batonTestServer';

const RESERVED = new Set([7233, 8233]);

async function portAwayFromDefaults(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (!RESERVED.has(port)) return port;
  }
}

/** Start one headless, in-memory dev server for the whole jest run. */
export default async function globalSetup(): Promise<void> {
  if (process.env.BATON_TEST_NO_SERVER === '1') return;
  const log = (msg: string) => process.stderr.write(`[baton test server] ${msg}\n`);
  const cli = await resolveTemporalCli({ onProgress: log });
  const server: DevServerHandle = await startDevServer({
    cli,
    port: await portAwayFromDefaults(),
    headless: true,
    searchAttributes: BATON_SEARCH_ATTRIBUTES,
    logLevel: 'warn',
  });
  const info: TestServerInfo = { address: server.address, namespace: server.namespace, pid: server.pid };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-test-server-')), 'server.json');
  fs.writeFileSync(file, JSON.stringify(info));
  // Jest workers are forked after globalSetup, so they inherit this.
  process.env[TEST_SERVER_FILE_ENV] = file;
  (globalThis as Record<string, unknown>)[HANDLE_KEY] = server;
}

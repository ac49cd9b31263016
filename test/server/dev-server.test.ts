import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import {
  detachedServerPid,
  isServerReachable,
  startDevServer,
  stopDetachedServer,
  type DevServerHandle,
} from '../../src/server/dev-server';
import { connectClient, connectWorkerConnection, loadConnectionSettings } from '../../src/client/connection';
import { freePort } from '../../src/server/free-port';
import { ensureSearchAttributes } from '../../src/server/search-attributes';
import { resolveTemporalCli } from '../../src/server/temporal-binary';
import { BATON_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { testServerAddress } from '../support/test-server';

jest.setTimeout(120_000);

let root: string;
let cli: string;
const running: DevServerHandle[] = [];

beforeAll(async () => {
  cli = await resolveTemporalCli();
});
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-devserver-test-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  fs.rmSync(root, { recursive: true, force: true });
});

async function start(opts: Parameters<typeof startDevServer>[0]): Promise<DevServerHandle> {
  const server = await startDevServer({ cli, port: await freePort(), headless: true, ...opts });
  running.push(server);
  return server;
}

async function customAttributes(address: string): Promise<Record<string, unknown>> {
  const connection = await Connection.connect({ address });
  try {
    const res = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    return res.customAttributes ?? {};
  } finally {
    await connection.close();
  }
}

describe('startDevServer', () => {
  it('keeps search attributes across restarts on the same db and adds new ones', async () => {
    const dbFile = path.join(root, 'state', 'temporal.db');
    const first = await start({ dbFile });
    expect(fs.existsSync(dbFile)).toBe(true);
    expect(Object.keys(await customAttributes(first.address))).toEqual(
      expect.arrayContaining(Object.keys(BATON_SEARCH_ATTRIBUTES)),
    );
    await first.stop();
    expect(await isServerReachable(first.address, 1000)).toBe(false);

    // --search-attribute is ignored once the SQLite namespace exists; ensureSearchAttributes must add it.
    const second = await start({ dbFile, searchAttributes: { ...BATON_SEARCH_ATTRIBUTES, BatonExtra: 'Int' } });
    const attrs = await customAttributes(second.address);
    expect(Object.keys(attrs)).toEqual(expect.arrayContaining(['BatonPhase', 'BatonProject', 'BatonExtra']));
  });

  it('ensureSearchAttributes is idempotent and reports what it added', async () => {
    const server = await start({});
    const connection = await Connection.connect({ address: server.address });
    try {
      expect(await ensureSearchAttributes(connection, 'default', { BatonLater: 'Keyword' })).toEqual(['BatonLater']);
      expect(await ensureSearchAttributes(connection, 'default', { BatonLater: 'Keyword' })).toEqual([]);
      await expect(ensureSearchAttributes(connection, 'default', { BatonLater: 'Int' })).rejects.toThrow(
        /different type/,
      );
    } finally {
      await connection.close();
    }
  });

  it('runs detached with a pid file and stops from the pid file alone', async () => {
    const dbFile = path.join(root, 'temporal.db');
    const server = await startDevServer({ cli, port: await freePort(), headless: true, dbFile, detached: true });
    try {
      expect(server.pidFile).toBe(path.join(root, 'temporal-server.pid'));
      expect(detachedServerPid(server.pidFile!)).toBe(server.pid);
      expect(await isServerReachable(server.address, 2000)).toBe(true);
      await expect(
        startDevServer({ cli, port: await freePort(), headless: true, dbFile, detached: true }),
      ).rejects.toThrow(/already running/);
    } finally {
      expect(await stopDetachedServer(server.pidFile!)).toBe(true);
    }
    expect(fs.existsSync(server.pidFile!)).toBe(false);
    expect(await isServerReachable(server.address, 1000)).toBe(false);
    expect(await stopDetachedServer(server.pidFile!)).toBe(false);
  });

  it('refuses a port that is already taken', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startDevServer({ cli, port, headless: true })).rejects.toThrow(/already in use/);
    } finally {
      blocker.close();
    }
  });

  it('refuses to listen anywhere but loopback', async () => {
    await expect(startDevServer({ cli, ip: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/loopback/);
  });

  it('reports the server output when the server dies during startup', async () => {
    const err = await startDevServer({ cli, port: await freePort(), headless: true, logLevel: 'bogus' as 'warn' }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toMatch(/exited during startup[\s\S]*server output:[\s\S]*bogus/);
  });

  it('shares one suite-wide server through global setup', async () => {
    expect(await isServerReachable(testServerAddress(), 2000)).toBe(true);
    expect(Object.keys(await customAttributes(testServerAddress()))).toEqual(
      expect.arrayContaining(Object.keys(BATON_SEARCH_ATTRIBUTES)),
    );
  });

  it('connects a client and a worker connection from settings', async () => {
    const settings = loadConnectionSettings({ env: { TEMPORAL_ADDRESS: testServerAddress() } });
    const { client, close } = await connectClient(settings);
    try {
      await expect(client.workflowService.describeNamespace({ namespace: settings.namespace })).resolves.toBeDefined();
    } finally {
      await close();
    }
    const worker = await connectWorkerConnection(settings);
    await worker.close();
  });
});

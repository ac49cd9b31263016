import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import type { DevServerHandle } from '../../src/server/dev-server';
import { HANDLE_KEY } from './global-setup';
import { assertNoSecrets, scanServer, scanSummary, type ScanResult } from './secret-scan';
import { TEST_SERVER_FILE_ENV } from './test-server';

async function scanForSecrets(address: string): Promise<ScanResult> {
  const connection = await Connection.connect({ address });
  try {
    return await scanServer(connection);
  } finally {
    await connection.close();
  }
}

/** Scan every history the suite produced for API keys, then stop the suite's dev server and remove its info file. */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>)[HANDLE_KEY] as DevServerHandle | undefined;
  try {
    if (server) {
      const scan = await scanForSecrets(server.address);
      process.stdout.write(`${scanSummary(scan)}\n`);
      assertNoSecrets(scan);
    }
  } finally {
    await server?.stop();
    const file = process.env[TEST_SERVER_FILE_ENV];
    if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

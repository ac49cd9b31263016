import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DevServerHandle } from '../../src/server/dev-server';
import { HANDLE_KEY } from './global-setup';
import { TEST_SERVER_FILE_ENV } from './test-server';

/** Stop the suite's dev server and remove its info file. */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>)[HANDLE_KEY] as DevServerHandle | undefined;
  await server?.stop();
  const file = process.env[TEST_SERVER_FILE_ENV];
  if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

import * as fs from 'node:fs';

/** What global-setup records about the suite's shared dev server. */
export interface TestServerInfo {
  address: string;
  namespace: string;
  pid: number;
}

/** Environment variable naming the JSON file global-setup writes. */
export const TEST_SERVER_FILE_ENV = 'BATON_TEST_SERVER_FILE';

/** The shared dev server started by jest's globalSetup. */
export function testServerInfo(): TestServerInfo {
  const file = process.env[TEST_SERVER_FILE_ENV];
  if (!file) {
    throw new Error(
      `${TEST_SERVER_FILE_ENV} is not set: run tests through jest (globalSetup starts the server), and not with BATON_TEST_NO_SERVER=1`,
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TestServerInfo;
}

/** `host:port` of the shared dev server, for `Connection.connect` / `NativeConnection.connect`. */
export function testServerAddress(): string {
  return testServerInfo().address;
}

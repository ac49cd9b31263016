import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildArgs, loadDevServerSettings, type ResolvedOptions } from '../../src/server/dev-server';

const base: ResolvedOptions = { ip: '127.0.0.1', port: 7555, namespace: 'default', logLevel: 'warn' };

test('dynamic config values become --dynamic-config-value key=JSON pairs', () => {
  const args = buildArgs({ ...base, dynamicConfig: { 'history.transferProcessorMaxPollRPS': 1000, 'system.enableNexus': false, 'limit.x': 'a b' } });
  const values = args.flatMap((a, i) => (a === '--dynamic-config-value' ? [args[i + 1]] : []));
  expect(values).toEqual(['history.transferProcessorMaxPollRPS=1000', 'system.enableNexus=false', 'limit.x="a b"']);
  expect(buildArgs(base)).not.toContain('--dynamic-config-value');
});

test('the shipped dev-server.json lifts the dispatch throttle', () => {
  const settings = loadDevServerSettings(path.resolve(__dirname, '../../temporal-config/dev-server.json'));
  expect(settings.dynamicConfig).toEqual({ 'history.transferProcessorMaxPollRPS': 1000 });
});

test.each([
  [{ dynamicConfig: { 'history.rps': [1] } }, /dynamicConfig\.history\.rps/],
  [{ dynamicConfig: { '--port': 1 } }, /dynamicConfig\.--port/],
])('a bad dynamicConfig (%j) is refused, naming it', (raw, message) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-dsj-')), 'dev-server.json');
  fs.writeFileSync(file, JSON.stringify(raw));
  expect(() => loadDevServerSettings(file)).toThrow(message);
});

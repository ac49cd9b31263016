import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultTemporalConfigFile, loadConnectionSettings } from '../../src/client/connection';
import { loadDevServerSettings } from '../../src/server/dev-server';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-conn-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function toml(text: string): string {
  const file = path.join(root, 'temporal.toml');
  fs.writeFileSync(file, text);
  return file;
}

const repoToml = path.resolve(__dirname, '../../temporal-config/temporal.toml');

describe('loadConnectionSettings', () => {
  it("reads the repo's default profile: local dev server, namespace default", () => {
    expect(defaultTemporalConfigFile()).toBe(repoToml);
    expect(loadConnectionSettings({ env: {} })).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      profile: 'default',
      configFile: repoToml,
    });
  });

  it('lets TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE override the profile', () => {
    const s = loadConnectionSettings({ env: { TEMPORAL_ADDRESS: '127.0.0.1:9999', TEMPORAL_NAMESPACE: 'other' } });
    expect(s).toMatchObject({ address: '127.0.0.1:9999', namespace: 'other', profile: 'default' });
  });

  it('turns on TLS when TEMPORAL_API_KEY is set', () => {
    const s = loadConnectionSettings({ env: { TEMPORAL_API_KEY: 'secret' } });
    expect(s).toMatchObject({ apiKey: 'secret', tls: true });
  });

  it('picks the profile from TEMPORAL_PROFILE and the file from TEMPORAL_CONFIG_FILE', () => {
    const file = toml('[profile.default]\naddress = "127.0.0.1:7233"\n[profile.staging]\naddress = "10.0.0.5:7233"\nnamespace = "stage"\n');
    const s = loadConnectionSettings({ env: { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'staging' } });
    expect(s).toMatchObject({ address: '10.0.0.5:7233', namespace: 'stage', profile: 'staging', configFile: file });
  });

  it('prefers opts.profile and opts.configFile over the environment', () => {
    const file = toml('[profile.a]\naddress = "127.0.0.1:1111"\n');
    const s = loadConnectionSettings({ profile: 'a', configFile: file, env: { TEMPORAL_PROFILE: 'zzz' } });
    expect(s).toMatchObject({ address: '127.0.0.1:1111', namespace: 'default', profile: 'a' });
  });

  it('reads gRPC metadata and TLS settings', () => {
    const file = toml('[profile.default]\naddress = "h:7233"\n[profile.default.tls]\nserver_name = "srv"\n[profile.default.grpc_meta]\nx-team = "baton"\n');
    const s = loadConnectionSettings({ configFile: file, env: {} });
    expect(s.metadata).toEqual({ 'x-team': 'baton' });
    expect(s.tls).toMatchObject({ serverNameOverride: 'srv' });
  });

  it('names the profile and file when the profile is missing', () => {
    expect(() => loadConnectionSettings({ profile: 'nope', env: {} })).toThrow(
      `Temporal profile "nope" not found in ${repoToml} (profiles: default)`,
    );
  });

  it('names the file when the TOML is malformed', () => {
    const file = toml('[profile.default\naddress = ');
    expect(() => loadConnectionSettings({ configFile: file, env: {} })).toThrow(
      new RegExp(`could not read Temporal config file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('rejects misspelt keys instead of silently ignoring them', () => {
    const file = toml('[profile.default]\nadress = "127.0.0.1:7233"\n');
    expect(() => loadConnectionSettings({ configFile: file, env: {} })).toThrow(/adress/);
  });

  it('names a config file that does not exist', () => {
    const file = path.join(root, 'missing.toml');
    expect(() => loadConnectionSettings({ configFile: file, env: {} })).toThrow(`${file} does not exist`);
  });
});

describe('temporal-config/dev-server.json', () => {
  const file = path.resolve(__dirname, '../../temporal-config/dev-server.json');

  it('matches the default profile and keeps the server on loopback', () => {
    const settings = loadDevServerSettings(file, '/project');
    const profile = loadConnectionSettings({ env: {} });
    expect(`${settings.ip}:${settings.port}`).toBe(profile.address);
    expect(settings.namespace).toBe(profile.namespace);
    expect(settings.dbFile).toBe('/project/.baton/temporal.db');
  });

  it('rejects a non-loopback ip, naming the file', () => {
    const bad = path.join(root, 'dev-server.json');
    fs.writeFileSync(bad, JSON.stringify({ ip: '0.0.0.0' }));
    expect(() => loadDevServerSettings(bad)).toThrow(new RegExp(`dev server settings ${bad}: ip`));
  });
});

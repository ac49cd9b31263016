import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { loadClientConfig, loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { dataConverterFromEnv } from '../codec/aes-codec';
import { processTracing } from '../telemetry/otel';
import { parseOrThrow } from '../shared/zod-errors';

/** Where and how to reach Temporal, after the TOML profile and `TEMPORAL_*` env overrides are applied. */
export interface ConnectionSettings {
  address: string;
  namespace: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
  /** The profile these came from, and its file; for messages. */
  profile: string;
  configFile: string;
}

/** Options for {@link loadConnectionSettings}. */
export interface LoadConnectionSettingsOptions {
  profile?: string;
  configFile?: string;
  env?: Record<string, string | undefined>;
}

const CONFIG_RELATIVE = path.join('temporal-config', 'temporal.toml');

/** Baton's own temporal.toml, found by walking up from this file so it works from `src/` and compiled `lib/`. */
export function defaultTemporalConfigFile(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_RELATIVE);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '../..', CONFIG_RELATIVE);
  }
}

const Resolved = z.object({
  address: z.string().regex(/^\S+$/, 'must be host:port with no spaces'),
  namespace: z.string().min(1, 'must not be empty'),
});

/**
 * Load a connection profile from temporal.toml (`opts.configFile` ?? `$TEMPORAL_CONFIG_FILE` ?? Baton's own),
 * profile `opts.profile` ?? `$TEMPORAL_PROFILE` ?? `default`, with `TEMPORAL_ADDRESS` etc. overriding it.
 */
export function loadConnectionSettings(opts: LoadConnectionSettingsOptions = {}): ConnectionSettings {
  const env = Object.fromEntries(
    Object.entries(opts.env ?? process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const configFile = path.resolve(opts.configFile ?? env.TEMPORAL_CONFIG_FILE ?? defaultTemporalConfigFile());
  const profile = opts.profile ?? env.TEMPORAL_PROFILE ?? 'default';
  // envconfig treats a missing file as an empty one; a typo in a path deserves an error instead.
  if (!fs.existsSync(configFile)) throw new Error(`Temporal config file ${configFile} does not exist`);
  const configSource = { path: configFile };

  let profiles: string[];
  try {
    // envconfig cannot parse an empty file; it simply has no profiles.
    const empty = fs.readFileSync(configFile, 'utf8').trim() === '';
    profiles = empty ? [] : Object.keys(loadClientConfig({ configSource, configFileStrict: true }).profiles ?? {});
  } catch (err) {
    throw new Error(`could not read Temporal config file ${configFile}: ${(err as Error).message}`);
  }
  if (!profiles.includes(profile)) {
    const known = profiles.length ? profiles.join(', ') : 'none';
    throw new Error(`Temporal profile "${profile}" not found in ${configFile} (profiles: ${known})`);
  }

  let loaded: ReturnType<typeof loadClientConnectConfig>;
  try {
    loaded = loadClientConnectConfig({ profile, configSource, configFileStrict: true, overrideEnvVars: env });
  } catch (err) {
    // e.g. a TLS cert path that does not exist
    throw new Error(`Temporal profile "${profile}" in ${configFile}: ${(err as Error).message}`);
  }
  const { connectionOptions, namespace } = loaded;
  const { address, tls, apiKey, metadata } = connectionOptions;
  const checked = parseOrThrow(
    Resolved,
    { address: address ?? '127.0.0.1:7233', namespace: namespace ?? 'default' },
    `Temporal profile "${profile}" in ${configFile}`,
  );
  return {
    ...checked,
    ...(tls !== undefined && tls !== null ? { tls } : {}),
    ...(typeof apiKey === 'string' ? { apiKey } : {}),
    ...(metadata && Object.keys(metadata).length ? { metadata: metadata as Record<string, string> } : {}),
    profile,
    configFile,
  };
}

function connectOptions(s: ConnectionSettings) {
  return { address: s.address, tls: s.tls, apiKey: s.apiKey, metadata: s.metadata };
}

/** A connected workflow client and its connection; `close()` releases both. */
export interface ConnectedClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

/** Connect a `Client` bound to the settings' namespace. */
export async function connectClient(settings: ConnectionSettings): Promise<ConnectedClient> {
  const connection = await Connection.connect(connectOptions(settings));
  // With OTEL_* set, starting an orchestration opens its trace (signals, updates and queries get spans of their own).
  const tracing = processTracing();
  const interceptors = tracing ? { interceptors: { workflow: tracing.clientInterceptors } } : {};
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: dataConverterFromEnv(), ...interceptors });
  const flush = async () => tracing?.flush().catch(() => undefined);
  return { client, connection, close: async () => { await flush(); await connection.close(); } };
}

/** Connect the `NativeConnection` a Worker needs. */
export function connectWorkerConnection(settings: ConnectionSettings): Promise<NativeConnection> {
  return NativeConnection.connect(connectOptions(settings));
}

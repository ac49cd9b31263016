import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../shared/zod-errors';

/** Worker settings from `BATON_*` environment variables, validated. */
export const WorkerConfig = z.strictObject({
  /** Where context files, workspaces and logs live. */
  dataDir: z.string().min(1),
  /** Which task queues this process serves: workflows + light activities, agents, or both. */
  queues: z.enum(['all', 'workflows', 'agents']).default('all'),
  /** Agent activities one worker process runs at once. */
  maxConcurrentAgents: z.number().int().min(1).max(1000).default(20),
  /** Workflows kept in the worker's sticky cache (memory); unset: the SDK's default, sized from the machine's memory. */
  maxCachedWorkflows: z.number().int().min(0).max(100_000).optional(),
  /** Threads that run workflow code; unset: the SDK's default (one). More let several orchestrations (a lead's children) run their workflow tasks at once. */
  workflowThreads: z.number().int().min(1).max(64).optional(),
  /** Where the workflow bundle is cached between starts (keyed by a hash of its sources); unset: the default cache dir. */
  bundleCacheDir: z.string().min(1).optional(),
  /** NATS server events are published to; unset: no bus. */
  natsUrl: z.string().trim().regex(/^(nats|tls|ws|wss):\/\/\S+$/, 'must be a NATS URL such as nats://127.0.0.1:4222').optional(),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

/** The worker config file (`$BATON_WORKER_CONFIG`, else `<dataDir>/worker.yaml` when it exists): YAML or JSON, the same keys but `dataDir`. */
export const WorkerConfigFile = WorkerConfig.omit({ dataDir: true }).partial();
export type WorkerConfigFile = z.infer<typeof WorkerConfigFile>;

/** Read and check a worker config file; an unreadable file, bad YAML or an unknown or bad key is an error naming the file. */
export function loadWorkerConfigFile(file: string): WorkerConfigFile {
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`worker config file ${file}: ${(err as Error).message}`);
  }
  if (raw === null || raw === undefined) throw new Error(`worker config file ${file} is empty: give at least one setting, e.g. natsUrl: nats://127.0.0.1:4222`);
  const parsed = WorkerConfigFile.safeParse(raw);
  if (!parsed.success) throw new Error(`worker config file ${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The config file in effect: an explicit `$BATON_WORKER_CONFIG` must exist; the default one is optional. */
function configFileSettings(env: NodeJS.ProcessEnv, dataDir: string): WorkerConfigFile {
  const explicit = env.BATON_WORKER_CONFIG?.trim();
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new Error(`BATON_WORKER_CONFIG: no such file ${path.resolve(explicit)}`);
    return loadWorkerConfigFile(path.resolve(explicit));
  }
  const fallback = path.join(dataDir, 'worker.yaml');
  return fs.existsSync(fallback) ? loadWorkerConfigFile(fallback) : {};
}

/** Read worker settings from the config file, then the environment (which wins), then overrides; names any bad variable. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  const dataDir = defaultDataDir(env);
  const raw = {
    ...configFileSettings(env, dataDir),
    dataDir,
    ...(env.BATON_WORKER_QUEUES ? { queues: env.BATON_WORKER_QUEUES } : {}),
    ...(env.BATON_MAX_CONCURRENT_AGENTS ? { maxConcurrentAgents: Number(env.BATON_MAX_CONCURRENT_AGENTS) } : {}),
    ...(env.BATON_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(env.BATON_MAX_CACHED_WORKFLOWS) } : {}),
    ...(env.BATON_WORKFLOW_THREADS ? { workflowThreads: Number(env.BATON_WORKFLOW_THREADS) } : {}),
    ...(env.BATON_BUNDLE_CACHE_DIR ? { bundleCacheDir: env.BATON_BUNDLE_CACHE_DIR } : {}),
    ...(env.NATS_URL?.trim() ? { natsUrl: env.NATS_URL.trim() } : {}),
    ...overrides,
  };
  const parsed = WorkerConfig.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid worker settings (BATON_* variables, NATS_URL): ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The data directory the CLI and the worker share: `$BATON_DATA_DIR` or `./.baton`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.BATON_DATA_DIR ?? '.baton');
}

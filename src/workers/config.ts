import * as path from 'node:path';
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
  /** Where the workflow bundle is cached between starts (keyed by a hash of its sources); unset: the default cache dir. */
  bundleCacheDir: z.string().min(1).optional(),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

/** Read worker settings from the environment (and overrides), naming any bad variable. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  const raw = {
    dataDir: defaultDataDir(env),
    ...(env.BATON_WORKER_QUEUES ? { queues: env.BATON_WORKER_QUEUES } : {}),
    ...(env.BATON_MAX_CONCURRENT_AGENTS ? { maxConcurrentAgents: Number(env.BATON_MAX_CONCURRENT_AGENTS) } : {}),
    ...(env.BATON_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(env.BATON_MAX_CACHED_WORKFLOWS) } : {}),
    ...(env.BATON_BUNDLE_CACHE_DIR ? { bundleCacheDir: env.BATON_BUNDLE_CACHE_DIR } : {}),
    ...overrides,
  };
  const parsed = WorkerConfig.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid worker settings (BATON_* variables): ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The data directory the CLI and the worker share: `$BATON_DATA_DIR` or `./.baton`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.BATON_DATA_DIR ?? '.baton');
}

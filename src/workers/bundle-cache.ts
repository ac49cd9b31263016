import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A bundled workflow module: the code Worker.create loads, with its source map. */
export interface CachedBundle {
  code: string;
  sourceMap: string;
}

/** The per-user bundle cache: `${XDG_CACHE_HOME:-~/.cache}/baton/workflow-bundles`, beside the pinned Temporal CLI. */
export function defaultBundleCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'baton', 'workflow-bundles');
}

/** Every file under `dir` (sorted, so the order never changes the hash). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * A key for the bundle built from `sourceDir`: a hash over every source file there (path and contents) and the
 * dependency lockfile. It is wider than the workflow's import graph on purpose: a stale bundle would run old
 * workflow code, while an unneeded rebuild only costs a few seconds.
 */
export function bundleKey(sourceDir: string, extraFiles: string[] = []): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(sourceDir), ...extraFiles]) {
    hash.update(path.relative(sourceDir, file)).update('\0');
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : 'missing').update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * The bundle for `key` from the cache, or `build()`'s result written to it. Writes are atomic (temp file + rename),
 * so concurrent workers never read half a bundle; an unwritable cache only costs the rebuild.
 */
export async function cachedBundle(dir: string, key: string, build: () => Promise<CachedBundle>): Promise<CachedBundle & { hit: boolean }> {
  const codeFile = path.join(dir, `${key}.js`);
  const mapFile = path.join(dir, `${key}.js.map`);
  try {
    return { code: fs.readFileSync(codeFile, 'utf8'), sourceMap: fs.readFileSync(mapFile, 'utf8'), hit: true };
  } catch {
    // Not cached (or half removed): build it.
  }
  const bundle = await build();
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `.${process.pid}-${Date.now().toString(36)}`;
    // The map first: a code file present means its map is too.
    fs.writeFileSync(mapFile + tmp, bundle.sourceMap);
    fs.renameSync(mapFile + tmp, mapFile);
    fs.writeFileSync(codeFile + tmp, bundle.code);
    fs.renameSync(codeFile + tmp, codeFile);
    prune(dir, key);
  } catch {
    // A read-only or full disk: the worker still starts with the bundle it built.
  }
  return { ...bundle, hit: false };
}

/** Bundles kept besides the current one (older sources, other checkouts). */
const KEEP = 4;

/** Remove all but the newest few bundles, so the cache does not grow with every edit. */
function prune(dir: string, current: string): void {
  const bundles = fs
    .readdirSync(dir)
    .filter((f) => /^[0-9a-f]{32}(-[\w-]+)?\.js$/.test(f) && f !== `${current}.js`)
    .map((f) => ({ f, at: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { f } of bundles.slice(KEEP)) {
    fs.rmSync(path.join(dir, f), { force: true });
    fs.rmSync(path.join(dir, `${f}.map`), { force: true });
  }
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleKey, cachedBundle, defaultBundleCacheDir } from '../../src/workers/bundle-cache';
import { workerConfigFromEnv } from '../../src/workers/config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bundle-cache-'));

function sources(): string {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'workflows'));
  fs.writeFileSync(path.join(dir, 'workflows', 'index.ts'), 'export * from "./orchestration";\n');
  fs.writeFileSync(path.join(dir, 'workflows', 'orchestration.ts'), 'export async function orchestration() {}\n');
  return dir;
}

describe('bundleKey', () => {
  test('is stable for the same sources and changes with any file, new file or lockfile', () => {
    const dir = sources();
    const lock = path.join(tmp(), 'package-lock.json');
    fs.writeFileSync(lock, '{"v":1}');
    const key = bundleKey(dir, [lock]);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(bundleKey(dir, [lock])).toBe(key);

    fs.appendFileSync(path.join(dir, 'workflows', 'orchestration.ts'), '// edited\n');
    const edited = bundleKey(dir, [lock]);
    expect(edited).not.toBe(key);

    fs.writeFileSync(path.join(dir, 'shared.ts'), 'export const x = 1;\n');
    const added = bundleKey(dir, [lock]);
    expect(added).not.toBe(edited);

    fs.writeFileSync(lock, '{"v":2}');
    expect(bundleKey(dir, [lock])).not.toBe(added);
  });

  test('a renamed file with the same contents is a different source', () => {
    const dir = sources();
    const before = bundleKey(dir);
    fs.renameSync(path.join(dir, 'workflows', 'index.ts'), path.join(dir, 'workflows', 'main.ts'));
    expect(bundleKey(dir)).not.toBe(before);
  });
});

describe('cachedBundle', () => {
  test('builds once per key, then reads the same code and source map from disk', async () => {
    const dir = path.join(tmp(), 'cache');
    const build = jest.fn(async () => ({ code: 'bundle-1', sourceMap: '{"map":1}' }));
    const first = await cachedBundle(dir, 'a'.repeat(32), build);
    expect(first).toEqual({ code: 'bundle-1', sourceMap: '{"map":1}', hit: false });
    const second = await cachedBundle(dir, 'a'.repeat(32), build);
    expect(second).toEqual({ code: 'bundle-1', sourceMap: '{"map":1}', hit: true });
    expect(build).toHaveBeenCalledTimes(1);

    const other = await cachedBundle(dir, 'b'.repeat(32), async () => ({ code: 'bundle-2', sourceMap: '{}' }));
    expect(other.hit).toBe(false);
    expect(other.code).toBe('bundle-2');
    // No temp files are left behind.
    expect(fs.readdirSync(dir).sort()).toEqual([`${'a'.repeat(32)}.js`, `${'a'.repeat(32)}.js.map`, `${'b'.repeat(32)}.js`, `${'b'.repeat(32)}.js.map`]);
  });

  test('a code file without its map is rebuilt, not half read', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, `${'c'.repeat(32)}.js`), 'stale');
    const got = await cachedBundle(dir, 'c'.repeat(32), async () => ({ code: 'fresh', sourceMap: '{}' }));
    expect(got).toEqual({ code: 'fresh', sourceMap: '{}', hit: false });
  });

  test('an unwritable cache still returns the built bundle', async () => {
    const file = path.join(tmp(), 'not-a-dir');
    fs.writeFileSync(file, '');
    const got = await cachedBundle(path.join(file, 'cache'), 'd'.repeat(32), async () => ({ code: 'built', sourceMap: '{}' }));
    expect(got).toEqual({ code: 'built', sourceMap: '{}', hit: false });
  });

  test('keeps only the newest few bundles besides the current one', async () => {
    const dir = tmp();
    for (let i = 0; i < 8; i++) {
      // Variants of a key (a bundle with extra interceptors) are pruned like the rest.
      const key = String(i).repeat(32) + (i % 2 ? '-otel' : '');
      await cachedBundle(dir, key, async () => ({ code: `b${i}`, sourceMap: '{}' }));
      fs.utimesSync(path.join(dir, `${key}.js`), 1000 + i, 1000 + i);
    }
    const kept = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
    expect(kept.length).toBeLessThanOrEqual(5);
    expect(kept).toContain(`${'7'.repeat(32)}-otel.js`);
    expect(kept).not.toContain(`${'0'.repeat(32)}.js`);
  });

  test('lives under XDG_CACHE_HOME when it is absolute, else ~/.cache', () => {
    expect(defaultBundleCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/baton/workflow-bundles');
    expect(defaultBundleCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/baton/workflow-bundles');
  });
});

describe('worker settings', () => {
  test('BATON_MAX_CACHED_WORKFLOWS and BATON_BUNDLE_CACHE_DIR are read; unset leaves the SDK default', () => {
    const set = workerConfigFromEnv({ BATON_DATA_DIR: '/d', BATON_MAX_CACHED_WORKFLOWS: '250', BATON_BUNDLE_CACHE_DIR: '/c' });
    expect(set).toMatchObject({ maxCachedWorkflows: 250, bundleCacheDir: '/c' });
    expect(workerConfigFromEnv({ BATON_DATA_DIR: '/d' }).maxCachedWorkflows).toBeUndefined();
  });

  test('BATON_WORKFLOW_THREADS is read; unset leaves the SDK default (one thread)', () => {
    expect(workerConfigFromEnv({ BATON_DATA_DIR: '/d', BATON_WORKFLOW_THREADS: '2' }).workflowThreads).toBe(2);
    expect(workerConfigFromEnv({ BATON_DATA_DIR: '/d' }).workflowThreads).toBeUndefined();
  });

  test.each(['two', '0', '1.5', '65'])('BATON_WORKFLOW_THREADS=%s is refused, naming the setting', (value) => {
    expect(() => workerConfigFromEnv({ BATON_DATA_DIR: '/d', BATON_WORKFLOW_THREADS: value })).toThrow(/workflowThreads/);
  });

  test.each(['many', '-1', '1.5'])('BATON_MAX_CACHED_WORKFLOWS=%s is refused, naming the setting', (value) => {
    expect(() => workerConfigFromEnv({ BATON_DATA_DIR: '/d', BATON_MAX_CACHED_WORKFLOWS: value })).toThrow(/maxCachedWorkflows/);
  });
});

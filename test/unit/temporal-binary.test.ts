import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  TEMPORAL_CLI_VERSION,
  resolveTemporalCli,
  temporalCliCacheDir,
  type BuildTemporalCli,
} from '../../src/server/temporal-binary';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-cli-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function fakeExecutable(file: string, mode = 0o755): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\necho fake\n', { mode });
  fs.chmodSync(file, mode);
  return file;
}

/** An env with no real `temporal` or `go` anywhere and the cache under the temp root. */
function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: path.join(root, 'empty-bin'), XDG_CACHE_HOME: path.join(root, 'cache'), HOME: root, ...extra };
}

const fakeBuild =
  (calls: string[], delayMs = 0): BuildTemporalCli =>
  async ({ gobin }) => {
    calls.push(gobin);
    await new Promise((r) => setTimeout(r, delayMs));
    fakeExecutable(path.join(gobin, 'temporal'));
  };

describe('resolveTemporalCli', () => {
  it('pins v1.5.1', () => expect(TEMPORAL_CLI_VERSION).toBe('v1.5.1'));

  it('prefers TEMPORAL_CLI over PATH', async () => {
    const cli = fakeExecutable(path.join(root, 'custom', 'my-temporal'));
    fakeExecutable(path.join(root, 'bin', 'temporal'));
    const env = isolatedEnv({ TEMPORAL_CLI: cli, PATH: path.join(root, 'bin') });
    await expect(resolveTemporalCli({ env })).resolves.toBe(cli);
  });

  it('names TEMPORAL_CLI when it points at a non-executable file', async () => {
    const file = fakeExecutable(path.join(root, 'not-exec'), 0o644);
    const env = isolatedEnv({ TEMPORAL_CLI: file });
    await expect(resolveTemporalCli({ env })).rejects.toThrow(/TEMPORAL_CLI.*not an executable/);
  });

  it('names TEMPORAL_CLI when it points at nothing', async () => {
    const env = isolatedEnv({ TEMPORAL_CLI: path.join(root, 'missing') });
    await expect(resolveTemporalCli({ env })).rejects.toThrow(/TEMPORAL_CLI/);
  });

  it('finds an executable temporal on PATH, skipping non-executable ones', async () => {
    fakeExecutable(path.join(root, 'a', 'temporal'), 0o644);
    const good = fakeExecutable(path.join(root, 'b', 'temporal'));
    const env = isolatedEnv({ PATH: [path.join(root, 'a'), path.join(root, 'b')].join(path.delimiter) });
    await expect(resolveTemporalCli({ env })).resolves.toBe(good);
  });

  it('uses the cached binary without building', async () => {
    const env = isolatedEnv();
    const cached = fakeExecutable(path.join(temporalCliCacheDir(env), 'temporal'));
    const calls: string[] = [];
    await expect(resolveTemporalCli({ env, build: fakeBuild(calls) })).resolves.toBe(cached);
    expect(calls).toHaveLength(0);
  });

  it('puts the cache under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(temporalCliCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/baton/temporal-cli/v1.5.1');
    expect(temporalCliCacheDir({ HOME: '/h' })).toBe('/h/.cache/baton/temporal-cli/v1.5.1');
  });

  it('builds into a temp dir inside the cache, moves it into place and cleans up', async () => {
    const env = isolatedEnv();
    const calls: string[] = [];
    const progress: string[] = [];
    const cli = await resolveTemporalCli({ env, build: fakeBuild(calls), onProgress: (m) => progress.push(m) });
    const cacheDir = temporalCliCacheDir(env);
    expect(cli).toBe(path.join(cacheDir, 'temporal'));
    expect(path.dirname(calls[0]!)).toBe(cacheDir);
    expect(fs.readdirSync(cacheDir).filter((f) => f.startsWith('.build'))).toEqual([]);
    expect(progress[0]).toMatch(/Building Temporal CLI v1\.5\.1 with go install \(first run only/);
  });

  it('reports progress while a build is slow', async () => {
    const progress: string[] = [];
    await resolveTemporalCli({
      env: isolatedEnv(),
      build: fakeBuild([], 120),
      progressIntervalMs: 40,
      onProgress: (m) => progress.push(m),
    });
    expect(progress.some((m) => /^still building… \d+s$/.test(m))).toBe(true);
  });

  it('builds once when two callers race; the second waits for the first', async () => {
    const env = isolatedEnv();
    const calls: string[] = [];
    const progress: string[] = [];
    const opts = { env, build: fakeBuild(calls, 300), lockPollMs: 20, onProgress: (m: string) => progress.push(m) };
    const [a, b] = await Promise.all([resolveTemporalCli(opts), resolveTemporalCli(opts)]);
    expect(a).toBe(b);
    expect(calls).toHaveLength(1);
    expect(progress.some((m) => m.startsWith('Waiting for another process'))).toBe(true);
  });

  it('builds once when two processes race', async () => {
    const env = isolatedEnv();
    const counter = path.join(root, 'builds.txt');
    const script = `
      const fs = require('node:fs');
      const path = require('node:path');
      const { resolveTemporalCli } = require(${JSON.stringify(path.resolve(__dirname, '../../src/server/temporal-binary'))});
      const build = async ({ gobin }) => {
        fs.appendFileSync(${JSON.stringify(counter)}, 'x');
        await new Promise((r) => setTimeout(r, 800));
        fs.writeFileSync(path.join(gobin, 'temporal'), '#!/bin/sh\\n', { mode: 0o755 });
      };
      resolveTemporalCli({ env: ${JSON.stringify(env)}, build, lockPollMs: 20, onProgress: () => {} })
        .then((p) => process.stdout.write(p));
    `;
    const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = execFile(tsx, ['-e', script], (err: Error | null, out: string) =>
          err ? reject(err) : resolve(out),
        );
        child.stdin?.end();
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a).toBe(path.join(temporalCliCacheDir(env), 'temporal'));
    expect(b).toBe(a);
    expect(fs.readFileSync(counter, 'utf8')).toBe('x');
  }, 30_000);

  it('takes over a lock left by a dead process', async () => {
    const env = isolatedEnv();
    const cacheDir = temporalCliCacheDir(env);
    fs.mkdirSync(cacheDir, { recursive: true });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    fs.writeFileSync(path.join(cacheDir, '.build.lock'), JSON.stringify({ pid: deadPid, startedAt: 0 }));
    const calls: string[] = [];
    const progress: string[] = [];
    const cli = await resolveTemporalCli({ env, build: fakeBuild(calls), onProgress: (m) => progress.push(m) });
    expect(cli).toBe(path.join(cacheDir, 'temporal'));
    expect(calls).toHaveLength(1);
    expect(progress.some((m) => m.startsWith('Waiting'))).toBe(false);
  });

  it('leaves no binary and no lock when the build fails', async () => {
    const env = isolatedEnv();
    const build: BuildTemporalCli = async ({ gobin }) => {
      fs.writeFileSync(path.join(gobin, 'temporal'), 'half a bin');
      throw new Error('compiler exploded');
    };
    await expect(resolveTemporalCli({ env, build, onProgress: () => {} })).rejects.toThrow('compiler exploded');
    expect(fs.readdirSync(temporalCliCacheDir(env)).filter((f) => f !== 'build.log')).toEqual([]);
  });

  it('explains how to fix a missing Go toolchain', async () => {
    const env = isolatedEnv();
    const err = await resolveTemporalCli({ env, onProgress: () => {} }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/install Go/);
    expect((err as Error).message).toMatch(/TEMPORAL_CLI=/);
  });
});

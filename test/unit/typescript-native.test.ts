/**
 * scripts/typescript-native.mjs: `npm run mutate` links TypeScript 7 from the per-user cache into
 * node_modules/@typescript/native. The module is plain ESM (mutate.mjs runs without a TypeScript loader), so each
 * case runs it in a child node with a stand-in install that writes the package.json npm would have.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MODULE = path.resolve(__dirname, '../../scripts/typescript-native.mjs');

interface Outcome {
  link?: string;
  installs: number;
  error?: string;
}

/** Runs ensureTypescriptNative in a child node; its install writes version `writes` (nothing when null). */
function ensure(projectDir: string, cache: string, writes: string | null): Outcome {
  const script = `
    import fs from 'node:fs';
    import path from 'node:path';
    const { ensureTypescriptNative } = await import(${JSON.stringify(MODULE)});
    let installs = 0;
    const install = (dir) => {
      installs++;
      const version = ${JSON.stringify(writes)};
      if (version === null) return;
      const pkg = path.join(dir, 'node_modules', 'typescript');
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'typescript', version }));
    };
    try {
      const link = ensureTypescriptNative({ projectDir: ${JSON.stringify(projectDir)}, env: { XDG_CACHE_HOME: ${JSON.stringify(cache)} }, install });
      console.log(JSON.stringify({ link, installs }));
    } catch (err) {
      console.log(JSON.stringify({ error: err.message, installs }));
    }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Outcome;
}

function tempDirs(): { project: string; cache: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-ts-native-'));
  const project = path.join(root, 'project');
  fs.mkdirSync(path.join(project, 'node_modules'), { recursive: true });
  return { project, cache: path.join(root, 'cache') };
}

const version = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;

describe('ensureTypescriptNative', () => {
  it('installs TypeScript 7 into the cache once and links it as @typescript/native, leaving node_modules/.bin alone', () => {
    const { project, cache } = tempDirs();
    const first = ensure(project, cache, '7.0.2');
    expect(first).toEqual({ link: path.join(project, 'node_modules', '@typescript', 'native'), installs: 1 });
    expect(fs.realpathSync(first.link!)).toBe(fs.realpathSync(path.join(cache, 'baton', 'typescript-native', '7.0.2', 'node_modules', 'typescript')));
    expect(version(first.link!)).toBe('7.0.2');
    expect(fs.existsSync(path.join(project, 'node_modules', '.bin'))).toBe(false);
    expect(ensure(project, cache, '7.0.2').installs).toBe(0);
  });

  it('reuses the cache for a fresh node_modules (npm ci removed the link)', () => {
    const { project, cache } = tempDirs();
    ensure(project, cache, '7.0.2');
    fs.rmSync(path.join(project, 'node_modules'), { recursive: true });
    fs.mkdirSync(path.join(project, 'node_modules'));
    const again = ensure(project, cache, '7.0.2');
    expect(again.installs).toBe(0);
    expect(version(again.link!)).toBe('7.0.2');
  });

  it('replaces a link to another version', () => {
    const { project, cache } = tempDirs();
    const old = path.join(cache, 'old');
    fs.mkdirSync(old, { recursive: true });
    fs.writeFileSync(path.join(old, 'package.json'), JSON.stringify({ version: '7.0.0-dev' }));
    fs.mkdirSync(path.join(project, 'node_modules', '@typescript'));
    fs.symlinkSync(old, path.join(project, 'node_modules', '@typescript', 'native'), 'dir');
    const outcome = ensure(project, cache, '7.0.2');
    expect(outcome.installs).toBe(1);
    expect(version(outcome.link!)).toBe('7.0.2');
  });

  it('refuses to replace a real folder holding another version, naming it', () => {
    const { project, cache } = tempDirs();
    const installed = path.join(project, 'node_modules', '@typescript', 'native');
    fs.mkdirSync(installed, { recursive: true });
    fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ version: '7.1.0' }));
    const outcome = ensure(project, cache, '7.0.2');
    expect(outcome.error).toBe(`${installed} holds TypeScript 7.1.0, not 7.0.2: remove it and run again`);
    expect(outcome.installs).toBe(0);
  });

  it('says so when the install left no TypeScript 7 behind', () => {
    const { project, cache } = tempDirs();
    const outcome = ensure(project, cache, null);
    expect(outcome.error).toBe(`TypeScript 7.0.2 is not in ${path.join(cache, 'baton', 'typescript-native', '7.0.2', 'node_modules', 'typescript')} after installing it`);
    expect(fs.existsSync(path.join(project, 'node_modules', '@typescript', 'native'))).toBe(false);
  });
});

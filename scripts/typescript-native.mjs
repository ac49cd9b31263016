/**
 * TypeScript 7's native compiler for Stryker's type checker (`experimentalNativePreview`). It checks a mutant
 * several times faster than TypeScript 5, which took a core of its own under `npm run mutate`.
 *
 * It is not a devDependency on purpose: its package is named `typescript` and ships a `tsc` bin, which would
 * shadow the project's TypeScript 5 in node_modules/.bin (and TypeScript 7 refuses this project's tsconfig).
 * So it lives in the per-user cache, installed from npm on first use, and node_modules/@typescript/native
 * links to it, which is where the checker imports it from.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TYPESCRIPT_NATIVE_VERSION = '7.0.2';

/** `${XDG_CACHE_HOME:-~/.cache}/baton/typescript-native/<version>`, beside the Temporal CLI's cache. */
export function typescriptNativeCacheDir(env = process.env) {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'baton', 'typescript-native', TYPESCRIPT_NATIVE_VERSION);
}

/** The version in a package folder's package.json, or undefined when there is none. */
function versionAt(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** `npm install typescript@<version>` into the cache folder, outside any project. */
function npmInstall(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "baton-typescript-native", "private": true }\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `typescript@${TYPESCRIPT_NATIVE_VERSION}`];
  const run = spawnSync(npm, args, { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`could not install TypeScript ${TYPESCRIPT_NATIVE_VERSION} into ${dir} (npm exited ${run.status ?? run.signal})`);
}

/**
 * Makes `@typescript/native` importable from the project: links node_modules/@typescript/native to the cached
 * TypeScript 7, installing it first if needed. Returns the link. `install` is replaceable for tests.
 */
export function ensureTypescriptNative({ projectDir, env = process.env, install = npmInstall }) {
  const link = path.join(projectDir, 'node_modules', '@typescript', 'native');
  const present = versionAt(link);
  if (present === TYPESCRIPT_NATIVE_VERSION) return link;
  const stat = fs.lstatSync(link, { throwIfNoEntry: false });
  if (stat && !stat.isSymbolicLink()) {
    throw new Error(`${link} holds TypeScript ${present ?? '(unreadable)'}, not ${TYPESCRIPT_NATIVE_VERSION}: remove it and run again`);
  }
  const target = path.join(typescriptNativeCacheDir(env), 'node_modules', 'typescript');
  if (versionAt(target) !== TYPESCRIPT_NATIVE_VERSION) install(typescriptNativeCacheDir(env));
  if (versionAt(target) !== TYPESCRIPT_NATIVE_VERSION) throw new Error(`TypeScript ${TYPESCRIPT_NATIVE_VERSION} is not in ${target} after installing it`);
  if (stat) fs.unlinkSync(link);
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(target, link, 'dir');
  return link;
}

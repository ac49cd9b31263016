import { hostname } from 'node:os';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** How long a lock may be held before another process may take it (a landing takes seconds). */
const STALE_MS = 10 * 60_000;
const WAIT_MS = 120_000;

/** Whether the holder written in a lock file is gone: a dead process on this host, or a lock older than STALE_MS. */
function stale(text: string, nowMs: number): boolean {
  const [pid, host, at] = text.split('\n');
  if (host === hostname() && pid && Number(pid) > 0) {
    try {
      process.kill(Number(pid), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    }
  }
  const since = Number(at);
  return !Number.isFinite(since) || nowMs - since > STALE_MS;
}

let takes = 0;

/** Creates the lock file with its holder already written (a written temp file hard-linked into place), or returns false when it exists. */
async function take(file: string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${++takes}`;
  await writeFile(tmp, `${process.pid}\n${hostname()}\n${Date.now()}\n`);
  try {
    await link(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Runs `fn` holding the repository's Baton lock (`<git-common-dir>/baton/landing.lock`), so landings, worktree
 * changes and roadmap commits from several workers never interleave. A lock left by a killed worker is taken over.
 */
export async function withRepoLock<T>(gitCommonDir: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const dir = path.join(gitCommonDir, 'baton');
  const file = path.join(dir, 'landing.lock');
  await mkdir(dir, { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
    if (signal?.aborted) throw new Error(`gave up waiting for ${file}: cancelled`);
    if (await take(file)) {
      try {
        return await fn();
      } finally {
        await rm(file, { force: true });
      }
    }
    const holder = await readFile(file, 'utf8').catch(() => undefined);
    // The file is made whole (link of a written file), so an empty or unreadable one is a leftover: judge it by its age.
    const age = Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (holder === undefined ? false : holder ? stale(holder, Date.now()) : age > 5_000) await rm(file, { force: true });
    else if (Date.now() > deadline) throw new Error(`${file} is held by another Baton worker (${(holder ?? '').split('\n').slice(0, 2).join(' on ')}) for over ${WAIT_MS / 1000} s`);
    else await new Promise((r) => setTimeout(r, wait));
  }
}

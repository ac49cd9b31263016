import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

let writes = 0;

/** Writes `content` to `file` (creating its folder) via a sibling temp file and a rename, so readers never see half a file. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${++writes}`;
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Why `dir` cannot be worked in (relative, missing or not a directory), or undefined when it can. */
export async function folderProblem(dir: string): Promise<string | undefined> {
  // A relative path would depend on where the worker happens to run.
  if (!path.isAbsolute(dir)) return 'is not an absolute path';
  const found = await stat(dir).catch(() => undefined);
  if (!found) return 'does not exist';
  return found.isDirectory() ? undefined : 'is not a directory';
}

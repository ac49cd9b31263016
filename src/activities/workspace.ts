import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AgentRuntimeError } from '../agents/runtime';
import { Failure } from '../shared/failures';
import { ProjectName } from '../shared/schemas';

/** `<dataDir>/<project>`: everything Baton keeps for one project; the name is checked so it cannot climb out. */
export function projectDir(dataDir: string, project: string): string {
  const parsed = ProjectName.safeParse(project);
  if (!parsed.success) {
    throw new AgentRuntimeError(Failure.InputInvalid, `invalid project "${project}": ${parsed.error.issues[0]?.message ?? 'bad name'}`, false);
  }
  return path.join(path.resolve(dataDir), parsed.data);
}

/** `<dataDir>/<project>/workspace`: the directory agents of a project share. */
export function workspaceDir(dataDir: string, project: string): string {
  return path.join(projectDir(dataDir, project), 'workspace');
}

/** Why `relPath` may not be used inside a workspace, or undefined when it is fine. */
export function workspacePathProblem(relPath: string): string | undefined {
  if (relPath.trim() === '') return 'path is empty';
  if (relPath.includes('\0')) return 'path contains a NUL byte';
  if (path.isAbsolute(relPath) || path.win32.isAbsolute(relPath)) return 'path must be relative to the workspace, not absolute';
  if (relPath.split(/[\\/]/).includes('..')) return 'path must not contain ".." segments';
  return undefined;
}

/** Absolute path of `relPath` inside `workspace`; throws when it would land outside. */
export function resolveInWorkspace(workspace: string, relPath: string): string {
  const problem = workspacePathProblem(relPath);
  const root = path.resolve(workspace);
  const target = path.resolve(root, relPath);
  // The segment check catches `..`; the prefix check also catches anything path.resolve normalises away.
  if (problem || target === root || !target.startsWith(root + path.sep)) {
    throw new AgentRuntimeError(Failure.InputInvalid, `refused workspace path "${relPath}": ${problem ?? 'it resolves outside the workspace'}`, false);
  }
  return target;
}

/** Throws when `dir` (which exists) is reached through a symlink that leaves the workspace. */
async function assertRealInside(workspace: string, dir: string, relPath: string): Promise<void> {
  const [root, real] = await Promise.all([realpath(workspace), realpath(dir)]);
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new AgentRuntimeError(Failure.InputInvalid, `refused workspace path "${relPath}": it leads outside the workspace through a link`, false);
  }
}

/** Writes `content` to `relPath` inside `workspace`, creating folders; returns the normalised relative path. */
export async function writeWorkspaceFile(workspace: string, relPath: string, content: string): Promise<string> {
  const target = resolveInWorkspace(workspace, relPath);
  await mkdir(path.dirname(target), { recursive: true });
  await assertRealInside(workspace, path.dirname(target), relPath);
  await writeFile(target, content, 'utf8');
  return path.relative(path.resolve(workspace), target).split(path.sep).join('/');
}

/** Reads `relPath` inside `workspace`, or undefined when it does not exist. */
export async function readWorkspaceFile(workspace: string, relPath: string): Promise<string | undefined> {
  const target = resolveInWorkspace(workspace, relPath);
  try {
    await assertRealInside(workspace, path.dirname(target), relPath);
    return await readFile(target, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

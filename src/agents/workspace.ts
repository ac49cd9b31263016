import { lstat, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Failure } from '../shared/failures';
import { ProjectName } from '../shared/schemas';
import { AgentRuntimeError } from './runtime';

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

const refused = (relPath: string, why: string) => new AgentRuntimeError(Failure.InputInvalid, `refused workspace path "${relPath}": ${why}`, false);

const inside = (root: string, target: string, allowRoot: boolean) => (allowRoot && target === root) || target.startsWith(root + path.sep);

/** Absolute path of `relPath` inside `workspace` (`allowRoot`: "." names the workspace itself); throws when it would land outside. */
export function resolveInWorkspace(workspace: string, relPath: string, opts: { allowRoot?: boolean } = {}): string {
  const problem = workspacePathProblem(relPath);
  const root = path.resolve(workspace);
  const target = path.resolve(root, relPath);
  // The segment check catches `..`; the prefix check also catches anything path.resolve normalises away.
  if (problem) throw refused(relPath, problem);
  if (!inside(root, target, opts.allowRoot ?? false)) throw refused(relPath, 'it resolves outside the workspace');
  return target;
}

/** `abs` (inside `workspace`) as a workspace-relative path with forward slashes. */
export function relativeInWorkspace(workspace: string, abs: string): string {
  return path.relative(path.resolve(workspace), abs).split(path.sep).join('/') || '.';
}

/** Throws when `target` (which exists) really lives outside the workspace, through a symlink anywhere on its way. */
async function assertRealInside(workspace: string, target: string, relPath: string, allowRoot = true): Promise<void> {
  const [root, real] = await Promise.all([realpath(workspace), realpath(target)]);
  if (!inside(root, real, allowRoot)) throw refused(relPath, 'it leads outside the workspace through a link');
}

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Absolute path of an existing file or folder at `relPath`, after checking that no symlink leads it out; undefined when absent. */
export async function resolveExisting(workspace: string, relPath: string, opts: { allowRoot?: boolean } = {}): Promise<string | undefined> {
  const target = resolveInWorkspace(workspace, relPath, opts);
  try {
    await assertRealInside(workspace, target, relPath, opts.allowRoot ?? false);
    return target;
  } catch (err) {
    if (missing(err)) return undefined;
    throw err;
  }
}

/** Absolute path to write `relPath` to: parent folders created and checked, and an existing link at the path must stay inside. */
export async function resolveForWrite(workspace: string, relPath: string): Promise<string> {
  const target = resolveInWorkspace(workspace, relPath);
  await mkdir(path.dirname(target), { recursive: true });
  await assertRealInside(workspace, path.dirname(target), relPath);
  const stat = await lstat(target).catch((err: unknown) => (missing(err) ? undefined : Promise.reject(err)));
  if (stat?.isSymbolicLink()) {
    // A dangling link would let writeFile create its target wherever it points.
    const real = await realpath(target).catch(() => undefined);
    const root = await realpath(workspace);
    if (!real || !inside(root, real, false)) throw refused(relPath, 'it leads outside the workspace through a link');
  }
  return target;
}

/** Writes `content` to `relPath` inside `workspace`, creating folders; returns the normalised relative path. */
export async function writeWorkspaceFile(workspace: string, relPath: string, content: string | Buffer): Promise<string> {
  const target = await resolveForWrite(workspace, relPath);
  await writeFile(target, content);
  return relativeInWorkspace(workspace, target);
}

/** Reads `relPath` inside `workspace`, or undefined when it does not exist. */
export async function readWorkspaceFile(workspace: string, relPath: string): Promise<string | undefined> {
  const target = await resolveExisting(workspace, relPath);
  if (target === undefined) return undefined;
  try {
    return await readFile(target, 'utf8');
  } catch (err) {
    if (missing(err)) return undefined;
    throw err;
  }
}

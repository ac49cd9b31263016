import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readWorkspaceFile, resolveInWorkspace, workspaceDir, writeWorkspaceFile } from '../../src/agents/workspace';

describe('workspace confinement', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'baton-ws-'));
  const workspace = path.join(root, 'demo', 'workspace');
  mkdirSync(workspace, { recursive: true });

  it('puts a project workspace at <dataDir>/<project>/workspace', () => {
    expect(workspaceDir(root, 'demo')).toBe(workspace);
  });

  it('resolves relative paths inside the workspace', () => {
    expect(resolveInWorkspace(workspace, 'site/index.html')).toBe(path.join(workspace, 'site', 'index.html'));
    expect(resolveInWorkspace(workspace, './a/./b.md')).toBe(path.join(workspace, 'a', 'b.md'));
  });

  it.each([
    ['../x', '".." segments'],
    ['a/../../x', '".." segments'],
    ['/etc/passwd', 'not absolute'],
    ['', 'empty'],
    ['.', 'outside the workspace'],
  ])('refuses %j (%s)', (bad, reason) => {
    expect(() => resolveInWorkspace(workspace, bad)).toThrow(reason);
  });

  it('writes and reads files, returning the relative path with forward slashes', async () => {
    expect(await writeWorkspaceFile(workspace, 'notes/a.md', 'hello')).toBe('notes/a.md');
    expect(await readWorkspaceFile(workspace, 'notes/a.md')).toBe('hello');
    expect(await readWorkspaceFile(workspace, 'notes/missing.md')).toBeUndefined();
  });

  it('refuses to write through a symlink that leaves the workspace', async () => {
    const outside = path.join(root, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, path.join(workspace, 'link'));
    await expect(writeWorkspaceFile(workspace, 'link/x.md', 'pwned')).rejects.toThrow('through a link');
  });
});

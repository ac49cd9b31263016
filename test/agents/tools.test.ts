import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROLE_PROFILES } from '../../src/agents/roles';
import { commandProblem } from '../../src/agents/tools/run-command';
import { DEFAULT_TOOL_LIMITS, runTool, toApiTool, type ToolContext, type ToolLimits } from '../../src/agents/tools/tool';
import { READ_TOOLS, toolsForRole, WRITE_TOOLS } from '../../src/agents/tools/toolset';
import { artifactsDir, FileArtifactStore } from '../../src/artifacts/artifact-store';

const ALL = [...READ_TOOLS, ...WRITE_TOOLS];

function setup(limits: Partial<ToolLimits> = {}, commands: readonly string[] = ['node', 'ls']) {
  const root = mkdtempSync(path.join(tmpdir(), 'baton-tools-'));
  const workspace = path.join(root, 'workspace');
  mkdirSync(path.join(workspace, 'src'), { recursive: true });
  writeFileSync(path.join(workspace, 'src/a.ts'), 'export const a = 1;\nexport const b = 2;\n');
  writeFileSync(path.join(workspace, 'README.md'), '# Demo\nHello world\n');
  mkdirSync(path.join(root, 'outside'));
  writeFileSync(path.join(root, 'outside/secret.txt'), 'top secret\n');
  const ctx: ToolContext = {
    project: 'demo',
    workspace,
    artifacts: new FileArtifactStore(artifactsDir(root)),
    commands,
    limits: { ...DEFAULT_TOOL_LIMITS, ...limits },
    signal: new AbortController().signal,
    written: [],
  };
  const use = (name: string, input: unknown) => runTool(ALL, name, input, ctx);
  return { root, workspace, ctx, use };
}

describe('read-only tools', () => {
  it('list_files lists a folder, marks folders, and walks recursively', async () => {
    const { use } = setup();
    expect(await use('list_files', {})).toEqual({ isError: false, content: 'README.md\nsrc/' });
    expect((await use('list_files', { path: '.', recursive: true })).content).toBe('README.md\nsrc/\nsrc/a.ts');
    expect(await use('list_files', { path: 'src' })).toEqual({ isError: false, content: 'src/a.ts' });
  });

  it('list_files caps the number of entries', async () => {
    const { use, workspace } = setup({ maxListEntries: 2 });
    for (const n of [1, 2, 3, 4]) writeFileSync(path.join(workspace, `f${n}`), '');
    expect((await use('list_files', {})).content).toMatch(/\n… and 4 more entries/);
  });

  it('read_file reads a whole file or a range of lines', async () => {
    const { use } = setup();
    expect(await use('read_file', { path: 'README.md' })).toEqual({ isError: false, content: '# Demo\nHello world\n' });
    expect((await use('read_file', { path: 'src/a.ts', startLine: 2, maxLines: 1 })).content).toBe('[lines 2-2 of 3]\nexport const b = 2;');
  });

  it('read_file says so for a missing file, a folder or a binary file', async () => {
    const { use, workspace } = setup();
    expect(await use('read_file', { path: 'nope.md' })).toEqual({ isError: true, content: 'nope.md does not exist in the workspace' });
    expect((await use('read_file', { path: 'src' })).content).toContain('is a folder');
    writeFileSync(path.join(workspace, 'logo.png'), Buffer.from([0x89, 0x50, 0, 0, 1]));
    expect((await use('read_file', { path: 'logo.png' })).content).toBe('logo.png is a binary file (5 bytes); not shown');
  });

  it('search_files finds substrings and regular expressions, as path:line: text', async () => {
    const { use } = setup();
    expect((await use('search_files', { pattern: 'const b' })).content).toBe('src/a.ts:2: export const b = 2;');
    expect((await use('search_files', { pattern: '^export const [ab]', regex: true })).content).toBe('src/a.ts:1: export const a = 1;\nsrc/a.ts:2: export const b = 2;');
    expect((await use('search_files', { pattern: 'HELLO', ignoreCase: true })).content).toBe('README.md:2: Hello world');
    expect((await use('search_files', { pattern: 'zebra' })).content).toBe('no matches for "zebra" under .');
    expect(await use('search_files', { pattern: '(', regex: true })).toMatchObject({ isError: true, content: expect.stringContaining('invalid regular expression') });
  });

  it('search_files stops at the match cap', async () => {
    const { use, workspace } = setup({ maxSearchMatches: 3 });
    writeFileSync(path.join(workspace, 'many.txt'), 'x\n'.repeat(10));
    expect((await use('search_files', { pattern: 'x' })).content).toContain('… stopped after 3 matches');
  });
});

describe('writing tools', () => {
  it('write_file creates folders and records what was written', async () => {
    const { use, workspace, ctx } = setup();
    expect(await use('write_file', { path: 'site/index.html', content: '<h1>Hi</h1>' })).toEqual({ isError: false, content: 'wrote 11 bytes to site/index.html' });
    expect(readFileSync(path.join(workspace, 'site/index.html'), 'utf8')).toBe('<h1>Hi</h1>');
    expect(ctx.written).toEqual(['site/index.html']);
  });

  it('edit_file replaces exact text once, and fails clearly when it is missing or ambiguous', async () => {
    const { use, workspace } = setup();
    expect(await use('edit_file', { path: 'src/a.ts', oldText: 'const a = 1', newText: 'const a = 10' })).toEqual({ isError: false, content: 'replaced 1 occurrence(s) in src/a.ts' });
    expect(readFileSync(path.join(workspace, 'src/a.ts'), 'utf8')).toBe('export const a = 10;\nexport const b = 2;\n');
    expect(await use('edit_file', { path: 'src/a.ts', oldText: 'const c', newText: 'x' })).toMatchObject({ isError: true, content: expect.stringContaining('oldText was not found in src/a.ts') });
    expect(await use('edit_file', { path: 'src/a.ts', oldText: 'export', newText: 'x' })).toMatchObject({ isError: true, content: expect.stringContaining('occurs 2 times') });
    expect(await use('edit_file', { path: 'src/a.ts', oldText: 'export ', newText: '', replaceAll: true })).toEqual({ isError: false, content: 'replaced 2 occurrence(s) in src/a.ts' });
    expect(await use('edit_file', { path: 'new.ts', oldText: 'a', newText: 'b' })).toMatchObject({ isError: true, content: expect.stringContaining('create it with write_file') });
  });
});

describe('confinement', () => {
  it.each([
    ['read_file', { path: '../outside/secret.txt' }, '".." segments'],
    ['read_file', { path: '/etc/passwd' }, 'not absolute'],
    ['write_file', { path: '../x.txt', content: 'x' }, '".." segments'],
    ['write_file', { path: '/tmp/x.txt', content: 'x' }, 'not absolute'],
    ['list_files', { path: '..' }, '".." segments'],
    ['search_files', { pattern: 'secret', path: 'src/../..' }, '".." segments'],
    ['edit_file', { path: '../outside/secret.txt', oldText: 'top', newText: 'x' }, '".." segments'],
  ])('%s refuses %j', async (tool, input, reason) => {
    const { use, root } = setup();
    const outcome = await use(tool, input);
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toContain('refused workspace path');
    expect(outcome.content).toContain(reason);
    expect(readFileSync(path.join(root, 'outside/secret.txt'), 'utf8')).toBe('top secret\n');
    expect(existsSync(path.join(root, 'x.txt'))).toBe(false);
  });

  it('refuses symlinks that lead outside, for reading, listing, editing and writing', async () => {
    const { use, workspace, root } = setup();
    symlinkSync(path.join(root, 'outside/secret.txt'), path.join(workspace, 'leak.txt'));
    symlinkSync(path.join(root, 'outside'), path.join(workspace, 'door'));
    symlinkSync(path.join(root, 'outside/new.txt'), path.join(workspace, 'dangling.txt'));
    for (const [tool, input] of [
      ['read_file', { path: 'leak.txt' }],
      ['read_file', { path: 'door/secret.txt' }],
      ['list_files', { path: 'door' }],
      ['edit_file', { path: 'leak.txt', oldText: 'top', newText: 'x' }],
      ['write_file', { path: 'leak.txt', content: 'x' }],
      ['write_file', { path: 'door/new.txt', content: 'x' }],
      ['write_file', { path: 'dangling.txt', content: 'x' }],
    ] as const) {
      const outcome = await use(tool, input);
      expect([tool, outcome.isError, outcome.content]).toEqual([tool, true, expect.stringContaining('outside the workspace through a link')]);
    }
    expect(readFileSync(path.join(root, 'outside/secret.txt'), 'utf8')).toBe('top secret\n');
    expect(existsSync(path.join(root, 'outside/new.txt'))).toBe(false);
    // Listing and searching show links but never follow them.
    expect((await use('list_files', {})).content).toContain('leak.txt (symlink)');
    expect((await use('search_files', { pattern: 'top secret' })).content).toContain('no matches');
  });
});

describe('run_command', () => {
  it('runs an allowed program in the workspace and reports exit code and output', async () => {
    const { use } = setup();
    const outcome = await use('run_command', { argv: ['node', '-e', 'console.log(require("fs").readdirSync(".").join(","))'] });
    expect(outcome).toEqual({ isError: false, content: expect.stringContaining('exit code 0\nstdout (14 bytes):\nREADME.md,src\n') });
  });

  it('refuses programs outside the allow-list or given by path', async () => {
    const { use } = setup();
    expect(await use('run_command', { argv: ['rm', '-rf', '.'] })).toEqual({ isError: true, content: 'refused: "rm" is not allowed for this role; allowed: node, ls' });
    expect(await use('run_command', { argv: ['/usr/bin/node', '-v'] })).toMatchObject({ isError: true, content: expect.stringContaining('by name, not by path') });
    expect(commandProblem(['npm'], [])).toBe('this role may not run commands');
  });

  it('refuses a cwd outside the workspace', async () => {
    const { use } = setup();
    expect(await use('run_command', { argv: ['ls'], cwd: '..' })).toMatchObject({ isError: true, content: expect.stringContaining('".." segments') });
  });

  it('kills a program at its timeout', async () => {
    const { use } = setup({ commandTimeoutMs: 300 });
    const started = Date.now();
    const outcome = await use('run_command', { argv: ['node', '-e', 'setTimeout(() => {}, 10000)'] });
    expect(outcome.content).toContain('killed after the 300 ms timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('caps the output it keeps, and sends results over the cap to the artifact store', async () => {
    const { use, ctx } = setup({ maxCommandOutputBytes: 1000, maxResultChars: 600 });
    const outcome = await use('run_command', { argv: ['node', '-e', 'process.stdout.write("y".repeat(5000))'] });
    expect(outcome.content.length).toBeLessThanOrEqual(600);
    const id = /artifact ([0-9a-f]{64})/.exec(outcome.content)?.[1] ?? '';
    const whole = (await ctx.artifacts.get(id)).toString('utf8');
    expect(whole).toContain('stdout (5000 bytes, cut):\n' + 'y'.repeat(1000) + '\n');
  });

  it('scrubs secrets from the environment', async () => {
    const { use } = setup();
    const saved = { ...process.env };
    Object.assign(process.env, { ANTHROPIC_API_KEY: 'sk-' + 'ant-nope', GITHUB_TOKEN: 'ghp_nope', MY_SECRET: 'nope', LANG: 'C.UTF-8' });
    try {
      const outcome = await use('run_command', { argv: ['node', '-e', 'console.log(JSON.stringify(Object.keys(process.env).sort()))'] });
      expect(outcome.content).not.toMatch(/ANTHROPIC_API_KEY|GITHUB_TOKEN|MY_SECRET/);
      expect(outcome.content).toContain('"LANG"');
      expect(outcome.content).toContain('"PATH"');
    } finally {
      process.env = saved;
    }
  });

  it('reports a program that cannot start', async () => {
    const { use } = setup({}, ['no-such-program-xyz']);
    expect((await use('run_command', { argv: ['no-such-program-xyz'] })).content).toContain('could not start: ENOENT');
  });
});

describe('tool plumbing', () => {
  it('turns unknown tools and invalid input into errors for the model', async () => {
    const { use } = setup();
    expect(await use('delete_everything', {})).toMatchObject({ isError: true, content: expect.stringContaining('unknown tool "delete_everything"') });
    expect(await use('read_file', { file: 'x' })).toMatchObject({ isError: true, content: expect.stringContaining('invalid input for read_file') });
  });

  it('declares JSON schemas the Messages API accepts', () => {
    const api = toApiTool(WRITE_TOOLS[1]!);
    expect(api).toMatchObject({ name: 'edit_file', input_schema: { type: 'object', required: ['path', 'oldText', 'newText'], additionalProperties: false } });
    expect(api.input_schema).not.toHaveProperty('$schema');
  });

  it('gives read-only roles read-only tools and writing roles the rest', () => {
    const names = (role: Parameters<typeof toolsForRole>[0]) => toolsForRole(role).map((t) => t.name);
    for (const role of ['researcher', 'analyst', 'reviewer', 'advisor'] as const) expect(names(role)).toEqual(['list_files', 'read_file', 'search_files']);
    for (const role of ['developer', 'qa', 'executor'] as const) {
      expect(names(role)).toEqual(['list_files', 'read_file', 'search_files', 'write_file', 'edit_file', 'run_command']);
      expect(ROLE_PROFILES[role].commands).toContain('node');
      expect(ROLE_PROFILES[role].commands).not.toContain('bash');
    }
  });
});

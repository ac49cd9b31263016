import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { relativeInWorkspace, resolveExisting } from '../workspace';
import { defineTool, ToolError, type ToolContext } from './tool';

/** Folders walks never enter: big, generated, and rarely what an agent is after. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

const relPath = (what: string) => z.string().min(1).describe(`${what}, relative to the workspace root ("." is the root)`);

/** Every entry under `dir` (depth-first, names sorted), not following symlinks and skipping SKIPPED_DIRS. */
async function* walk(dir: string, recursive: boolean, signal: AbortSignal): AsyncGenerator<{ abs: string; entry: Dirent }> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (signal.aborted) return;
    const abs = path.join(dir, entry.name);
    yield { abs, entry };
    if (recursive && entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) yield* walk(abs, recursive, signal);
  }
}

async function existing(ctx: ToolContext, rel: string, kind: 'file' | 'folder'): Promise<string> {
  const abs = await resolveExisting(ctx.workspace, rel, { allowRoot: kind === 'folder' });
  if (abs === undefined) throw new ToolError(`${rel} does not exist in the workspace`);
  const isDir = (await stat(abs)).isDirectory();
  if (kind === 'file' && isDir) throw new ToolError(`${rel} is a folder; use list_files`);
  if (kind === 'folder' && !isDir) throw new ToolError(`${rel} is a file; use read_file`);
  return abs;
}

/** The first `max` bytes of `file` and its full size. */
async function head(file: string, max: number): Promise<{ data: Buffer; size: number }> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(size, max));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { data: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

const isBinary = (data: Buffer) => data.subarray(0, 8192).includes(0);

/** `list_files`: the entries of a folder, folders marked with a trailing slash. */
export const listFiles = defineTool({
  name: 'list_files',
  description: 'List files and folders in a workspace folder. Folders end with "/". With recursive, walks subfolders (skipping .git and node_modules).',
  input: z.strictObject({ path: relPath('Folder').default('.'), recursive: z.boolean().default(false) }),
  async run({ path: rel, recursive }, ctx) {
    const dir = await existing(ctx, rel, 'folder');
    const lines: string[] = [];
    let more = 0;
    for await (const { abs, entry } of walk(dir, recursive, ctx.signal)) {
      if (lines.length >= ctx.limits.maxListEntries) {
        more++;
        continue;
      }
      const name = relativeInWorkspace(ctx.workspace, abs);
      lines.push(entry.isDirectory() ? `${name}/` : entry.isSymbolicLink() ? `${name} (symlink)` : name);
    }
    if (lines.length === 0) return `${rel} is empty`;
    return lines.join('\n') + (more ? `\n… and ${more} more entries (list a subfolder to see them)` : '');
  },
});

/** `read_file`: a text file's content, optionally a range of lines. */
export const readFileTool = defineTool({
  name: 'read_file',
  description: 'Read a text file from the workspace. For long files, pass startLine (1-based) and maxLines to read a part.',
  input: z.strictObject({
    path: relPath('File'),
    startLine: z.number().int().min(1).optional(),
    maxLines: z.number().int().min(1).max(100_000).optional(),
  }),
  async run({ path: rel, startLine, maxLines }, ctx) {
    const file = await existing(ctx, rel, 'file');
    const { data, size } = await head(file, ctx.limits.maxFileBytes);
    if (isBinary(data)) return `${rel} is a binary file (${size} bytes); not shown`;
    const text = data.toString('utf8');
    const cut = size > data.length ? `\n[read_file: only the first ${data.length} of ${size} bytes were read]` : '';
    if (startLine === undefined && maxLines === undefined) return text + cut;
    const lines = text.split('\n');
    const from = (startLine ?? 1) - 1;
    const part = lines.slice(from, maxLines === undefined ? undefined : from + maxLines);
    return `[lines ${from + 1}-${from + part.length} of ${lines.length}]\n${part.join('\n')}${cut}`;
  },
});

/** `search_files`: lines matching a substring or regular expression, as `path:line: text`. */
export const searchFiles = defineTool({
  name: 'search_files',
  description: 'Search text files under a workspace folder for a substring (or a JavaScript regular expression with regex: true). Returns "path:line: text" per match.',
  input: z.strictObject({
    pattern: z.string().min(1),
    regex: z.boolean().default(false),
    ignoreCase: z.boolean().default(false),
    path: relPath('Folder to search').default('.'),
  }),
  async run({ pattern, regex, ignoreCase, path: rel }, ctx) {
    const dir = await existing(ctx, rel, 'folder');
    let test: (line: string) => boolean;
    if (regex) {
      let re: RegExp;
      try {
        re = new RegExp(pattern, ignoreCase ? 'i' : '');
      } catch (err) {
        throw new ToolError(`invalid regular expression: ${(err as Error).message}`);
      }
      test = (line) => re.test(line);
    } else {
      const needle = ignoreCase ? pattern.toLowerCase() : pattern;
      test = (line) => (ignoreCase ? line.toLowerCase() : line).includes(needle);
    }
    const matches: string[] = [];
    let skipped = 0;
    for await (const { abs, entry } of walk(dir, true, ctx.signal)) {
      if (!entry.isFile()) continue;
      const { data, size } = await head(abs, ctx.limits.maxFileBytes);
      if (size > data.length || isBinary(data)) {
        skipped++;
        continue;
      }
      const lines = data.toString('utf8').split('\n');
      for (const [i, line] of lines.entries()) {
        if (!test(line)) continue;
        if (matches.length >= ctx.limits.maxSearchMatches) {
          return `${matches.join('\n')}\n… stopped after ${matches.length} matches; narrow the pattern or the folder`;
        }
        matches.push(`${relativeInWorkspace(ctx.workspace, abs)}:${i + 1}: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`);
      }
    }
    const note = skipped ? `\n(${skipped} binary or oversized file(s) not searched)` : '';
    return (matches.length ? matches.join('\n') : `no matches for ${JSON.stringify(pattern)} under ${rel}`) + note;
  },
});

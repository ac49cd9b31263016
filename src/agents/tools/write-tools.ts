import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { resolveExisting, writeWorkspaceFile } from '../workspace';
import { defineTool, ToolError, type ToolContext } from './tool';

const filePath = z.string().min(1).describe('File path relative to the workspace root; folders are created as needed');

function remember(ctx: ToolContext, rel: string): void {
  if (!ctx.written.includes(rel)) ctx.written.push(rel);
}

/** `write_file`: creates or replaces a whole file. */
export const writeFileTool = defineTool({
  name: 'write_file',
  description: 'Create a file in the workspace, or replace its whole content. Prefer edit_file for small changes to an existing file.',
  input: z.strictObject({ path: filePath, content: z.string() }),
  async run({ path: rel, content }, ctx) {
    const written = await writeWorkspaceFile(ctx.workspace, rel, content);
    remember(ctx, written);
    return `wrote ${Buffer.byteLength(content)} bytes to ${written}`;
  },
});

const count = (text: string, part: string) => text.split(part).length - 1;

/** `edit_file`: replaces an exact piece of text in an existing file; it must occur once unless replaceAll is set. */
export const editFile = defineTool({
  name: 'edit_file',
  description:
    'Replace an exact piece of text in an existing workspace file. oldText must match exactly (whitespace included) and occur once, unless replaceAll is true.',
  input: z.strictObject({ path: filePath, oldText: z.string().min(1), newText: z.string(), replaceAll: z.boolean().default(false) }),
  async run({ path: rel, oldText, newText, replaceAll }, ctx) {
    const file = await resolveExisting(ctx.workspace, rel);
    if (file === undefined) throw new ToolError(`${rel} does not exist; create it with write_file`);
    const text = await readFile(file, 'utf8');
    const found = count(text, oldText);
    if (found === 0) throw new ToolError(`oldText was not found in ${rel}; read the file and copy the exact text, whitespace included`);
    if (found > 1 && !replaceAll) {
      throw new ToolError(`oldText occurs ${found} times in ${rel}; include more surrounding text so it is unique, or set replaceAll`);
    }
    const edited = replaceAll ? text.split(oldText).join(newText) : text.replace(oldText, () => newText);
    const written = await writeWorkspaceFile(ctx.workspace, rel, edited);
    remember(ctx, written);
    return `replaced ${replaceAll ? found : 1} occurrence(s) in ${written}`;
  },
});

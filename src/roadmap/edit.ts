import type { WorkStream } from './stream-types';
import { FIELD_LABELS } from './fields';
import { dominantEol, splitLines } from './markdown';
import { writeStatus } from './status';
import type { FieldKey, ParsedRoadmap, StreamEdit, StreamFields } from './types';

/** Options for a write-back: `today` (`YYYY-MM-DD`) dates the `Completed:` line of a stream that completes, in files that keep one. */
export interface EditOptions {
  today?: string;
}

/** Line operations keyed by 0-based line index of the original text. */
interface LineOps {
  replace: Map<number, string>;
  remove: Set<number>;
  insertAfter: Map<number, string[]>;
}

/**
 * Rewrites only the Status and Owner (`Assigned To`) lines the edits touch, inserting missing ones, in the file's own
 * spelling; in seed 003's format a completing stream's `Completed:` line gets `today` when the file keeps such lines.
 * Every other byte stays as it was.
 */
export function editRoadmap(text: string, parsed: ParsedRoadmap, changes: StreamEdit[], options: EditOptions = {}): string {
  const source = splitLines(text);
  const ops: LineOps = { replace: new Map(), remove: new Set(), insertAfter: new Map() };
  const merged = new Map<string, StreamEdit>();
  for (const change of changes) merged.set(change.id, { ...merged.get(change.id), ...change });
  for (const change of merged.values()) {
    const at = parsed.streams.findIndex((stream) => stream.id === change.id);
    if (at < 0) throw new Error(`roadmap has no stream ${change.id} to edit`);
    planEdit(parsed, at, change, { afterHeading: source[parsed.fields[at]!.heading]?.content ?? '', today: options.today }, ops);
  }
  if (ops.replace.size === 0 && ops.insertAfter.size === 0) return text;
  const eol = dominantEol(text);
  let out = '';
  source.forEach((line, i) => {
    if (ops.remove.has(i)) return;
    const content = ops.replace.get(i) ?? line.content;
    const inserts = ops.insertAfter.get(i) ?? [];
    if (inserts.length === 0) {
      out += content + line.eol;
      return;
    }
    // The inserted lines take over this line's ending, so a file without a trailing newline still ends without one.
    out += content + (line.eol || eol);
    inserts.forEach((insert, k) => (out += insert + (k === inserts.length - 1 ? line.eol : line.eol || eol)));
  });
  return out;
}

function planEdit(parsed: ParsedRoadmap, index: number, change: StreamEdit, around: { afterHeading: string; today?: string }, ops: LineOps): void {
  const stream: WorkStream = parsed.streams[index]!;
  const fields: StreamFields = parsed.fields[index]!;
  const { format, spelling } = parsed;
  const wanted: { key: FieldKey; value: string }[] = [];
  const status = change.status ?? stream.status;
  // A note explains its status, so a new status without a note drops the old one.
  const note = change.note === undefined ? (status === stream.status ? stream.note : undefined) : change.note ?? undefined;
  if (status !== stream.status || (note ?? '') !== (stream.note ?? '')) wanted.push({ key: 'status', value: writeStatus(format, spelling, status, note) });
  if (change.owner !== undefined && (change.owner ?? '') !== (stream.owner ?? '')) {
    const nobody = format === 'phases' ? spelling.nobody ?? '-' : '—';
    // Clearing an owner that was never written needs no line.
    if (change.owner !== null || fields.lines.owner) wanted.push({ key: 'owner', value: change.owner ?? nobody });
  }
  if (format === 'phases' && status === 'complete' && stream.status !== 'complete' && around.today && (fields.lines.completed || spelling.completedLines)) {
    wanted.push({ key: 'completed', value: around.today });
  }
  // Seed 003's files keep Status, Assigned To and Completed together (a new line goes under Assigned To, or Status); Baton's format appends after the last field.
  const near = fields.lines.owner ?? fields.lines.status;
  const anchor = format === 'phases' && near ? near.itemEnd : fields.lastLine;
  const missing: string[] = [];
  for (const { key, value } of wanted) {
    const at = fields.lines[key];
    if (!at) {
      missing.push(`${fields.bullet}**${FIELD_LABELS[format][key]}:** ${value}`);
      continue;
    }
    // An empty value (a file that writes nobody as nothing) leaves no trailing space.
    ops.replace.set(at.line - 1, value === '' ? at.prefix : `${at.prefix} ${value}`);
    for (let line = at.line; line < at.endLine; line++) ops.remove.add(line);
  }
  if (missing.length === 0) return;
  // A new field list needs a blank line before free text, or that text would join its last item.
  if (!fields.listed && around.afterHeading.trim() !== '') missing.push('');
  const after = anchor - 1;
  ops.insertAfter.set(after, [...(ops.insertAfter.get(after) ?? []), ...missing]);
}

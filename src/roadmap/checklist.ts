import type { StreamTask } from './stream-types';
import { splitLines } from './markdown';

/** A list item that starts with a bracketed marker: `- [ ] x`, `1. [✅] x`, `* [BLOCKED: no key] x`. */
const CHECKBOX = /^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+\[([^\]\r\n]{0,200})\](?:[ \t]+(.*)|[ \t]*)$/;

/** The state a checklist marker means; anything unrecognised is kept as `other`, with its marker. */
export function markerState(marker: string): StreamTask['state'] {
  const m = marker.trim().replace(/\uFE0F/g, '');
  if (m === '') return 'open';
  if (/^(x|✅|✔|☑)$/i.test(m)) return 'done';
  if (/^(⚙|~|🔄|-|\/|wip)$/i.test(m)) return 'in progress';
  if (/^blocked\b/i.test(m) || m === '🔴') return 'blocked';
  return 'other';
}

/** Every checklist item in a piece of markdown source, in order, with its marker as written and its nesting depth. */
export function checklist(source: string): StreamTask[] {
  const found: { indent: number; marker: string; text: string }[] = [];
  for (const { content } of splitLines(source)) {
    const match = CHECKBOX.exec(content);
    if (!match) continue;
    const indent = match[1]!.replace(/\t/g, '    ').length;
    found.push({ indent, marker: match[2]!, text: (match[3] ?? '').trim() });
  }
  const indents = [...new Set(found.map((f) => f.indent))].sort((a, b) => a - b);
  return found.map((f) => ({ marker: f.marker, state: markerState(f.marker), text: f.text, depth: indents.indexOf(f.indent) }));
}

/** Whether a list item's source starts with a bracketed marker (a checklist item rather than a field or prose). */
export function isChecklistItem(source: string): boolean {
  return CHECKBOX.test(splitLines(source)[0]?.content ?? '');
}

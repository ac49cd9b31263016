import type { RoadmapFormat, RoadmapIssue, WorkStream } from './stream-types';
import { streamRef } from '../shared/targets';
import { checklist, isChecklistItem } from './checklist';
import { FIELD_KEYS, looseEffort, parseDependencies, type FieldResult, parseEffort, parseOwner, parseRecovery, parseRole } from './fields';
import { batchOf, detectFormat, endsStream, lookalike, streamHeading, type StreamHeading } from './format';
import { dominantEol, lines, parseMarkdown, plainText, span, type Heading, type ListItem, type MdNode } from './markdown';
import { emptySpelling, learnStatus, readStatus } from './status';
import type { FieldKey, FieldLine, ParsedRoadmap } from './types';

/** Where a roadmap comes from, for issue locations and stream refs. */
export interface RoadmapSource {
  file: string;
  target: string;
}

/** A `**Key:** value` list item, located. */
interface FieldItem {
  name: string;
  key?: FieldKey;
  value: string;
  at: FieldLine;
  bullet: string;
  item: ListItem;
}

/**
 * Reads a roadmap in whichever format it is written: Baton's (`### 1.2 Title`) or seed 003's (`## Batch 1`,
 * `### Phase 1.2: Title ⭐ BOOTSTRAP`). Problems become issues with file and line, and so does a file with no stream.
 */
export function parseRoadmap(text: string, where: RoadmapSource): ParsedRoadmap {
  const nodes = parseMarkdown(text).children;
  const format = detectFormat(nodes);
  const result: ParsedRoadmap = { format, spelling: emptySpelling(), streams: [], issues: [], fields: [] };
  const eol = dominantEol(text);
  let phase: string | undefined;
  let batch = 1;
  nodes.forEach((node, i) => {
    if (node.type !== 'heading') return;
    if (node.depth === 1) phase = undefined;
    if (node.depth === 2 && format === 'baton') phase = plainText(node).trim() || undefined;
    const batchNumber = format === 'phases' ? batchOf(node) : undefined;
    if (batchNumber !== undefined) [phase, batch] = [plainText(node).trim(), batchNumber];
    const head = streamHeading(format, node);
    if (!head) {
      const why = lookalike(format, node);
      if (why) result.issues.push({ file: where.file, line: lines(node).start, message: why });
      return;
    }
    let end = i + 1;
    while (end < nodes.length && !endsStream(format, nodes[end]!)) end++;
    const stop = end < nodes.length ? span(nodes[end]!).start : text.length;
    const section: Section = { head, phase, heading: node, body: nodes.slice(i + 1, end), stop, eol, format };
    if (format === 'phases') section.batch = batch;
    readStream(text, where, section, result);
  });
  result.issues.push(...duplicateIds(result.streams, where.file));
  if (result.streams.length === 0) {
    if (result.issues.length === 0) result.empty = true;
    const shape = format === 'phases' ? '`### Phase 1.2: Title` under `## Batch 1`' : '`### 1.2 Title` (or seed 003\'s `### Phase 1.2: Title`)';
    result.issues.push({ file: where.file, line: 1, message: `no work streams found: a stream is a level-3 heading like ${shape}` });
  }
  result.issues.sort((a, b) => a.line - b.line);
  return result;
}

interface Section {
  head: StreamHeading;
  phase?: string;
  batch?: number;
  heading: Heading;
  body: MdNode[];
  stop: number;
  /** The document's line ending, for joining the stream's free text. */
  eol: string;
  format: RoadmapFormat;
}

/** Fields Baton acts on and so leaves out of the text an agent is given; every other field is context. */
const ACTED_ON = new Set<FieldKey>(['status', 'owner', 'dependsOn', 'effort', 'role', 'recovery', 'doneWhen', 'tasks']);

function readStream(text: string, where: RoadmapSource, section: Section, out: ParsedRoadmap): void {
  const { head, heading, body, eol, format } = section;
  const { id } = head;
  const issue = (line: number, message: string) => out.issues.push({ file: where.file, line, message });
  // Baton's format: the first list right under the heading. Seed 003's: every top-level list of the stream.
  const lists = format === 'baton' ? (body[0]?.type === 'list' ? [body[0]] : []) : body.filter((n) => n.type === 'list');
  const found = lists.flatMap((list) => list.children.flatMap((item) => fieldItem(text, item) ?? []));
  const fieldList = format === 'baton' && found.length > 0 ? lists[0] : undefined;

  const stream: WorkStream = { target: where.target, id, ref: streamRef(where.target, id), title: head.title, status: 'available', dependsOn: [], text: '', line: lines(heading).start };
  if (section.phase !== undefined) stream.phase = section.phase;
  if (format === 'phases') Object.assign(stream, { format, batch: section.batch ?? 1 }, head.tag ? { tag: head.tag } : {});
  const at: Partial<Record<FieldKey, FieldLine>> = {};
  const context = new Set<FieldItem>();
  for (const field of found) {
    const line = field.at.line;
    if (!field.key) {
      // Seed 003's other fields (Quality Gates, Design Notes, …) are context for the agent; Baton's format refuses typos.
      if (format === 'phases') context.add(field);
      else issue(line, `unknown field "${field.name}" in ${id} (use Effort, Status, Depends on, Owner, Role or On failure)`);
      continue;
    }
    const earlier = at[field.key];
    if (earlier) {
      issue(line, `${field.name} is given twice in ${id} (lines ${earlier.line} and ${line})`);
      continue;
    }
    at[field.key] = field.at;
    if (!ACTED_ON.has(field.key) || (field.key === 'effort' && format === 'phases' && !looseEffort(field.value) && field.value.trim() !== '')) context.add(field);
    for (const message of applyField(stream, field, text, out)) issue(line, message);
  }

  if (format === 'baton') {
    for (const node of body.slice(fieldList ? 1 : 0)) {
      if (node.type !== 'list') continue;
      const stray = node.children.map((item) => fieldItem(text, item)).find((field) => field?.key);
      if (stray) issue(stray.at.line, `fields of ${id} must be in the list right under its heading ("${stray.name}" is not)`);
    }
    const fieldSet = new Set(found.map((f) => f.item));
    const freeItems = (fieldList?.type === 'list' ? fieldList.children : []).filter((item) => !fieldSet.has(item)).map((item) => source(text, item));
    const restFrom = fieldList ? span(fieldList).end : span(heading).end;
    stream.text = [freeItems.join(eol), text.slice(restFrom, section.stop).trim()].filter(Boolean).join(eol + eol);
  } else {
    stream.text = phaseText(text, body, found, context, stream, eol);
  }

  const last = found[found.length - 1];
  out.streams.push(stream);
  out.fields.push({
    id,
    heading: lines(heading).end,
    lines: at,
    lastLine: last ? last.at.itemEnd : lines(heading).end,
    bullet: last ? last.bullet : '- ',
    listed: found.length > 0,
  });
}

/**
 * Seed 003's stream text: everything under the heading but the fields Baton acts on, as written. Checklist items
 * become the stream's tasks (with their state) rather than text; a bare `**Tasks:**` label goes with them. After
 * another `##` heading (Strategic Priorities, Backlog) only the stream's own field items still count.
 */
function phaseText(text: string, body: MdNode[], found: FieldItem[], context: Set<FieldItem>, stream: WorkStream, eol: string): string {
  const fieldOf = new Map(found.map((f) => [f.item, f]));
  const parts: string[] = [];
  const tasks = stream.tasks ?? [];
  let aside = false;
  for (const node of body) {
    if (node.type === 'heading' && node.depth === 2) aside = true;
    if (node.type === 'paragraph' && /^\s*tasks\s*:?\s*$/i.test(plainText(node))) continue;
    if (node.type !== 'list') {
      if (!aside) parts.push(source(text, node));
      continue;
    }
    const kept: string[] = [];
    for (const item of node.children) {
      const field = fieldOf.get(item);
      if (field && !context.has(field)) continue;
      if (!field && aside) continue;
      if (!field && isChecklistItem(source(text, item))) {
        tasks.push(...checklist(source(text, item)));
        continue;
      }
      kept.push(source(text, item));
    }
    if (kept.length) parts.push(kept.join(eol));
  }
  if (tasks.length) stream.tasks = tasks;
  return parts.join(eol + eol).trim();
}

/** A node's source as written, from the start of its first line (so nested bullets keep their indentation). */
function source(text: string, node: MdNode): string {
  return text.slice(span(node).start, span(node).end);
}

/** Sets one field on the stream; returns what was wrong with its value. */
function applyField(stream: WorkStream, field: FieldItem, text: string, out: ParsedRoadmap): string[] {
  const { value } = field;
  const format = stream.format ?? 'baton';
  switch (field.key!) {
    case 'status': {
      const status = readStatus(value, format);
      if (status.ok) {
        learnStatus(out.spelling, status.value);
        stream.status = status.value.status;
        if (status.value.note !== undefined) stream.note = status.value.note;
        return [];
      }
      // Never guess: an unreadable status is held back as blocked so nothing picks the stream up.
      stream.status = 'blocked';
      stream.note = status.message;
      return [`${status.message} in ${stream.id}`];
    }
    case 'effort': {
      if (format === 'baton') return setOptional(stream, 'effort', parseEffort(value));
      const effort = looseEffort(value);
      if (effort) stream.effort = effort;
      return [];
    }
    case 'role':
      return setOptional(stream, 'role', parseRole(value));
    case 'recovery':
      return setOptional(stream, 'recovery', parseRecovery(value));
    case 'owner': {
      const owner = parseOwner(value);
      if (owner !== undefined) stream.owner = owner;
      else out.spelling.nobody ??= value.trim();
      return [];
    }
    case 'dependsOn': {
      const { refs, problems } = parseDependencies(value, stream.target, stream.id, format);
      stream.dependsOn = refs;
      return problems.map((message) => `${message} in ${stream.id}`);
    }
    case 'doneWhen': {
      const nested = nestedSource(text, field.item);
      const items = nested ? [...nested.matchAll(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[^\]\r\n]*\]\s*)?(.+)$/gm)].map((m) => m[1]!.trim()) : [];
      const criteria = [value, ...items].filter((c) => c !== '');
      if (criteria.length) stream.doneWhen = criteria;
      return [];
    }
    case 'tasks': {
      const nested = nestedSource(text, field.item);
      const tasks = nested ? checklist(nested) : [];
      if (tasks.length) stream.tasks = [...(stream.tasks ?? []), ...tasks];
      return [];
    }
    case 'completed':
      out.spelling.completedLines = true;
      return [];
  }
}

/** The source of what is nested under a list item's first paragraph (its sub-bullets), or undefined when nothing is. */
function nestedSource(text: string, item: ListItem): string | undefined {
  const rest = item.children.slice(1);
  if (rest.length === 0) return undefined;
  return text.slice(lineStart(text, span(rest[0]!).start), span(item).end);
}

/** Sets an optional field from its reading (nothing leaves it unset); returns what was wrong with the value. */
function setOptional<K extends 'effort' | 'role' | 'recovery'>(stream: WorkStream, key: K, read: FieldResult<WorkStream[K]>): string[] {
  if (!read.ok) return [`${read.message} in ${stream.id}`];
  if (read.value) stream[key] = read.value;
  return [];
}

/** The `**Key:** value` reading of a list item, or undefined when it is free text. */
function fieldItem(text: string, item: ListItem): FieldItem | undefined {
  const paragraph = item.children[0];
  if (item.checked != null || paragraph?.type !== 'paragraph') return undefined;
  const [strong, next] = paragraph.children;
  if (strong?.type !== 'strong') return undefined;
  let name = plainText(strong).trim();
  let after = span(strong).end;
  if (name.endsWith(':')) name = name.slice(0, -1).trim();
  else if (next?.type === 'text' && next.value.startsWith(':')) after += 1;
  else return undefined;
  const start = lineStart(text, span(item).start);
  return {
    name,
    key: FIELD_KEYS[name.toLowerCase().replace(/\s+/g, ' ')],
    value: text.slice(after, span(paragraph).end).replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ').trim(),
    at: { line: lines(item).start, endLine: lines(paragraph).end, prefix: text.slice(start, after), itemEnd: lines(item).end },
    bullet: text.slice(start, span(paragraph).start),
    item,
  };
}

function lineStart(text: string, offset: number): number {
  let at = offset;
  while (at > 0 && text[at - 1] !== '\n' && text[at - 1] !== '\r') at--;
  return at;
}

/** One issue per repeated id, at each of its headings, naming all of them. */
function duplicateIds(streams: WorkStream[], file: string): RoadmapIssue[] {
  const byId = new Map<string, number[]>();
  for (const stream of streams) byId.set(stream.id, [...(byId.get(stream.id) ?? []), stream.line]);
  const issues: RoadmapIssue[] = [];
  for (const [id, at] of byId) {
    if (at.length < 2) continue;
    const named = `${at.slice(0, -1).join(', ')} and ${at[at.length - 1]}`;
    for (const line of at) issues.push({ file, line, message: `duplicate stream id ${id} (lines ${named})` });
  }
  return issues;
}

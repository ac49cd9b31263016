import type { RoadmapIssue, WorkStream } from '../shared/roadmap-types';
import { streamRef } from '../shared/targets';
import { FIELD_KEYS, parseDependencies, type FieldResult, parseEffort, parseOwner, parseRecovery, parseRole, parseStatus } from './fields';
import { dominantEol, lines, parseMarkdown, plainText, span, type Heading, type ListItem, type MdNode } from './markdown';
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
  itemEnd: number;
  bullet: string;
}

const STREAM_HEADING = /^(\d+(?:\.\d+)+)(?:[.:)]?(?:\s+|$))(.*)$/s;

/** Reads a roadmap: every `### 1.2 Title` heading is a work stream; problems become issues with file and line. */
export function parseRoadmap(text: string, where: RoadmapSource): ParsedRoadmap {
  const nodes = parseMarkdown(text).children;
  const result: ParsedRoadmap = { streams: [], issues: [], fields: [] };
  const eol = dominantEol(text);
  let phase: string | undefined;
  nodes.forEach((node, i) => {
    if (node.type !== 'heading') return;
    if (node.depth === 1) phase = undefined;
    if (node.depth === 2) phase = plainText(node).trim() || undefined;
    const head = node.depth === 3 ? STREAM_HEADING.exec(plainText(node).trim()) : null;
    if (!head) return;
    let end = i + 1;
    while (end < nodes.length && !isSectionBreak(nodes[end]!)) end++;
    const title = head[2]!.replace(/^[—–:-]\s*/, '').trim();
    const stop = end < nodes.length ? span(nodes[end]!).start : text.length;
    readStream(text, where, { id: head[1]!, title, phase, heading: node, body: nodes.slice(i + 1, end), stop, eol }, result);
  });
  result.issues.push(...duplicateIds(result.streams, where.file));
  result.issues.sort((a, b) => a.line - b.line);
  return result;
}

function isSectionBreak(node: MdNode): boolean {
  return node.type === 'heading' && node.depth <= 3;
}

interface Section {
  id: string;
  title: string;
  phase?: string;
  heading: Heading;
  body: MdNode[];
  stop: number;
  /** The document's line ending, for joining the stream's free text. */
  eol: string;
}

function readStream(text: string, where: RoadmapSource, section: Section, out: ParsedRoadmap): void {
  const { id, heading, body, eol } = section;
  const issue = (line: number, message: string) => out.issues.push({ file: where.file, line, message });
  const first = body[0]?.type === 'list' ? body[0] : undefined;
  const items = first ? first.children.map((item) => ({ item, field: fieldItem(text, item) })) : [];
  const found = items.flatMap(({ field }) => (field ? [field] : []));
  const fieldList = found.length > 0 ? first : undefined;

  const stream: WorkStream = { target: where.target, id, ref: streamRef(where.target, id), title: section.title, status: 'available', dependsOn: [], text: '', line: lines(heading).start };
  if (section.phase !== undefined) stream.phase = section.phase;
  const at: Partial<Record<FieldKey, FieldLine>> = {};
  for (const field of found) {
    const line = field.at.line;
    if (!field.key) {
      issue(line, `unknown field "${field.name}" in ${id} (use Effort, Status, Depends on, Owner, Role or On failure)`);
      continue;
    }
    const earlier = at[field.key];
    if (earlier) {
      issue(line, `${field.name} is given twice in ${id} (lines ${earlier.line} and ${line})`);
      continue;
    }
    at[field.key] = field.at;
    const problem = applyField(stream, field.key, field.value);
    for (const message of problem) issue(line, message);
  }

  for (const node of body.slice(fieldList ? 1 : 0)) {
    if (node.type !== 'list') continue;
    const stray = node.children.map((item) => fieldItem(text, item)).find((field) => field?.key);
    if (stray) issue(stray.at.line, `fields of ${id} must be in the list right under its heading ("${stray.name}" is not)`);
  }

  const freeItems = items.filter(({ field }) => fieldList && !field).map(({ item }) => text.slice(span(item).start, span(item).end));
  const restFrom = fieldList ? span(fieldList).end : span(heading).end;
  stream.text = [freeItems.join(eol), text.slice(restFrom, section.stop).trim()].filter(Boolean).join(eol + eol);

  const last = found[found.length - 1];
  out.streams.push(stream);
  out.fields.push({
    id,
    heading: lines(heading).end,
    lines: at,
    lastLine: last ? last.itemEnd : lines(heading).end,
    bullet: last ? last.bullet : '- ',
    listed: found.length > 0,
  });
}

/** Sets one field on the stream; returns what was wrong with its value. */
function applyField(stream: WorkStream, key: FieldKey, value: string): string[] {
  switch (key) {
    case 'status': {
      const status = parseStatus(value);
      if (status.ok) {
        stream.status = status.value.status;
        if (status.value.note !== undefined) stream.note = status.value.note;
        return [];
      }
      // Never guess: an unreadable status is held back as blocked so nothing picks the stream up.
      stream.status = 'blocked';
      stream.note = status.message;
      return [`${status.message} in ${stream.id}`];
    }
    case 'effort':
      return setOptional(stream, 'effort', parseEffort(value));
    case 'role':
      return setOptional(stream, 'role', parseRole(value));
    case 'recovery':
      return setOptional(stream, 'recovery', parseRecovery(value));
    case 'owner': {
      const owner = parseOwner(value);
      if (owner !== undefined) stream.owner = owner;
      return [];
    }
    case 'dependsOn': {
      const { refs, problems } = parseDependencies(value, stream.target, stream.id);
      stream.dependsOn = refs;
      return problems.map((message) => `${message} in ${stream.id}`);
    }
  }
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
    at: { line: lines(item).start, endLine: lines(paragraph).end, prefix: text.slice(start, after) },
    itemEnd: lines(item).end,
    bullet: text.slice(start, span(paragraph).start),
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

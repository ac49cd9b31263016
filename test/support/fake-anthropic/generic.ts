import { priceOf } from '../../../src/agents/prices';
import { call, reply, say, structured, type FakeReply, type FakeRequest } from './replies';

// A stand-in model that answers any Baton role on Claude Code without a script: whatever offers the StructuredOutput
// tool gets a tool call whose input is built from that tool's own JSON schema; agents first write one note file.

type Schema = Record<string, any>;

const KEY_CANDIDATES = ['task-1', 'a', 'x1', 'note', 'A'];

/** A string that satisfies `s` (enum, const, pattern, length), preferring `hint`. */
function stringFor(s: Schema, hint: string): string {
  if (Array.isArray(s.enum)) return String(s.enum[0]);
  if (s.const !== undefined) return String(s.const);
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  const fits = (v: string) => v.length >= min && v.length <= max && (!s.pattern || new RegExp(s.pattern, 'u').test(v));
  for (const v of [hint, ...KEY_CANDIDATES]) if (fits(v)) return v;
  const padded = hint.padEnd(min, '.').slice(0, Math.min(max, Math.max(min, hint.length)));
  return padded;
}

/** Whether `s` (after $ref) describes an object. */
function isObject(s: Schema | undefined, root: Schema): boolean {
  if (s && typeof s.$ref === 'string') return isObject(s.$ref.replace(/^#\/?/, '').split('/').filter(Boolean).reduce((n: any, p: string) => n?.[p], root), root);
  return !!s && (s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object')) || (!s.type && !!s.properties));
}

const PLAIN_TASK_ONLY = new Set(['lead', 'consensus']);

/** A valid instance of JSON schema `s` (required properties only, minimum item counts, first enum member); `root` resolves $ref. */
export function instanceOf(s: Schema | undefined, root: Schema = s ?? {}, name = 'value', hint = 'Stand-in answer'): unknown {
  if (!s || typeof s !== 'object') return null;
  if (typeof s.$ref === 'string') {
    const target = s.$ref.replace(/^#\/?/, '').split('/').filter(Boolean).reduce((node: any, part: string) => node?.[decodeURIComponent(part)], root);
    return instanceOf(target, root, name, hint);
  }
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) if (Array.isArray(s[key])) return instanceOf(s[key][0], root, name, hint);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((p: Schema) => instanceOf(p, root, name, hint)));
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type ?? (s.properties ? 'object' : s.items ? 'array' : 'string')) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set<string>(Array.isArray(s.required) ? s.required : []);
      for (const [prop, sub] of Object.entries<Schema>(s.properties ?? {})) {
        // Optional objects are filled in too: a plan's interpretation is optional in the schema but required when streams are open.
        // A task's lead and consensus are left out: a task may not have both, and a consensus needs a read-only role.
        if (required.has(prop) || (isObject(sub, root) && !PLAIN_TASK_ONLY.has(prop))) out[prop] = instanceOf(sub, root, prop, hint);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: typeof s.minItems === 'number' ? s.minItems : 0 }, () => instanceOf(s.items, root, name, hint));
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return stringFor(s, name === 'key' ? 'task-1' : name === 'status' ? 'success' : hint);
  }
}

const text = (v: unknown) => JSON.stringify(v ?? '');

/** The role line Baton puts in every system prompt (`Role: developer`), or undefined. */
export const roleOf = (req: FakeRequest): string | undefined => /Role: (\w+)/.exec(req.system)?.[1];

/** A short label of what the request is about, from the first user message (the mission or objective). */
function missionOf(req: FakeRequest): string {
  const lines = req.firstUserText.split('\n');
  const line = lines.find((l) => /^\W*(mission|task)\b/i.test(l)) ?? lines.find((l) => /mission|objective/i.test(l)) ?? lines[0] ?? '';
  return line.replace(/\s+/g, ' ').trim().slice(0, 120) || 'the task';
}

/**
 * The generic stand-in: builders (roles offered `Write`) first write `notes/<role>-<n>.md` in their workspace, then every
 * request offering StructuredOutput gets a schema-valid call of it; anything else gets a short text answer.
 */
export function genericModel(): (req: FakeRequest) => FakeReply {
  let notes = 0;
  return (req) => {
    const conversation = text(req.body?.messages);
    const role = roleOf(req);
    const builder = role !== undefined && role !== 'planner' && role !== 'synthesizer' && req.toolNames.includes('Write');
    if (builder && !conversation.includes('"name":"Write"')) {
      notes += 1;
      return reply(call('Write', { file_path: `notes/${role}-${notes}.md`, content: `# Notes (stand-in ${role})\n\n${missionOf(req)}\n` }));
    }
    const tool = (req.body?.tools ?? []).find((t: { name?: string }) => t?.name === 'StructuredOutput');
    if (!tool) return reply(say('OK.'));
    const value = instanceOf(tool.input_schema, tool.input_schema, 'value', `Stand-in ${role ?? 'model'}: ${missionOf(req)}`.slice(0, 200));
    return structured(value);
  };
}

/**
 * What one answered request was billed at the list prices Claude Code bills with (src/agents/prices.ts), unrounded as
 * Claude Code adds them up into a result's `total_cost_usd`; 0 for a request not answered with a message.
 */
export function billedUsd(req: FakeRequest): number {
  const u = req.answered;
  const p = priceOf(String(req.body?.model));
  if (!u || !p) return 0;
  return (u.input_tokens * p.input + u.output_tokens * p.output + u.cache_creation_input_tokens * p.cacheWrite + u.cache_read_input_tokens * p.cacheRead) / 1_000_000;
}

import { Effort, StreamStatus } from '../shared/roadmap-types';
import { Role } from '../shared/schemas';
import { RecoveryAction, streamRef } from '../shared/targets';
import type { FieldKey } from './types';

/** Field names as a person writes them (lowercase, single spaces) → their key. */
export const FIELD_KEYS: Record<string, FieldKey> = {
  effort: 'effort',
  status: 'status',
  'depends on': 'dependsOn',
  owner: 'owner',
  role: 'role',
  'on failure': 'recovery',
};

/** How each field key is written when Baton inserts it. */
export const FIELD_LABELS: Record<FieldKey, string> = {
  effort: 'Effort',
  status: 'Status',
  dependsOn: 'Depends on',
  owner: 'Owner',
  role: 'Role',
  recovery: 'On failure',
};

/** A field value read, or why it could not be. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

const NOTHING = new Set(['', '-', '—', '–', 'none']);
const EFFORTS: Record<string, Effort> = { s: 'S', m: 'M', l: 'L', small: 'S', medium: 'M', large: 'L' };
const DEPENDENCY = /^(?:([a-z0-9][a-z0-9_-]{0,39}):)?(\d+(?:\.\d+)+)$/;

/** Whether a value means "nothing" (`none`, `-`, `—` or empty). */
function isNothing(value: string): boolean {
  return NOTHING.has(value.trim().toLowerCase());
}

/** `available`, `in progress`, `blocked` or `complete`, optionally followed by ` — note` or ` - note`. */
export function parseStatus(value: string): FieldResult<{ status: StreamStatus; note?: string }> {
  const match = /^(available|in[ -]progress|blocked|complete)\b(.*)$/is.exec(value.trim());
  const fail = { ok: false as const, message: `unknown status "${value.trim()}" (use available, in progress, blocked or complete)` };
  if (!match) return fail;
  const status = StreamStatus.parse(match[1]!.toLowerCase().replace('-', ' '));
  const rest = match[2]!;
  if (rest.trim() === '') return { ok: true, value: { status } };
  // An em or en dash may touch the note; a hyphen needs a space before it so `blocked-ish` is not read as a note.
  const note = /^\s*[—–]\s*(.*)$/s.exec(rest) ?? /^\s+-(?:\s+(.*)|)$/s.exec(rest);
  if (!note) return fail;
  const text = (note[1] ?? '').trim();
  return { ok: true, value: text === '' ? { status } : { status, note: text } };
}

/** `S`, `M` or `L` (or small / medium / large); nothing means no effort given. */
export function parseEffort(value: string): FieldResult<Effort | undefined> {
  if (isNothing(value)) return { ok: true, value: undefined };
  const effort = EFFORTS[value.trim().toLowerCase()];
  return effort ? { ok: true, value: effort } : { ok: false, message: `unknown effort "${value.trim()}" (use S, M or L)` };
}

/** A specialist role (`developer` when absent). */
export function parseRole(value: string): FieldResult<Role | undefined> {
  if (isNothing(value)) return { ok: true, value: undefined };
  const role = Role.safeParse(value.trim().toLowerCase());
  return role.success ? { ok: true, value: role.data } : { ok: false, message: `unknown role "${value.trim()}" (use ${Role.options.join(', ')})` };
}

/** What happens when the stream's task fails: retry, skip or escalate. */
export function parseRecovery(value: string): FieldResult<RecoveryAction | undefined> {
  if (isNothing(value)) return { ok: true, value: undefined };
  const action = RecoveryAction.safeParse(value.trim().toLowerCase());
  return action.success ? { ok: true, value: action.data } : { ok: false, message: `unknown on-failure value "${value.trim()}" (use retry, skip or escalate)` };
}

/** A person's name, or nothing for `—`, `-` or `none`. */
export function parseOwner(value: string): string | undefined {
  return isNothing(value) ? undefined : value.trim();
}

/** Comma-separated ids, qualified with `target:` when they belong to another target; returns target-qualified refs and one message per bad entry. */
export function parseDependencies(value: string, target: string, id: string): { refs: string[]; problems: string[] } {
  const refs: string[] = [];
  const problems: string[] = [];
  if (isNothing(value)) return { refs, problems };
  for (const raw of value.split(',')) {
    const entry = raw.trim().replace(/^`(.*)`$/, '$1').trim();
    if (entry === '') continue;
    const match = DEPENDENCY.exec(entry);
    if (!match) {
      problems.push(`malformed dependency "${entry}" (use an id like 1.2, or target:1.2 for another target)`);
      continue;
    }
    const ref = streamRef(match[1] ?? target, match[2]!);
    if (ref === streamRef(target, id)) problems.push(`${ref} depends on itself`);
    else if (!refs.includes(ref)) refs.push(ref);
  }
  return { refs, problems };
}

/** A dependency as written in `target`'s own roadmap: bare id for the same target, `other:id` otherwise. */
export function localRef(ref: string, target: string): string {
  return ref.startsWith(`${target}:`) ? ref.slice(target.length + 1) : ref;
}

/** Whether a blocked stream's note is Baton's own `waiting on …` (or absent), which gardening may rewrite; anything else is a person's reason. */
export function isWaitingNote(note: string | undefined): boolean {
  return note === undefined || note.trim() === '' || /^waiting on\b/i.test(note.trim());
}

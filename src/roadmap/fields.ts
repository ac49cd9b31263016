import type { RoadmapFormat, WorkStream } from './stream-types';
import { Effort } from './stream-types';
import { Role } from '../shared/schemas';
import { RecoveryAction, streamRef } from '../shared/targets';
import type { FieldKey } from './types';

/** Field names as a person writes them (lowercase, single spaces) → their key; seed 003's spellings included. */
export const FIELD_KEYS: Record<string, FieldKey> = {
  effort: 'effort',
  status: 'status',
  'depends on': 'dependsOn',
  owner: 'owner',
  'assigned to': 'owner',
  role: 'role',
  'on failure': 'recovery',
  'done when': 'doneWhen',
  tasks: 'tasks',
  completed: 'completed',
};

/** How each field key is written when Baton inserts it, per roadmap format. */
export const FIELD_LABELS: Record<RoadmapFormat, Record<FieldKey, string>> = {
  baton: { effort: 'Effort', status: 'Status', dependsOn: 'Depends on', owner: 'Owner', role: 'Role', recovery: 'On failure', doneWhen: 'Done when', tasks: 'Tasks', completed: 'Completed' },
  phases: { effort: 'Effort', status: 'Status', dependsOn: 'Depends On', owner: 'Assigned To', role: 'Role', recovery: 'On failure', doneWhen: 'Done When', tasks: 'Tasks', completed: 'Completed' },
};

/** A field value read, or why it could not be. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

const NOTHING = new Set(['', '-', '—', '–', 'none', 'n/a', 'unassigned']);
const EFFORTS: Record<string, Effort> = { s: 'S', m: 'M', l: 'L', small: 'S', medium: 'M', large: 'L' };
const DEPENDENCY = /^(?:([a-z0-9][a-z0-9_-]{0,39}):)?(\d+(?:\.\d+)+)$/;

/** Whether a value means "nothing" (`none`, `-`, `—`, `unassigned` or empty). */
export function isNothing(value: string): boolean {
  return NOTHING.has(value.trim().toLowerCase());
}

/** `S`, `M` or `L` (or small / medium / large); nothing means no effort given. */
export function parseEffort(value: string): FieldResult<Effort | undefined> {
  if (isNothing(value)) return { ok: true, value: undefined };
  const effort = EFFORTS[value.trim().toLowerCase()];
  return effort ? { ok: true, value: effort } : { ok: false, message: `unknown effort "${value.trim()}" (use S, M or L)` };
}

/** Seed 003's effort, read leniently (`M`, `Medium`, `M (2-3 days)`, `Small (S)`); undefined when it says none of S, M, L. */
export function looseEffort(value: string): Effort | undefined {
  const word = /^\s*(small|medium|large|s|m|l)\b/i.exec(value) ?? /\((s|m|l)\)/i.exec(value);
  return word ? EFFORTS[word[1]!.toLowerCase()] : undefined;
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

/**
 * Comma-separated ids, qualified with `target:` when they belong to another target; returns target-qualified refs and
 * one message per bad entry. Seed 003's spellings are read too: `Phase 1.4 ✅`, `Phase 8.1, Phase 7.5`, `1.3; 2.1`.
 * A status mark after an id (`✅`, `(complete)`) is only a hint: the dependency's own status decides.
 */
export function parseDependencies(value: string, target: string, id: string, format: RoadmapFormat = 'baton'): { refs: string[]; problems: string[] } {
  const refs: string[] = [];
  const problems: string[] = [];
  const hintless = format === 'phases' ? withoutHints(value) : value;
  if (isNothing(hintless)) return { refs, problems };
  for (const raw of hintless.split(format === 'phases' ? /[,;]|\band\b/ : ',')) {
    const entry = raw.trim().replace(/^`(.*)`$/, '$1').trim().replace(format === 'phases' ? /^phase\s+/i : /^$/, '');
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

/** A seed 003 dependency list without its status hints (`✅`, `🔄`, `(complete)`) and without backticks. */
function withoutHints(value: string): string {
  return value
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[✅🔄🔴⚪🟢✔☑⭐]\uFE0F?/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A dependency as written in `target`'s own roadmap: bare id for the same target, `other:id` otherwise. */
export function localRef(ref: string, target: string): string {
  return ref.startsWith(`${target}:`) ? ref.slice(target.length + 1) : ref;
}

/** Whether a blocked stream's note is Baton's own `waiting on …` (or absent), which gardening may rewrite; anything else is a person's reason. */
export function isWaitingNote(note: string | undefined): boolean {
  return note === undefined || note.trim() === '' || /^waiting on\b/i.test(note.trim());
}

/**
 * Whether a blocked stream only waits on its dependencies (so gardening may unblock it and a run may take it). In
 * seed 003's format Baton never writes a bare block (waiting streams stay not started), so a bare `🔴 Blocked` is a
 * person's and only an explicit `waiting on …` note counts.
 */
export function waitsOnDependencies(stream: Pick<WorkStream, 'note' | 'format'>): boolean {
  if (stream.format === 'phases') return stream.note !== undefined && /^waiting on\b/i.test(stream.note.trim());
  return isWaitingNote(stream.note);
}

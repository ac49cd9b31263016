// The persisted context written from a delta: what changed since the last write crosses history, not the whole state.

type Json = Record<string, unknown>;

/** How one field of the state changed. */
export type FieldChange =
  /** Replaced whole (scalars, and anything the other kinds do not fit). */
  | { set: unknown }
  /** An array of records with ids: changed or new ones (in order), and the ids that left. */
  | { upsert: Json[]; removed: string[] }
  /** An append-only array (a log, kept to its last N): how many left the front, and what was appended. */
  | { drop: number; append: unknown[] }
  /** A plain object (the roster, the event log, metrics): its changed fields, and the keys that left. */
  | { fields: Record<string, FieldChange>; dropped: string[] };

/** The changes from one state to the next, with digests of both so the writer can tell it holds the right base. */
export interface StateDelta {
  base: string;
  next: string;
  changes: Record<string, FieldChange>;
  /** Top-level fields the next state no longer has. */
  unset: string[];
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasId = (v: unknown): v is Json & { id: string } => isRecord(v) && typeof v.id === 'string';

/** JSON with every object's keys sorted, so two equal states digest alike whatever order their fields were set in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonical(v))).join(',')}]`;
  if (isRecord(value)) {
    const parts: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const v = value[key];
      if (v !== undefined && typeof v !== 'function') parts.push(`${JSON.stringify(key)}:${canonical(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A 64-bit FNV-1a digest of a value's canonical JSON (two 32-bit lanes), cheap enough for workflow code. It checks
 * that a context file holds the state a delta was made against; it is not a security measure.
 */
export function digest(value: unknown): string {
  const s = canonical(value);
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0') + s.length.toString(16);
}

function arrayChange(prev: unknown[], next: unknown[]): FieldChange | undefined {
  if (next.length && next.every(hasId) && prev.every(hasId)) {
    const before = new Map(prev.map((x) => [x.id, x]));
    const now = new Set(next.map((x) => x.id));
    const upsert = next.filter((x) => before.get(x.id) !== x);
    const removed = prev.filter((x) => !now.has(x.id)).map((x) => x.id);
    return upsert.length || removed.length ? { upsert, removed } : undefined;
  }
  // A log: the same items (by reference) shifted left, then new ones.
  const drop = next.length ? prev.indexOf(next[0]) : prev.length;
  if (drop >= 0 && prev.slice(drop).every((x, i) => next[i] === x)) {
    const append = next.slice(prev.length - drop);
    return drop || append.length ? { drop, append } : undefined;
  }
  return { set: next };
}

/** How `prev` became `next`, or undefined when nothing did; plain objects are diffed by field down to `depth` levels. */
function change(prev: unknown, next: unknown, depth: number): FieldChange | undefined {
  if (prev === next) return undefined;
  if (Array.isArray(prev) && Array.isArray(next)) return arrayChange(prev, next);
  if (depth > 0 && isRecord(prev) && isRecord(next)) {
    const fields: Record<string, FieldChange> = {};
    for (const [k, v] of Object.entries(next)) {
      const c = v === undefined ? undefined : change(prev[k], v, depth - 1);
      if (c) fields[k] = c;
    }
    const dropped = Object.keys(prev).filter((k) => prev[k] !== undefined && next[k] === undefined);
    return Object.keys(fields).length || dropped.length ? { fields, dropped } : undefined;
  }
  return { set: next };
}

/**
 * What changed from `prev` to `next`, comparing by reference: reducers copy what they change and share the rest, so
 * this is proportional to the changes, not to the state. `baseDigest` is `prev`'s digest, when already known.
 */
export function stateDelta<T extends object>(prev: T, next: T, baseDigest = digest(prev)): StateDelta {
  const p = prev as Json;
  const n = next as Json;
  const changes: Record<string, FieldChange> = {};
  for (const [key, value] of Object.entries(n)) {
    // An undefined field is absent from JSON: it is listed in `unset` instead.
    const c = value === undefined ? undefined : change(p[key], value, 1);
    if (c) changes[key] = c;
  }
  const unset = Object.keys(p).filter((k) => p[k] !== undefined && n[k] === undefined);
  return { base: baseDigest, next: digest(next), changes, unset };
}

function applyArray(base: unknown, change: { upsert: Json[]; removed: string[] }): unknown[] {
  const removed = new Set(change.removed);
  const updates = new Map(change.upsert.map((x) => [x.id as string, x]));
  const kept = (Array.isArray(base) ? base : []).filter((x) => !(hasId(x) && removed.has(x.id)));
  const out = kept.map((x) => {
    if (!hasId(x) || !updates.has(x.id)) return x;
    const y = updates.get(x.id);
    updates.delete(x.id);
    return y;
  });
  // What is left is new: appended in the order the next state has them, as reducers append.
  return [...out, ...change.upsert.filter((x) => updates.has(x.id as string))];
}

function applyChange(base: unknown, c: FieldChange): unknown {
  if ('set' in c) return c.set;
  if ('upsert' in c) return applyArray(base, c);
  if ('drop' in c) return [...(Array.isArray(base) ? base.slice(c.drop) : []), ...c.append];
  const out: Json = { ...(isRecord(base) ? base : {}) };
  for (const k of c.dropped) delete out[k];
  for (const [k, f] of Object.entries(c.fields)) out[k] = applyChange(out[k], f);
  return out;
}

/** `base` with `delta` applied; the caller checks the result's digest against `delta.next`. */
export function applyStateDelta(base: Json, delta: StateDelta): Json {
  return applyChange(base, { fields: delta.changes, dropped: delta.unset }) as Json;
}

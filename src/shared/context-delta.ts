// The persisted context written from a delta: what changed since the last write crosses history, not the whole state.

type Json = Record<string, unknown>;

/** How one top-level field of the state changed. */
export type FieldChange =
  /** Replaced whole (scalars, small arrays, anything without ids). */
  | { set: unknown }
  /** An array of records with ids: changed or new ones (in order), and the ids that left. */
  | { upsert: Json[]; removed: string[] }
  /** A record keyed by name (the roster): changed or new entries, and the keys that left. */
  | { entries: Json; dropped: string[] };

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
  if (!next.every(hasId) || !prev.every(hasId)) return { set: next };
  const before = new Map(prev.map((x) => [x.id, x]));
  const now = new Set(next.map((x) => x.id));
  const upsert = next.filter((x) => before.get(x.id) !== x);
  const removed = prev.filter((x) => !now.has(x.id)).map((x) => x.id);
  return upsert.length || removed.length ? { upsert, removed } : undefined;
}

function recordChange(prev: Json, next: Json): FieldChange | undefined {
  const entries: Json = {};
  for (const [k, v] of Object.entries(next)) if (prev[k] !== v) entries[k] = v;
  const dropped = Object.keys(prev).filter((k) => !(k in next));
  return Object.keys(entries).length || dropped.length ? { entries, dropped } : undefined;
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
    const old = p[key];
    // An undefined field is absent from JSON: it is listed in `unset` instead.
    if (old === value || value === undefined) continue;
    const change =
      Array.isArray(old) && Array.isArray(value)
        ? arrayChange(old, value)
        : key === 'roster' && isRecord(old) && isRecord(value)
          ? recordChange(old, value)
          : { set: value };
    if (change) changes[key] = change;
  }
  const unset = Object.keys(p).filter((k) => !(k in n) || (n[k] === undefined && p[k] !== undefined));
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

/** `base` with `delta` applied; the caller checks the result's digest against `delta.next`. */
export function applyStateDelta(base: Json, delta: StateDelta): Json {
  const out: Json = { ...base };
  for (const key of delta.unset) delete out[key];
  for (const [key, change] of Object.entries(delta.changes)) {
    if ('set' in change) out[key] = change.set;
    else if ('upsert' in change) out[key] = applyArray(out[key], change);
    else {
      const rec: Json = { ...(isRecord(out[key]) ? out[key] : {}) };
      for (const k of change.dropped) delete rec[k];
      out[key] = Object.assign(rec, change.entries);
    }
  }
  return out;
}

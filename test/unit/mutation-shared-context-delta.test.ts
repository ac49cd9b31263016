import { applyStateDelta, digest, stateDelta, type StateDelta } from '../../src/shared/context-delta';

// The persisted-context delta on small hand-built objects: the exact change each kind of field produces (set, upsert,
// log drop/append, nested fields), that nothing is written for an unchanged copy, and the digest's exact form.
// Every value is built inside its test.

/** FNV-1a in two 32-bit lanes over a string, as the digest is documented: 16 hex digits, then the length in hex. */
function reference(s: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < s.length; i++) {
    a = Math.imul(a ^ s.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ s.charCodeAt(i), 0x01000193) ^ (a >>> 13);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return hex(a) + hex(b) + s.length.toString(16);
}

/** The delta's changes and unset keys, without the digests. */
const changesOf = (prev: object, next: object): Pick<StateDelta, 'changes' | 'unset'> => {
  const { changes, unset } = stateDelta(prev, next);
  return { changes, unset };
};

describe('digest', () => {
  it('is FNV-1a of the JSON with sorted keys, comma-separated, as 16 hex digits and the length', () => {
    expect(digest({ b: [1, 23], a: 'x' })).toBe(reference('{"a":"x","b":[1,23]}'));
    expect(digest({})).toBe(reference('{}'));
    expect(digest([])).toBe(reference('[]'));
    expect(digest('hello')).toBe(reference('"hello"'));
    expect(digest({ a: null })).toBe(reference('{"a":null}'));
  });

  it('pads each lane to 8 hex digits when its value is small', () => {
    // Some of these strings' digests have a lane below 0x10000000 (the test checks there are such strings).
    const small = Array.from({ length: 400 }, (_, i) => `v${i}`).filter((v) => {
      const d = reference(JSON.stringify(v));
      return d.startsWith('0') || d.slice(8).startsWith('0');
    });
    expect(small.length).toBeGreaterThan(1);
    for (const v of small) {
      expect(digest(v)).toBe(reference(JSON.stringify(v)));
      expect(digest(v)).toHaveLength(16 + JSON.stringify(v).length.toString(16).length);
    }
  });

  it('tells apart arrays whose items only differ in where one ends and the next begins', () => {
    expect(digest([1, 23])).not.toBe(digest([12, 3]));
    expect(digest({ a: [1, 23] })).not.toBe(digest({ a: [12, 3] }));
  });

  it('digests an undefined array item as null and skips an undefined field, as JSON does', () => {
    expect(digest([undefined, 1])).toBe(digest([null, 1]));
    expect(digest([undefined])).not.toBe(digest([]));
    expect(digest({ a: 1, b: undefined })).toBe(digest({ a: 1 }));
  });

  it('skips a field holding a function, as JSON does', () => {
    expect(digest({ a: 1, f: () => 1 })).toBe(digest({ a: 1 }));
  });

  it('digests a value JSON cannot write at the top as null', () => {
    expect(digest(undefined)).toBe(reference('null'));
  });
});

describe('stateDelta: scalars and lists of records', () => {
  it('sets a changed scalar', () => {
    expect(changesOf({ n: 1 }, { n: 2 })).toEqual({ changes: { n: { set: 2 } }, unset: [] });
  });

  it('replaces a list that became an object whole', () => {
    expect(changesOf({ x: [1, 2] }, { x: { a: 1 } }).changes).toEqual({ x: { set: { a: 1 } } });
  });

  it('writes nothing for a copied list of the same records', () => {
    const t = { id: 'TASK_001', status: 'pending' };
    expect(changesOf({ tasks: [t] }, { tasks: [t] })).toEqual({ changes: {}, unset: [] });
  });

  it('does not list as unset a top-level field that was already undefined', () => {
    expect(changesOf({ a: 1, z: undefined }, { a: 1 })).toEqual({ changes: {}, unset: [] });
    expect(changesOf({ a: 1, z: 2 }, { a: 1 })).toEqual({ changes: {}, unset: ['z'] });
  });
});

describe('stateDelta: logs', () => {
  it('writes an append with nothing dropped when the log only grew', () => {
    const prev = { log: ['a'] };
    const next = { log: ['a', 'b'] };
    expect(changesOf(prev, next).changes).toEqual({ log: { drop: 0, append: ['b'] } });
    expect(applyStateDelta(prev, stateDelta(prev, next))).toEqual(next);
  });

  it('writes nothing for a copied log with the same items', () => {
    expect(changesOf({ log: ['a'] }, { log: ['a'] })).toEqual({ changes: {}, unset: [] });
  });

  it('sets a log whole when its first item is new (also when the old log was empty)', () => {
    expect(changesOf({ log: ['a', 'b'] }, { log: ['c'] }).changes).toEqual({ log: { set: ['c'] } });
    expect(changesOf({ log: [] }, { log: ['a'] }).changes).toEqual({ log: { set: ['a'] } });
  });

  it('sets a log whole when it starts inside the old one but then differs', () => {
    const prev = { log: ['a', 'b', 'c'] };
    const next = { log: ['b', 'x'] };
    expect(changesOf(prev, next).changes).toEqual({ log: { set: ['b', 'x'] } });
    expect(applyStateDelta(prev, stateDelta(prev, next))).toEqual(next);
  });
});

describe('stateDelta: plain objects', () => {
  it('diffs one level of fields and sets a deeper object whole', () => {
    const prev = { m: { x: { a: 1, b: 2 }, y: 1 } };
    const next = { m: { x: { a: 1, b: 3 }, y: 1 } };
    expect(changesOf(prev, next).changes).toEqual({ m: { fields: { x: { set: { a: 1, b: 3 } } }, dropped: [] } });
  });

  it('lists a field that became undefined as dropped, not as a change', () => {
    const prev: { m: { a: number; b?: number } } = { m: { a: 1, b: 2 } };
    const next: { m: { a: number; b?: number } } = { m: { a: 1, b: undefined } };
    expect(changesOf(prev, next).changes).toEqual({ m: { fields: {}, dropped: ['b'] } });
    expect(applyStateDelta(prev, stateDelta(prev, next))).toEqual({ m: { a: 1 } });
  });

  it('drops a field that left, and not one that was already undefined', () => {
    const prev = { m: { a: 1, b: 2, z: undefined } };
    const next = { m: { a: 2 } };
    expect(changesOf(prev, next).changes).toEqual({ m: { fields: { a: { set: 2 } }, dropped: ['b'] } });
  });

  it('writes nothing for a copied object with the same fields', () => {
    expect(changesOf({ m: { a: 1 } }, { m: { a: 1 } })).toEqual({ changes: {}, unset: [] });
  });
});

describe('applyStateDelta onto a base without the field', () => {
  it('starts an upserted list from nothing', () => {
    const delta: StateDelta = { base: '', next: '', changes: { tasks: { upsert: [{ id: 'TASK_001' }], removed: [] } }, unset: [] };
    expect(applyStateDelta({}, delta)).toEqual({ tasks: [{ id: 'TASK_001' }] });
  });

  it('starts an appended log from nothing', () => {
    const delta: StateDelta = { base: '', next: '', changes: { log: { drop: 0, append: ['a'] } }, unset: [] };
    expect(applyStateDelta({}, delta)).toEqual({ log: ['a'] });
  });
});

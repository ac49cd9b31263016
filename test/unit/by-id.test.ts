import { byId, positionOf, replaceById } from '../../src/shared/by-id';

type Item = { id: string; n: number };
const items = (count: number): Item[] => Array.from({ length: count }, (_, i) => ({ id: `T${i}`, n: i }));

/** Items whose `id` reads are counted: building an index reads every id, a lookup by index reads one. */
function counted(count: number): { list: Item[]; reads: () => number } {
  let reads = 0;
  const list = items(count).map(
    (item) =>
      new Proxy(item, {
        get(target, key, receiver) {
          if (key === 'id') reads++;
          return Reflect.get(target, key, receiver);
        },
      }),
  );
  return { list, reads: () => reads };
}

test('finds items by id, and nothing for an unknown or missing id', () => {
  const list = items(5);
  expect(byId(list, 'T3')).toBe(list[3]);
  expect(byId(list, 'T9')).toBeUndefined();
  expect(byId(list, undefined)).toBeUndefined();
  expect(positionOf(list, 'T0')).toBe(0);
  expect(positionOf(list, 'nope')).toBe(-1);
});

test('after the first lookup indexes an array, each lookup reads one item, not a scan', () => {
  const { list, reads } = counted(10_000);
  byId(list, 'T0');
  const afterIndex = reads();
  expect(afterIndex).toBeGreaterThanOrEqual(10_000);
  for (const id of ['T9999', 'T5000', 'T1', 'T7777']) byId(list, id);
  expect(reads() - afterIndex).toBe(4);
});

test('a replaced array shares the index: looking up in it reads one item', () => {
  const { list, reads } = counted(1_000);
  byId(list, 'T0');
  const replaced = replaceById(list, 'T500', (t) => ({ id: t.id, n: -1 }));
  const before = reads();
  expect(byId(replaced, 'T999')?.n).toBe(999);
  expect(reads() - before).toBe(1);
  expect(byId(replaced, 'T500')?.n).toBe(-1);
});

test('replacing keeps every other item as it was and leaves the original alone', () => {
  const list = items(4);
  const next = replaceById(list, 'T2', (t) => ({ ...t, n: 20 }));
  expect(next).not.toBe(list);
  expect(next.map((t) => t.n)).toEqual([0, 1, 20, 3]);
  expect(list.map((t) => t.n)).toEqual([0, 1, 2, 3]);
  [0, 1, 3].forEach((i) => expect(next[i]).toBe(list[i]));
});

test('replacing an unknown id, or with no change, returns the same array', () => {
  const list = items(3);
  expect(replaceById(list, 'T7', (t) => ({ ...t, n: 1 }))).toBe(list);
  expect(replaceById(list, undefined, (t) => ({ ...t, n: 1 }))).toBe(list);
  expect(replaceById(list, 'T1', (t) => t)).toBe(list);
});

test('a change that renames the item is indexed afresh', () => {
  const list = items(3);
  const next = replaceById(list, 'T1', (t) => ({ ...t, id: 'X' }));
  expect(byId(next, 'X')?.n).toBe(1);
  expect(byId(next, 'T1')).toBeUndefined();
});

test('an array changed in place after indexing still answers right', () => {
  const list = items(3);
  expect(byId(list, 'T2')?.n).toBe(2);
  list.reverse();
  expect(byId(list, 'T2')).toBe(list[0]);
  list.push({ id: 'T3', n: 3 });
  expect(byId(list, 'T3')?.n).toBe(3);
  list.splice(0, 1);
  expect(byId(list, 'T2')).toBeUndefined();
});

test('with two items of one id the first wins, as with Array.find', () => {
  const list = [
    { id: 'A', n: 1 },
    { id: 'A', n: 2 },
  ];
  expect(byId(list, 'A')?.n).toBe(1);
  expect(replaceById(list, 'A', (t) => ({ ...t, n: 9 })).map((t) => t.n)).toEqual([9, 2]);
});

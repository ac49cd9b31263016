/**
 * Tasks and agents by id without scanning. State's arrays are never changed in place (every reducer returns new
 * arrays), so an index built once for an array stays true for it; a replacement shares its array's index, because it
 * keeps every id at its place. Each hit is checked, so an array changed in place anyway costs a rebuild, not a wrong
 * answer.
 */

type WithId = { readonly id: string };

const positions = new WeakMap<readonly WithId[], Map<string, number>>();

function indexFor(items: readonly WithId[]): Map<string, number> {
  let index = positions.get(items);
  if (!index || index.size !== items.length) {
    index = new Map();
    // The first of equal ids wins, as with Array.find.
    items.forEach((item, i) => index!.has(item.id) || index!.set(item.id, i));
    positions.set(items, index);
  }
  return index;
}

/** Where the item with `id` sits in `items`, or -1. */
export function positionOf(items: readonly WithId[], id: string | undefined): number {
  if (id === undefined) return -1;
  const at = indexFor(items).get(id);
  if (at !== undefined && items[at]?.id === id) return at;
  // The array was changed in place after it was indexed: index it again.
  positions.delete(items);
  return indexFor(items).get(id) ?? -1;
}

/** The item with `id`, or undefined. */
export function byId<T extends WithId>(items: readonly T[], id: string | undefined): T | undefined {
  const at = positionOf(items, id);
  return at < 0 ? undefined : items[at];
}

/** `items` with the item `id` replaced by `change(item)`; the same array when there is no such item or nothing changed. */
export function replaceById<T extends WithId>(items: T[], id: string | undefined, change: (item: T) => T): T[] {
  const at = positionOf(items, id);
  if (at < 0) return items;
  const next = change(items[at]!);
  if (next === items[at]) return items;
  const copy = items.slice();
  copy[at] = next;
  // Same ids in the same places, unless the change gave the item another id.
  if (next.id === id) positions.set(copy, positions.get(items)!);
  return copy;
}

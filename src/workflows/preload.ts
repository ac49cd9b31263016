/**
 * Loaded once per worker, before any workflow, into the module cache that every workflow in the worker's reusable V8
 * context shares (Temporal's `preloadModules`; src/workers/worker.ts). Without it each cached orchestration evaluated
 * its own copy of Baton's zod schemas, about 1,700 schema objects and 2.6 MB of live heap per resting workflow
 * (README, Performance → 5).
 *
 * After preloading, the SDK deep-freezes these modules. zod computes some members on first read (on the prototypes of
 * its internals, where freezing does not reach) and writes them onto the instance, which a frozen instance refuses; so
 * everything reachable from the exported schemas is read, and parsed once, here, before the freeze. The one zod check that writes
 * at parse time (`.regex()` resets `lastIndex`) is not used in these modules (src/shared/zod-rules.ts).
 */
import * as activityTypes from '../shared/activity-types';
import * as context from '../shared/context';
import * as eventSchemas from '../shared/event-schemas';
import * as schemas from '../shared/schemas';

/** Whether `value` is a zod schema or a schema's internals, whose prototypes carry members computed on first read. */
function zodLike(value: object): boolean {
  return '_zod' in value || ('traits' in value && 'constr' in value && 'def' in value);
}

/** Read every member reachable from `roots` (own, and inherited for zod objects), so lazy members are computed now. */
export function warmSchemas(roots: object[]): number {
  const seen = new Set<unknown>();
  const stack: unknown[] = [...roots];
  while (stack.length) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const owners: object[] = [value];
    if (zodLike(value)) {
      for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) owners.push(proto);
    }
    // zod also settles some things on a schema's first parse (its memoizer swaps `parse` once it knows the schema is
    // not recursive): one parse of nothing does that for every schema reached.
    const parse = (value as { safeParse?: unknown }).safeParse;
    if (owners.length > 1 && typeof parse === 'function') {
      try {
        parse.call(value, undefined);
      } catch {
        // A transform that cannot take `undefined`: it runs on real input later, and nothing here depends on it.
      }
    }
    for (const owner of owners) {
      for (const key of Reflect.ownKeys(owner)) {
        try {
          stack.push((value as Record<PropertyKey, unknown>)[key]);
        } catch {
          // A member that cannot be computed on its own (it needs a parse context) is computed when it is used.
        }
      }
    }
  }
  return seen.size;
}

warmSchemas([schemas, activityTypes, context, eventSchemas]);

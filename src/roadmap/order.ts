import type { WorkStream } from './stream-types';
import { tagRank } from './format';

/** Dotted ids compared number by number: 2.9 before 2.10, 9.1 before 10.7, 1.2 before 1.2.1. */
export function compareIds(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The order streams are offered in, before dependencies: ⭐ BOOTSTRAP, ⭐ PRIORITY, then by batch (1 when none) and,
 * between seed 003 streams, by id; otherwise (Baton's format) ties keep roadmap order.
 */
export function compareOffer(a: WorkStream, b: WorkStream): number {
  const byId = a.format === 'phases' && b.format === 'phases' ? compareIds(a.id, b.id) : 0;
  return tagRank(a.tag) - tagRank(b.tag) || (a.batch ?? 1) - (b.batch ?? 1) || byId;
}

/** The streams sorted by offer order (a new array; sorting is stable, so equal streams keep roadmap order). */
export function offerOrder(streams: readonly WorkStream[]): WorkStream[] {
  return [...streams].sort(compareOffer);
}

/**
 * The chosen streams in the order they should run: each after the chosen streams it depends on, and otherwise by
 * offer order, where a stream counts as urgent as the most urgent chosen stream waiting on it (so a bootstrap
 * stream's dependencies run before ordinary work).
 */
export function runOrder(chosen: readonly WorkStream[]): WorkStream[] {
  const byRef = new Map(chosen.map((s) => [s.ref, s]));
  const rank = new Map(chosen.map((s) => [s.ref, tagRank(s.tag)]));
  // Lower ranks flow down to dependencies; a chain is at most as long as the selection.
  for (let changed = true, rounds = 0; changed && rounds <= chosen.length; rounds++) {
    changed = false;
    for (const s of chosen) {
      for (const dep of s.dependsOn) {
        if (byRef.has(dep) && rank.get(dep)! > rank.get(s.ref)!) {
          rank.set(dep, rank.get(s.ref)!);
          changed = true;
        }
      }
    }
  }
  const pending = [...chosen].sort((a, b) => rank.get(a.ref)! - rank.get(b.ref)! || compareOffer(a, b));
  const done = new Set<string>();
  const out: WorkStream[] = [];
  while (pending.length > 0) {
    const next = pending.findIndex((s) => s.dependsOn.every((dep) => done.has(dep) || !byRef.has(dep)));
    // A cycle cannot reach here from a clean roadmap; if one does, keep offer order rather than loop.
    const [stream] = pending.splice(next < 0 ? 0 : next, 1);
    done.add(stream!.ref);
    out.push(stream!);
  }
  return out;
}

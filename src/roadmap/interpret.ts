import type { GoalInterpretation } from '../shared/activity-types';
import type { WorkStream } from './stream-types';
import { waitsOnDependencies } from './fields';
import { runOrder } from './order';
import { asksForAll, goalKind, mentionedStreams, rankStreams } from './rank';

/** Which streams a goal means, with what could not be taken and why. */
export interface GoalSelection {
  interpretation: GoalInterpretation;
  /** In run order: dependencies first, then ⭐ BOOTSTRAP, ⭐ PRIORITY, batch and id. */
  selected: WorkStream[];
  problems: string[];
}

/** Held refs (never offered again) and, optionally, streams the person named (`baton run site:1.2`) or `all`. */
export interface InterpretOptions {
  held: string[];
  explicit?: string[] | 'all';
}

/** The deterministic fallback for `interpret_goal`: explicit streams, every available one, or those the goal's words match; closed over dependencies. */
export function interpretGoal(goal: string, streams: WorkStream[], opts: InterpretOptions): GoalSelection {
  const held = new Set(opts.held);
  const byRef = new Map(streams.map((stream) => [stream.ref, stream]));
  const problems: string[] = [];
  const unavailable = (stream: WorkStream) => whyNot(stream, held);
  const takeable = (found: WorkStream[], named: boolean) =>
    found.filter((stream) => {
      const why = unavailable(stream);
      // A word match on finished work is noise; a stream named by id deserves an answer.
      if (why && (named || stream.status !== 'complete')) problems.push(`${stream.ref} ${why}`);
      return !why;
    });

  let goalType: GoalInterpretation['goalType'];
  let candidates: WorkStream[];
  if (Array.isArray(opts.explicit)) {
    goalType = 'run-stream';
    candidates = takeable(
      opts.explicit.flatMap((name) => resolve(name, streams, problems) ?? []),
      true,
    );
  } else if (opts.explicit === 'all' || asksForAll(goal)) {
    goalType = 'run-all';
    candidates = streams.filter((stream) => !unavailable(stream));
  } else {
    const kind = goalKind(goal);
    const mentioned = mentionedStreams(goal, streams);
    goalType = mentioned.length > 0 && kind === 'other' ? 'run-stream' : kind;
    candidates = mentioned.length > 0 ? takeable(mentioned, true) : takeable(rankStreams(goal, streams), false);
  }

  const chosen = closeOverDependencies(candidates, byRef, held, problems);
  const selected = runOrder(streams.filter((stream) => chosen.has(stream.ref)));
  const recommendation = recommend(selected, goalType, byRef);
  return { interpretation: { goalType, matchingStreams: selected.map((s) => s.ref), recommendation, by: 'ranking' }, selected, problems };
}

/** Why a stream cannot be selected, or undefined when it can. */
function whyNot(stream: WorkStream, held: Set<string>): string | undefined {
  if (stream.status === 'complete') return 'is complete already';
  if (held.has(stream.ref)) return 'is already being worked on';
  if (stream.status === 'blocked' && !waitsOnDependencies(stream)) return `is blocked${stream.note ? `: ${stream.note}` : ' (no reason given)'}`;
  return undefined;
}

/** A stream by ref, or by bare id when exactly one target has it. */
function resolve(name: string, streams: WorkStream[], problems: string[]): WorkStream | undefined {
  const exact = streams.find((stream) => stream.ref === name.trim());
  if (exact) return exact;
  const byId = name.includes(':') ? [] : streams.filter((stream) => stream.id === name.trim());
  if (byId.length === 1) return byId[0];
  if (byId.length > 1) problems.push(`"${name}" is in more than one target (${byId.map((s) => s.ref).join(', ')}): name the target`);
  else problems.push(`no stream "${name}" on any roadmap`);
  return undefined;
}

/** Adds open dependencies the selection needs; drops streams whose dependency cannot run, with a problem line each. */
function closeOverDependencies(candidates: WorkStream[], byRef: Map<string, WorkStream>, held: Set<string>, problems: string[]): Set<string> {
  const chosen = new Set(candidates.map((stream) => stream.ref));
  const queue = [...chosen];
  while (queue.length > 0) {
    for (const dep of byRef.get(queue.shift()!)?.dependsOn ?? []) {
      const stream = byRef.get(dep);
      if (!stream || chosen.has(dep) || whyNot(stream, held)) continue;
      chosen.add(dep);
      queue.push(dep);
    }
  }
  const satisfied = (dep: string) => chosen.has(dep) || byRef.get(dep)?.status === 'complete';
  for (let dropped = true; dropped; ) {
    dropped = false;
    for (const ref of chosen) {
      const missing = byRef.get(ref)!.dependsOn.find((dep) => !satisfied(dep));
      if (missing === undefined) continue;
      const dep = byRef.get(missing);
      const why = dep ? whyNot(dep, held) ?? 'cannot run either' : 'is not on any roadmap';
      problems.push(`${ref} waits on ${missing}, which ${why}`);
      chosen.delete(ref);
      dropped = true;
    }
  }
  return chosen;
}

function recommend(selected: WorkStream[], goalType: GoalInterpretation['goalType'], byRef: Map<string, WorkStream>): string {
  if (selected.length === 0) {
    return goalType === 'run-stream' || goalType === 'run-all'
      ? 'None of the requested streams can run now.'
      : 'Nothing on the roadmap matches this goal; plan it freely.';
  }
  const chosen = new Set(selected.map((s) => s.ref));
  const level = new Map<string, number>();
  for (const stream of selected) level.set(stream.ref, 1 + Math.max(0, ...stream.dependsOn.filter((d) => chosen.has(d)).map((d) => level.get(d) ?? 0)));
  const widths = [...level.values()].reduce<Record<number, number>>((acc, l) => ({ ...acc, [l]: (acc[l] ?? 0) + 1 }), {});
  const agents = Math.max(...Object.values(widths));
  const names = selected.map((s) => `${s.ref} (${byRef.get(s.ref)?.title || 'untitled'})`).join(', ');
  const waits = selected
    .map((s) => ({ ref: s.ref, on: s.dependsOn.filter((d) => chosen.has(d)) }))
    .filter(({ on }) => on.length > 0)
    .map(({ ref, on }) => `${ref} waits on ${on.join(' and ')}`);
  const count = `${selected.length} stream${selected.length === 1 ? '' : 's'}`;
  const sentence = `Run ${count} with up to ${agents} agent${agents === 1 ? '' : 's'} at once: ${names}.${waits.length > 0 ? ` ${waits.join('; ')}.` : ''}`;
  return sentence.length <= 2000 ? sentence : `${sentence.slice(0, 1997)}...`;
}

import { z } from 'zod';
import type { PlannedTask } from './activity-types';

/** Seed 002's four orchestration patterns. */
export const PatternKind = z.enum(['parallel', 'sequential', 'hierarchical', 'consensus']);
export type PatternKind = z.infer<typeof PatternKind>;

/** The pattern a planner states for an objective, and why. */
export const PatternChoice = z.strictObject({
  kind: PatternKind.describe('parallel (independent tasks at once), sequential (a dependency chain), hierarchical (a lead task with a team), consensus (several agents decide one task)'),
  why: z.string().trim().min(1).max(500).describe('Why this pattern fits the objective, in a sentence'),
});
export type PatternChoice = z.infer<typeof PatternChoice>;

/** The pattern stored on an objective: stated by the planner or derived from the plan's shape; `mismatch` when the plan contradicts the statement. */
export const ObjectivePattern = z.object({
  kind: PatternKind,
  why: z.string(),
  by: z.enum(['planner', 'derived']),
  mismatch: z.string().optional(),
});
export type ObjectivePattern = z.infer<typeof ObjectivePattern>;

const WHY_CHARS = 500;

interface Shape {
  leads: PlannedTask[];
  consensus: PlannedTask[];
  /** Number of dependency steps on the longest chain. */
  steps: number;
  /** Most tasks on one step. */
  width: number;
  /** Keys of the longest chain, first to last. */
  chain: string[];
  /** Keys of the first step's tasks. */
  first: string[];
}

/** The plan's shape: lead and consensus tasks, and its dependency steps (cycles and unknown keys ignored; the plan is checked elsewhere). */
function shapeOf(tasks: readonly PlannedTask[]): Shape {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const chainTo = new Map<string, string[]>();
  const longest = (key: string, seen: Set<string>): string[] => {
    const known = chainTo.get(key);
    if (known) return known;
    let best: string[] = [];
    for (const dep of byKey.get(key)?.dependsOn ?? []) {
      if (!byKey.has(dep) || seen.has(dep)) continue;
      const chain = longest(dep, new Set([...seen, dep]));
      if (chain.length > best.length) best = chain;
    }
    const chain = [...best, key];
    chainTo.set(key, chain);
    return chain;
  };
  const perStep = new Map<number, string[]>();
  let chain: string[] = [];
  for (const t of tasks) {
    const c = longest(t.key, new Set([t.key]));
    if (c.length > chain.length) chain = c;
    perStep.set(c.length, [...(perStep.get(c.length) ?? []), t.key]);
  }
  return {
    leads: tasks.filter((t) => t.lead),
    consensus: tasks.filter((t) => t.consensus),
    steps: chain.length,
    width: Math.max(0, ...[...perStep.values()].map((keys) => keys.length)),
    chain,
    first: perStep.get(1) ?? [],
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const keys = (ks: readonly string[], max = 4): string => (ks.length > max ? `${ks.slice(0, max).join(', ')}, …` : ks.join(', '));

/** How the dependency graph runs, in words, as parallel or sequential. */
function graphPattern(tasks: readonly PlannedTask[], s: Shape): { kind: 'parallel' | 'sequential'; why: string } {
  if (tasks.length <= 1) return { kind: 'sequential', why: `one task (${keys(s.chain)}), nothing to run beside it` };
  if (s.steps === 1) return { kind: 'parallel', why: `${plural(tasks.length, 'independent task')} run at once (${keys(s.first)})` };
  if (s.width === 1) return { kind: 'sequential', why: `a chain of ${s.steps} steps: ${s.chain.join(' → ')}` };
  const later = tasks.length - s.first.length;
  if (s.width >= s.steps) {
    return { kind: 'parallel', why: `${plural(s.first.length, 'task')} run at once (${keys(s.first)}), then ${plural(later, 'task')} build${later === 1 ? 's' : ''} on them in ${plural(s.steps - 1, 'more step')}` };
  }
  return { kind: 'sequential', why: `a chain of ${s.steps} steps (${s.chain.join(' → ')}), with up to ${s.width} tasks side by side` };
}

/** The pattern a plan's shape shows: lead tasks → hierarchical, consensus tasks → consensus, a dependency chain → sequential, independent tasks → parallel; mixed shapes say so. */
export function derivePattern(tasks: readonly PlannedTask[]): ObjectivePattern {
  const s = shapeOf(tasks);
  const clauses: string[] = [];
  if (s.leads.length) clauses.push(`task${s.leads.length > 1 ? 's' : ''} ${keys(s.leads.map((t) => t.key))} lead${s.leads.length > 1 ? '' : 's'} a team`);
  if (s.consensus.length) {
    clauses.push(s.consensus.map((t) => `task ${t.key} is decided by consensus of ${t.consensus?.agents} agents`).join(', '));
  }
  const graph = graphPattern(tasks, s);
  if (!clauses.length) return { kind: graph.kind, why: graph.why, by: 'derived' };
  const kind: PatternKind = s.leads.length ? 'hierarchical' : 'consensus';
  const others = tasks.length - s.leads.length - s.consensus.length;
  if (others > 0) {
    const independent = tasks.every((t) => !t.dependsOn.length);
    const special = s.leads.length + s.consensus.length;
    clauses.push(
      independent
        ? `${plural(others, 'independent task')} run${others === 1 ? 's' : ''} beside ${special === 1 ? 'it' : 'them'}`
        : `${plural(others, 'other task')}; the plan runs as ${graph.kind === 'parallel' ? 'parallel' : 'sequential'} steps: ${graph.why}`,
    );
  }
  return { kind, why: clauses.join('; ').slice(0, WHY_CHARS), by: 'derived' };
}

/** Why a stated pattern contradicts the plan (`no task is a lead task`), or undefined when the plan can bear it out. */
export function patternMismatch(kind: PatternKind, tasks: readonly PlannedTask[]): string | undefined {
  const s = shapeOf(tasks);
  if (kind === 'hierarchical' && !s.leads.length) return 'no task is a lead task';
  if (kind === 'consensus' && !s.consensus.length) return 'no task has consensus';
  if (kind === 'sequential' && tasks.length > 1 && s.steps === 1) return 'no task depends on another';
  if (kind === 'parallel' && tasks.length > 1 && s.width === 1) return 'every task waits on the one before';
  return undefined;
}

/** The objective's pattern: the planner's statement when it gives one (kept, with the mismatch named when the plan contradicts it), else the plan's shape. */
export function resolvePattern(tasks: readonly PlannedTask[], stated?: PatternChoice): ObjectivePattern {
  if (!stated) return derivePattern(tasks);
  const mismatch = patternMismatch(stated.kind, tasks);
  if (!mismatch) return { kind: stated.kind, why: stated.why.slice(0, WHY_CHARS), by: 'planner' };
  const shape = derivePattern(tasks);
  const why = `${stated.why} (but ${mismatch}: the plan's shape is ${shape.kind}, ${shape.why})`;
  return { kind: stated.kind, why: why.slice(0, WHY_CHARS), by: 'planner', mismatch };
}

/** `hierarchical (derived) — tasks lead-x leads a team` for status, shortened to `max` characters. */
export function patternLine(p: ObjectivePattern, max = 140): string {
  const source = p.mismatch ? `${p.by}; does not match the plan` : p.by;
  const line = `${p.kind} (${source}) — ${p.why.replace(/\s+/g, ' ')}`;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

import type { GoalInterpretation } from '../shared/activity-types';
import type { WorkStream } from './stream-types';

/** A goal's kind, as far as its verbs tell. */
export type GoalKind = Extract<GoalInterpretation['goalType'], 'feature' | 'fix' | 'research' | 'other'>;

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could do does for from get go have how i in into is it its let lets make me my of on or our please ' +
    'run set should so some that the their them then there these this to up us we what when where which will with would you your ' +
    'add build implement create develop fix research investigate work start finish need want new also all any more now'
  ).split(' '),
);
const RUN_ALL =
  /^(please )?((run|do|start|work on|pick up|take on|tackle) )?(all|everything)( (the|of the|that is|thats|that you can|you can))?( (available|open|ready|remaining|possible|you can))?( (work|streams?|tasks?|work streams))?( (now|please|on the roadmap|in the roadmap))?$/;
const MENTION = /(?:\b([a-z0-9][a-z0-9_-]*):)?(?<![\d.])(\d+(?:\.\d+)+)(?![\d.]*\d)/gi;

/** Whether a goal asks for every available stream ("run everything available", "all available work", "everything you can"). */
export function asksForAll(goal: string): boolean {
  const plain = goal.toLowerCase().replace(/[^a-z0-9\s]/g, '').replace(/\s+/g, ' ').trim();
  return RUN_ALL.test(plain);
}

/** The goal's kind from its verbs: fix/bug → fix, research/investigate → research, build/add/implement → feature. */
export function goalKind(goal: string): GoalKind {
  const text = goal.toLowerCase();
  if (/\b(fix(es|ed|ing)?|bugs?|broken|repair|regressions?|crash(es)?)\b/.test(text)) return 'fix';
  if (/\b(research|investigate|explore|study|evaluate|compare|find out|look into)\b/.test(text)) return 'research';
  if (/\b(build|add|implement|create|develop|make|feature|ship|write)\b/.test(text)) return 'feature';
  return 'other';
}

/** Streams the goal names by id (`1.2` in every target, `site:1.2` in one). */
export function mentionedStreams(goal: string, streams: WorkStream[]): WorkStream[] {
  const found: WorkStream[] = [];
  for (const match of goal.matchAll(MENTION)) {
    const target = match[1]?.toLowerCase();
    for (const stream of streams) {
      if (stream.id === match[2] && (target === undefined || stream.target === target) && !found.includes(stream)) found.push(stream);
    }
  }
  return found;
}

/** Lowercase word stems, without stop words (`Ordering menus` → order, menu). */
function stems(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.toLowerCase().match(/[a-z][a-z0-9]*/g) ?? []) {
    if (STOP_WORDS.has(word)) continue;
    out.add(stem(word));
  }
  return out;
}

function stem(word: string): string {
  for (const suffix of ['ing', 'ies', 'es', 'ed', 's']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) return suffix === 'ies' ? `${word.slice(0, -3)}y` : word.slice(0, -suffix.length);
  }
  return word;
}

/** How well a stream matches the goal: 3 per goal word in its title, 1 per goal word only in its text (with seed 003's tasks and Done When). */
function matchScore(goalStems: Set<string>, stream: WorkStream): number {
  const title = stems(stream.title);
  const text = stems([stream.text, ...(stream.tasks ?? []).map((t) => t.text), ...(stream.doneWhen ?? [])].join('\n'));
  let score = 0;
  for (const word of goalStems) score += title.has(word) ? 3 : text.has(word) ? 1 : 0;
  return score;
}

/** Streams whose score clears the bar: at least one title word (or three text words), and at least half the best score. */
export function rankStreams(goal: string, streams: WorkStream[]): WorkStream[] {
  const goalStems = stems(goal);
  const scored = streams.map((stream) => ({ stream, score: matchScore(goalStems, stream) }));
  const best = Math.max(0, ...scored.map(({ score }) => score));
  return scored
    .filter(({ score }) => score >= 3 && score * 2 >= best)
    .sort((a, b) => b.score - a.score)
    .map(({ stream }) => stream);
}

import type { RoadmapFormat, StreamStatus } from './stream-types';
import type { FieldResult } from './fields';

/** A status as a person means it; `ready`, `not started` and `available` are all Baton's `available`. */
export type StatusKind = 'available' | 'ready' | 'not started' | 'in progress' | 'blocked' | 'complete';

/** A status value read: Baton's status, its note, and how the file spells the status itself (`🔄 In Progress`). */
export interface ReadStatus {
  status: StreamStatus;
  note?: string;
  kind: StatusKind;
  spelling: string;
}

/** How one file spells statuses and "nobody", learnt from its own lines so Baton writes back the same way. */
export interface Spelling {
  status: Partial<Record<StatusKind, string>>;
  /** How the file writes an empty `Assigned To`: its first such value (`-`, `None`, or nothing at all); `-` when it has none. */
  nobody?: string;
  /** Whether any stream has a `Completed:` line, so completing one adds its date too. */
  completedLines: boolean;
}

const EMOJI: Record<string, StatusKind> = { '✅': 'complete', '🔄': 'in progress', '🔴': 'blocked', '⚪': 'not started', '🟢': 'ready' };
const LEADING_EMOJI = /^(✅|🔄|🔴|⚪|🟢)\uFE0F?\s*/u;
const TRAILING_EMOJI = /^\s*(✅|🔄|🔴|⚪|🟢)\uFE0F?/u;
const WORD = /^(not[ -]started|in[ -]progress|available|ready|blocked|completed?)\b/i;
const DEFAULTS: Record<StatusKind, string> = {
  available: '🟢 Ready',
  ready: '🟢 Ready',
  'not started': '⚪ Not Started',
  'in progress': '🔄 In Progress',
  blocked: '🔴 Blocked',
  complete: '✅ Complete',
};

function kindOfWord(word: string): StatusKind {
  const w = word.toLowerCase().replace('-', ' ');
  return w === 'completed' ? 'complete' : (w as StatusKind);
}

/** Baton's status of a kind. */
export function statusOf(kind: StatusKind): StreamStatus {
  return kind === 'ready' || kind === 'not started' ? 'available' : kind;
}

/**
 * A status in words and/or emoji (`in progress`, `✅ Complete`, `Blocked 🔴`, `⚪`), optionally followed by a note
 * after `—`, `–`, `:`, a spaced hyphen or in parentheses. Words and emoji that disagree are refused, never guessed.
 */
export function readStatus(value: string, format: RoadmapFormat): FieldResult<ReadStatus> {
  const text = value.trim();
  const use = format === 'phases' ? '✅ Complete, 🔄 In Progress, 🔴 Blocked, ⚪ Not Started or 🟢 Ready' : 'available, in progress, blocked or complete';
  const fail = { ok: false as const, message: `unknown status "${text}" (use ${use})` };
  let at = 0;
  const lead = LEADING_EMOJI.exec(text);
  if (lead) at = lead[0].length;
  const word = WORD.exec(text.slice(at));
  if (word) at += word[0].length;
  const trail = !lead && word ? TRAILING_EMOJI.exec(text.slice(at)) : null;
  if (trail) at += trail[0].length;
  const emoji = lead?.[1] ?? trail?.[1];
  if (!emoji && !word) return fail;
  const fromEmoji = emoji ? EMOJI[emoji]! : undefined;
  const fromWord = word ? kindOfWord(word[1]!) : undefined;
  if (fromEmoji && fromWord && statusOf(fromEmoji) !== statusOf(fromWord)) {
    return { ok: false, message: `status "${text}" says both ${emoji} (${statusOf(fromEmoji)}) and "${word![1]}"` };
  }
  const kind = fromWord ?? fromEmoji!;
  const rest = text.slice(at);
  const read: ReadStatus = { status: statusOf(kind), kind, spelling: text.slice(0, at).trim() };
  if (rest.trim() === '') return { ok: true, value: read };
  // An em or en dash (or a colon) may touch the note; a hyphen needs a space before it so `blocked-ish` is not read as a note.
  const note = /^\s*[—–:]\s*(.*)$/s.exec(rest) ?? /^\s+-(?:\s+(.*)|)$/s.exec(rest) ?? (format === 'phases' ? /^\s*\((.*)\)\s*$/s.exec(rest) : null);
  if (!note) return fail;
  const noteText = (note[1] ?? '').trim();
  return { ok: true, value: noteText === '' ? read : { ...read, note: noteText } };
}

/** A file's spelling before any line is read. */
export function emptySpelling(): Spelling {
  return { status: {}, completedLines: false };
}

/** Remembers the first spelling of each kind of status the file uses. */
export function learnStatus(spelling: Spelling, read: ReadStatus): void {
  spelling.status[read.kind] ??= read.spelling;
}

/** How this file writes a status (with its note after an em dash): Baton's lowercase words, or seed 003's spelling as the file has it. */
export function writeStatus(format: RoadmapFormat, spelling: Spelling, status: StreamStatus, note?: string | null): string {
  const text = note?.replace(/\s+/g, ' ').trim();
  const word = format === 'baton' ? status : phaseSpelling(spelling, status);
  return text ? `${word} — ${text}` : word;
}

/** Seed 003's spelling of a status: the file's own when it has one; otherwise in the file's style (emoji and/or words, its case). */
function phaseSpelling(spelling: Spelling, status: StreamStatus): string {
  const seen = spelling.status;
  if (status === 'available') {
    const own = seen.ready ?? seen['not started'] ?? seen.available;
    if (own) return own;
  } else if (seen[status]) return seen[status]!;
  const base = DEFAULTS[status];
  const known = Object.values(seen);
  if (known.length === 0) return base;
  const [emoji, ...words] = base.split(' ');
  const withEmoji = known.some((s) => LEADING_EMOJI.test(s) || /[✅🔄🔴⚪🟢]/u.test(s));
  const withWords = known.some((s) => /[a-z]/i.test(s));
  const upper = known.some((s) => /[A-Z]{2}/.test(s) && !/[a-z]/.test(s));
  const wordText = upper ? words.join(' ').toUpperCase() : words.join(' ');
  if (!withWords) return emoji!;
  return withEmoji ? `${emoji} ${wordText}` : wordText;
}

import type { DevLogEntry } from './stream-types';
import { dominantEol } from './markdown';

/** Appends one section per completed task; a task whose `<!-- baton:ID -->` marker is already there is not written again. */
export function appendDevLog(existing: string, entries: DevLogEntry[]): { text: string; written: number } {
  const eol = dominantEol(existing);
  const seen = new Set<string>();
  const sections: string[] = [];
  for (const entry of entries) {
    if (seen.has(entry.taskId) || existing.includes(marker(entry.taskId))) continue;
    seen.add(entry.taskId);
    sections.push(devLogSection(entry).join(eol));
  }
  if (sections.length === 0) return { text: existing, written: 0 };
  // What is there stays byte for byte; only enough line endings are added to start a new paragraph.
  // A CR counts as a line ending only when no LF follows it, so one CRLF is one line ending, not a blank line.
  const head = existing.trim() === '' ? `# Dev log${eol}${eol}` : existing + (/(\r\n|\n|\r(?!\n))[ \t]*(\r\n|\n|\r(?!\n))$/.test(existing) ? '' : /(\r?\n|\r)$/.test(existing) ? eol : eol + eol);
  return { text: `${head}${sections.join(eol + eol)}${eol}`, written: sections.length };
}

/** The HTML comment that marks a task's entry, invisible when rendered. */
function marker(taskId: string): string {
  return `<!-- baton:${taskId} -->`;
}

/** The lines of one entry: heading with date, ref and title, then agent, verification, rework and the summary. */
function devLogSection(entry: DevLogEntry): string[] {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  // A stream task's mission (and so its title) already starts with its ref.
  const ref = entry.ref && !oneLine(entry.title).startsWith(entry.ref) ? entry.ref : undefined;
  const subject = oneLine([ref, entry.title].filter(Boolean).join(' '));
  // A summary must not be able to forge another task's marker and so suppress its entry.
  const summary = entry.summary.replace(/<!--/g, '&lt;!--').trim();
  return [
    `## ${day(entry.completed)} — ${subject || entry.taskId}`,
    marker(entry.taskId),
    '',
    `- **Task:** ${entry.taskId} (${entry.target})`,
    `- **Agent:** ${oneLine(entry.agent)}`,
    `- **Verification:** ${oneLine(entry.verification)}`,
    `- **Rework:** ${entry.rework === 0 ? 'none' : `${entry.rework} round${entry.rework === 1 ? '' : 's'}`}`,
    ...(summary ? ['', ...summary.split(/\r\n|\r|\n/)] : []),
  ];
}

/** `YYYY-MM-DD` of an ISO timestamp (or any date string `Date` reads). */
function day(completed: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}/.exec(completed.trim());
  if (iso) return iso[0];
  const parsed = new Date(completed);
  return Number.isNaN(parsed.getTime()) ? 'undated' : parsed.toISOString().slice(0, 10);
}

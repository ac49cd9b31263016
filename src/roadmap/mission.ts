import type { StreamTask, WorkStream } from './stream-types';

/** Longest mission a task may carry (the plan schema's limit). */
export const MAX_MISSION = 2000;
/** Most success criteria a stream task gets. */
const MAX_CRITERIA = 10;
/** Longest single criterion. */
const MAX_CRITERION = 300;

/** What an agent working a stream is told: its mission (starting `ref title`) and its success criteria. */
export interface StreamMission {
  mission: string;
  successCriteria: string[];
}

/**
 * A stream's mission and success criteria. Baton's format: the title and free text, criteria from its `[ ]`/`[x]`
 * checklist. Seed 003's: the title, batch and tag, every `Tasks:` item with its state, then every other field and
 * the free text as written; `Done When` becomes the success criteria. Cut to fit MAX_MISSION, tasks before context.
 */
export function streamMission(stream: WorkStream): StreamMission {
  const fallback = [`the quality gates of ${stream.target} pass`];
  const title = `${stream.ref} ${stream.title}`;
  if (stream.format !== 'phases') {
    const checklist = [...stream.text.matchAll(/^\s*[-*] \[[ xX]\] (.+)$/gm)].map((m) => (m[1] ?? '').trim()).filter(Boolean);
    return { mission: `${title}${stream.text ? `\n\n${stream.text}` : ''}`.slice(0, MAX_MISSION), successCriteria: checklist.length ? checklist.slice(0, MAX_CRITERIA) : fallback };
  }
  const about = [stream.phase ?? `Batch ${stream.batch ?? 1}`, stream.tag ? `⭐ ${stream.tag}` : '', stream.effort ? `effort ${stream.effort}` : ''].filter(Boolean).join(' · ');
  const head = [title, about].join('\n');
  const tasks = stream.tasks ?? [];
  const taskLines = tasks.length ? ['Tasks, as the roadmap marks them (finish the open ones; keep what is done):', ...tasks.map(taskLine)] : [];
  const criteria = (stream.doneWhen ?? []).map((c) => c.slice(0, MAX_CRITERION));
  const taskBlock = fitLines(taskLines, MAX_MISSION - head.length - 2);
  const used = head.length + (taskBlock ? taskBlock.length + 2 : 0);
  const context = stream.text ? cut(stream.text, MAX_MISSION - used - 2) : '';
  const mission = [head, taskBlock, context].filter(Boolean).join('\n\n');
  return { mission: mission.slice(0, MAX_MISSION), successCriteria: criteria.length ? criteria.slice(0, MAX_CRITERIA) : fallback };
}

/** `- [⚙️] (in progress) Wire the parser`, indented by its depth. */
function taskLine(task: StreamTask): string {
  const state = task.state === 'other' ? `marked ${task.marker.trim()}` : task.state;
  return `${'  '.repeat(task.depth)}- [${task.marker}] (${state}) ${task.text}`;
}

/** As many whole lines as fit in `room` characters, with a note of how many were left out. */
function fitLines(lines: string[], room: number): string {
  const out: string[] = [];
  let size = 0;
  for (const [i, line] of lines.entries()) {
    const left = lines.length - i - 1;
    const note = left > 0 ? `\n- … ${left} more (see the roadmap)` : '';
    if (size + line.length + 1 + note.length > room) {
      out.push(`- … ${lines.length - i} more (see the roadmap)`);
      break;
    }
    out.push(line);
    size += line.length + 1;
  }
  return out.join('\n');
}

/** The text, cut to `room` characters with a marker when it does not fit. */
function cut(text: string, room: number): string {
  if (room < 40) return '';
  return text.length <= room ? text : `${text.slice(0, room - 40).trimEnd()}\n[… cut; the rest is in the roadmap]`;
}

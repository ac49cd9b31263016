import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRoadmap } from '../../src/roadmap';
import type { ParsedRoadmap } from '../../src/roadmap';

// Every parse happens inside a test, so that Stryker's mutant is active while it runs (a parse at describe level
// runs before the mutant is switched on, which is why the seed 003 suite could not kill parse.ts's mutants).
const where = { file: 'plans/roadmap.md', target: 'core' };
const SEED003 = fs.readFileSync(path.join(__dirname, '../fixtures/seed003/roadmap.md'), 'utf8');
const byId = (parsed: ParsedRoadmap, id: string) => {
  const stream = parsed.streams.find((s) => s.id === id);
  if (!stream) throw new Error(`no stream ${id}`);
  return stream;
};

describe("parseRoadmap: seed 003's phases, parsed while the test runs", () => {
  it('reads the checklist of a phase whose `**Tasks:**` is a bare paragraph, and keeps that label out of the text', () => {
    const parsed = parseRoadmap(SEED003, where);
    expect(byId(parsed, '1.3').tasks!.map((t) => [t.state, t.text])).toEqual([['open', 'Spike'], ['done', 'Read the seed']]);
    expect(byId(parsed, '1.3').text).toBe('- **Completed:** 2025-11-21\n- **Design Notes:** keep it a pure function; the runner does the I/O');
  });

  it('keeps the fields Baton does not act on as context, in the order written, and drops those it acts on', () => {
    const parsed = parseRoadmap(SEED003, where);
    expect(byId(parsed, '1.5').text).toBe('- **Completed:** 2025-11-20\n- **Quality Gates:**\n  - pytest passes (no skips)\n  - ruff and mypy clean');
    expect(byId(parsed, '1.4').text).toBe('- **Implementation Notes:**\n  - Reuse the message envelope from Phase 3.1\n  - See docs/nats-architecture.md');
  });

  it('reads Done When on one line or as nested bullets, and leaves a phase without it with none', () => {
    const parsed = parseRoadmap(SEED003, where);
    expect(byId(parsed, '1.3').doneWhen).toEqual(['Task Decomposition is used by the orchestrator and its tests pass']);
    expect(byId(parsed, '1.4').doneWhen).toEqual(['Agent Role Registry has unit tests', '`make check` is green']);
    expect('doneWhen' in byId(parsed, '1.1')).toBe(false);
  });

  it('reads the effort and keeps the batch and phase title of every phase', () => {
    const parsed = parseRoadmap(SEED003, where);
    expect(byId(parsed, '1.1')).toMatchObject({ effort: 'S', batch: 1, phase: 'Batch 1: Foundations', format: 'phases', tag: 'BOOTSTRAP' });
    expect(byId(parsed, '2.4')).toMatchObject({ effort: 'L', batch: 2, phase: 'Batch 2: Team Formation' });
    expect('tag' in byId(parsed, '1.2')).toBe(false);
  });

  it('keeps free text after a checklist, but not the `##` sections that follow a phase', () => {
    const parsed = parseRoadmap(SEED003, where);
    expect(byId(parsed, '2.1').text).toBe('Context: Team Composition Engine was split out of the first draft of the roadmap.');
  });
});

describe('parseRoadmap: phases text and tasks', () => {
  const phases = (body: string) => parseRoadmap(`## Batch 1: Core\n\n### Phase 1.1: Broker\n${body}`, where).streams[0]!;

  it('turns bare checklist items into tasks and keeps other items as text, joined by the file\'s line ending', () => {
    const stream = phases('- **Status:** 🟢 Ready\n\n- [ ] write the client\n- [x] pick a library\n- a plain note\n- another note\n');
    expect(stream.tasks!.map((t) => [t.state, t.text])).toEqual([['open', 'write the client'], ['done', 'pick a library']]);
    expect(stream.text).toBe('- a plain note\n- another note');
  });

  it('has no tasks at all when nothing is a checklist, and no empty paragraph where a list held only acted-on fields', () => {
    const stream = phases('Intro words.\n\n- **Status:** 🟢 Ready\n- **Effort:** M\n\nClosing words.\n');
    expect('tasks' in stream).toBe(false);
    expect(stream.text).toBe('Intro words.\n\nClosing words.');
  });

  it('drops a `Tasks:` label paragraph however it is spelled, but keeps a paragraph that only mentions tasks', () => {
    const stream = phases('- **Status:** 🟢 Ready\n\n  Tasks :  \n\n- [ ] one\n\nThe tasks: are listed above.\n\nTASKS\n\n- [ ] two\n');
    expect(stream.tasks!.map((t) => t.text)).toEqual(['one', 'two']);
    expect(stream.text).toBe('The tasks: are listed above.');
  });

  it('after a `##` heading inside a phase, keeps only the phase\'s own context fields', () => {
    const stream = phases('- **Status:** 🟢 Ready\n\nKept words.\n\n## Strategic Priorities\n\nNot this paragraph.\n\n- [ ] not a task of the phase\n- not this item\n- **Design Notes:** still the phase\'s own\n');
    expect(stream.text).toBe('Kept words.\n\n- **Design Notes:** still the phase\'s own');
    expect('tasks' in stream).toBe(false);
  });

  it('keeps an effort it cannot read as context, but not an empty one, and reads a loose one', () => {
    expect(phases('- **Effort:** two sprints\n')).toMatchObject({ text: '- **Effort:** two sprints' });
    expect('effort' in phases('- **Effort:** two sprints\n')).toBe(false);
    const empty = phases('- **Effort:**\n');
    expect(empty.text).toBe('');
    expect('effort' in empty).toBe(false);
    expect(phases('- **Effort:** Medium (2-3 days)\n')).toMatchObject({ effort: 'M', text: '' });
  });

  it('keeps the batch title as the phase under a `##` heading that is not a batch, and forgets it after a `#` heading', () => {
    const parsed = parseRoadmap('## Batch 1: Core\n\n### Phase 1.1: A\n- **Status:** 🟢 Ready\n\n## Notes\n\n### Phase 1.2: B\n- **Status:** 🟢 Ready\n\n# Appendix\n\n### Phase 1.3: C\n', where);
    expect(parsed.streams.map((s) => [s.id, s.phase, s.batch])).toEqual([['1.1', 'Batch 1: Core', 1], ['1.2', 'Batch 1: Core', 1], ['1.3', undefined, 1]]);
    expect('phase' in parsed.streams[2]!).toBe(false);
  });

  it('keeps a `####` heading and what follows it in the phase text; a `Tasks` heading or a sentence about tasks is not a label', () => {
    const stream = phases('- **Status:** 🟢 Ready\n\n#### Details\n\nUse the shared broker.\n\n#### Tasks\n\n- [ ] one\n\nRemaining tasks:\n\nTasks: see the issue tracker\n\nSubtasks:\n\nTasks(3):\n');
    expect(stream.text).toBe('#### Details\n\nUse the shared broker.\n\n#### Tasks\n\nRemaining tasks:\n\nTasks: see the issue tracker\n\nSubtasks:\n\nTasks(3):');
    expect(stream.tasks!.map((t) => t.text)).toEqual(['one']);
  });

  it('has no tasks when a `**Tasks:**` field lists nothing', () => {
    const stream = phases('- **Status:** 🟢 Ready\n- **Tasks:**\n');
    expect('tasks' in stream).toBe(false);
  });
});

describe('parseRoadmap: Done When criteria', () => {
  const doneWhen = (field: string) => parseRoadmap(`### 1.1 Menu\n- **Status:** available\n${field}`, where).streams[0]!;

  it('reads the value and each nested bullet, numbered or not, with or without a checkbox, trimmed', () => {
    const stream = doneWhen('- **Done when:** the menu renders\n  - tests pass  \n  * lint is clean\n  + docs updated\n');
    expect(stream.doneWhen).toEqual(['the menu renders', 'tests pass', 'lint is clean', 'docs updated']);
    const numbered = doneWhen(`- **Done when:**\n${Array.from({ length: 11 }, (_, i) => `  ${i + 1}${i % 2 ? ')' : '.'} criterion ${i + 1}`).join('\n')}\n`);
    expect(numbered.doneWhen).toEqual(Array.from({ length: 11 }, (_, i) => `criterion ${i + 1}`));
  });

  it('drops a checkbox of any spelling in front of a criterion', () => {
    const stream = doneWhen('- **Done when:**\n  - [ ] open one\n  - [x] done one\n  - [⚙️] busy one\n  - [] bare one\n  -  [ ] spaced one\n  - [x]tight one\n');
    expect(stream.doneWhen).toEqual(['open one', 'done one', 'busy one', 'bare one', 'spaced one', 'tight one']);
  });

  it('does not read a wrapped line that contains " - " as a criterion of its own', () => {
    const stream = doneWhen('- **Done when:**\n  - the menu renders on a phone\n    and a tablet - both sizes\n');
    expect(stream.doneWhen![0]).toMatch(/^the menu renders on a phone/);
    expect(stream.doneWhen).not.toContain('both sizes');
  });

  it('is a single criterion when nothing is nested, and none at all when the field is empty', () => {
    expect(doneWhen('- **Done when:** the menu renders\n- **Effort:** S\n').doneWhen).toEqual(['the menu renders']);
    expect('doneWhen' in doneWhen('- **Done when:**\n- **Effort:** S\n')).toBe(false);
  });

  it('reads only what is nested under the field, not the rest of the roadmap', () => {
    const text = '### 1.1 Menu\n- **Done when:**\n  - tests pass\n- **Effort:** S\n\n- a free item\n\n### 1.2 Order\n- **Status:** available\n';
    expect(parseRoadmap(text, where).streams[0]!.doneWhen).toEqual(['tests pass']);
  });
});

describe("parseRoadmap: Baton's format", () => {
  it('keeps a loose free list as written, blank lines included, when the stream has no fields', () => {
    const stream = parseRoadmap('### 1.1 Menu\n\n- first idea\n\n- second idea\n\nA paragraph.\n', where).streams[0]!;
    expect(stream.text).toBe('- first idea\n\n- second idea\n\nA paragraph.');
  });

  it('reads a stream with nothing optional as exactly the fields it has: no phase, batch, format, note or effort', () => {
    const stream = parseRoadmap('### 1.1 Menu\n- **Status:** available\n- **Effort:**\n- **Role:**\n- **On failure:**\n', where).streams[0]!;
    expect(stream).toStrictEqual({ target: 'core', id: '1.1', ref: 'core:1.1', title: 'Menu', status: 'available', dependsOn: [], text: '', line: 1 });
  });

  it('forgets the `##` group after a `#` heading', () => {
    const parsed = parseRoadmap('## Phase 1: Foundations\n\n### 1.1 Menu\n\n# Part two\n\n### 2.1 Photos\n', where);
    expect(parsed.streams.map((s) => s.phase)).toEqual(['Phase 1: Foundations', undefined]);
    expect('phase' in parsed.streams[1]!).toBe(false);
  });

  it('does not read a checklist item that starts with a bold label as a field', () => {
    const stream = parseRoadmap('### 1.1 Menu\n- [x] **Status:** complete\n- **Effort:** S\n', where).streams[0]!;
    expect(stream.status).toBe('available');
    expect(stream.text).toBe('- [x] **Status:** complete');
    expect(parseRoadmap('### 1.1 Menu\n- [x] **Status:** complete\n', where).issues).toEqual([]);
  });
});

describe('parseRoadmap: field labels, wrapped values, line endings and duplicates', () => {
  it('joins a value wrapped onto the next line with one space', () => {
    const stream = parseRoadmap('### 1.1 Menu\n- **Status:** blocked — waiting on\n  api:1.1 and a review\n', where).streams[0]!;
    expect(stream).toMatchObject({ status: 'blocked', note: 'waiting on api:1.1 and a review' });
  });

  it('reads a label with a doubled space or a space before its colon', () => {
    const parsed = parseRoadmap('### 1.1 Menu\n- **Depends  on:** 1.2\n- **Status :** complete\n\n### 1.2 Order\n', where);
    expect(parsed.streams[0]).toMatchObject({ status: 'complete', dependsOn: ['core:1.2'] });
    expect(parsed.issues).toEqual([]);
  });

  it('finds where a field line starts in a file with old Mac (CR) line endings', () => {
    const parsed = parseRoadmap('# Roadmap\r\r### 1.1 Menu\r- **Status:** available\r- **Effort:** S\r', where);
    expect(parsed.fields[0]!.lines.status).toEqual({ line: 4, endLine: 4, prefix: '- **Status:**', itemEnd: 4 });
    expect(parsed.fields[0]!.bullet).toBe('- ');
  });

  it('finds where an indented field line starts, after an LF line ending', () => {
    const parsed = parseRoadmap('### 1.1 Menu\n  * **Status:** available\n', where);
    expect(parsed.fields[0]!.lines.status!.prefix).toBe('  * **Status:**');
    expect(parsed.fields[0]!.bullet).toBe('  * ');
  });

  it('names every line of an id used three times, in order', () => {
    const issues = parseRoadmap('### 1.1 A\n\n### 1.1 B\n\n### 1.1 C\n', where).issues;
    expect(issues).toEqual([1, 3, 5].map((line) => ({ file: 'plans/roadmap.md', line, message: 'duplicate stream id 1.1 (lines 1, 3 and 5)' })));
  });
});

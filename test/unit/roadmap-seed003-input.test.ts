import { editRoadmap, interpretGoal, parseRoadmap, streamMission } from '../../src/roadmap';
import { checklist, markerState } from '../../src/roadmap/checklist';
import { parseDependencies } from '../../src/roadmap/fields';
import { compareIds } from '../../src/roadmap/order';
import { emptySpelling, readStatus, writeStatus } from '../../src/roadmap/status';

const where = { file: 'plans/roadmap.md', target: 'core' };
const issuesOf = (text: string) => parseRoadmap(text, where).issues.map((i) => `${i.file}:${i.line}: ${i.message}`);

describe('seed 003 statuses', () => {
  it.each([
    ['✅ Complete', 'complete', undefined, '✅ Complete'],
    ['✅', 'complete', undefined, '✅'],
    ['Complete ✅', 'complete', undefined, 'Complete ✅'],
    ['✅ COMPLETED', 'complete', undefined, '✅ COMPLETED'],
    ['🔄 In Progress', 'in progress', undefined, '🔄 In Progress'],
    ['🔴 Blocked - needs credentials', 'blocked', 'needs credentials', '🔴 Blocked'],
    ['🔴 BLOCKED: waiting on 3.1', 'blocked', 'waiting on 3.1', '🔴 BLOCKED'],
    ['⚪ Not Started', 'available', undefined, '⚪ Not Started'],
    ['⚪️ Not started', 'available', undefined, '⚪️ Not started'],
    ['🟢 Ready', 'available', undefined, '🟢 Ready'],
    ['Ready', 'available', undefined, 'Ready'],
    ['✅ Complete (verified by Sage)', 'complete', 'verified by Sage', '✅ Complete'],
  ])('reads %s', (value, status, note, spelling) => {
    const read = readStatus(value, 'phases');
    expect(read).toEqual({ ok: true, value: expect.objectContaining({ status, spelling }) });
    if (read.ok) expect(read.value.note).toBe(note);
  });

  it.each([
    ['Done', 'unknown status "Done" (use ✅ Complete, 🔄 In Progress, 🔴 Blocked, ⚪ Not Started or 🟢 Ready)'],
    ['🔴 Complete', 'status "🔴 Complete" says both 🔴 (blocked) and "Complete"'],
    ['Blocked-ish', 'unknown status "Blocked-ish" (use ✅ Complete, 🔄 In Progress, 🔴 Blocked, ⚪ Not Started or 🟢 Ready)'],
    ['', 'unknown status "" (use ✅ Complete, 🔄 In Progress, 🔴 Blocked, ⚪ Not Started or 🟢 Ready)'],
  ])('refuses %s rather than guess', (value, message) => {
    expect(readStatus(value, 'phases')).toEqual({ ok: false, message });
  });

  it("writes a status in the file's own spelling, or in its style when the file has not used that status yet", () => {
    const spelling = emptySpelling();
    expect(writeStatus('phases', spelling, 'in progress')).toBe('🔄 In Progress');
    expect(writeStatus('phases', { ...spelling, status: { complete: 'COMPLETE' } }, 'in progress')).toBe('IN PROGRESS');
    expect(writeStatus('phases', { ...spelling, status: { complete: 'Complete', ready: 'Ready' } }, 'blocked', 'skipped: x')).toBe('Blocked — skipped: x');
    expect(writeStatus('phases', { ...spelling, status: { complete: '✅' } }, 'blocked')).toBe('🔴');
    expect(writeStatus('phases', { ...spelling, status: { 'not started': '⚪ Not Started' } }, 'available')).toBe('⚪ Not Started');
    expect(writeStatus('phases', { ...spelling, status: { 'not started': '⚪ Not Started', ready: '🟢 READY' } }, 'available')).toBe('🟢 READY');
    expect(writeStatus('baton', spelling, 'blocked', 'waiting on 1.1')).toBe('blocked — waiting on 1.1');
  });
});

describe('seed 003 fields', () => {
  it('reads dependencies as the team writes them; status marks are only hints', () => {
    expect(parseDependencies('Phase 1.4 ✅', 'core', '2.1', 'phases')).toEqual({ refs: ['core:1.4'], problems: [] });
    expect(parseDependencies('Phase 8.1, Phase 7.5', 'core', '10.7', 'phases')).toEqual({ refs: ['core:8.1', 'core:7.5'], problems: [] });
    expect(parseDependencies('1.3; 2.1', 'core', '3.1', 'phases')).toEqual({ refs: ['core:1.3', 'core:2.1'], problems: [] });
    expect(parseDependencies('Phase 1.2 (✅ complete) and api:1.1', 'core', '3.1', 'phases')).toEqual({ refs: ['core:1.2', 'api:1.1'], problems: [] });
    expect(parseDependencies('None (foundation)', 'core', '1.1', 'phases')).toEqual({ refs: [], problems: [] });
    expect(parseDependencies('Phase 1.x', 'core', '2.1', 'phases').problems).toEqual(['malformed dependency "1.x" (use an id like 1.2, or target:1.2 for another target)']);
  });

  it('knows every checklist marker, keeping the ones it has no name for', () => {
    expect(['', ' ', 'x', 'X', '✅', '⚙️', '~', 'BLOCKED: no key', '?'].map(markerState)).toEqual(['open', 'open', 'done', 'done', 'done', 'in progress', 'in progress', 'blocked', 'other']);
    expect(checklist('- [ ] a\n  - [x] b\n    * [?] c\n1. [~] d\nnot - [ ] e\n')).toEqual([
      { marker: ' ', state: 'open', text: 'a', depth: 0 },
      { marker: 'x', state: 'done', text: 'b', depth: 1 },
      { marker: '?', state: 'other', text: 'c', depth: 2 },
      { marker: '~', state: 'in progress', text: 'd', depth: 0 },
    ]);
  });

  it('compares ids number by number', () => {
    expect(['10.7', '2.10', '1.2.1', '2.9', '1.2'].sort(compareIds)).toEqual(['1.2', '1.2.1', '2.9', '2.10', '10.7']);
  });

  it('never refuses a field it does not act on; a field given twice is still an issue', () => {
    const text = '## Batch 1\n\n### Phase 1.1: A\n- **Status:** 🟢 Ready\n- **Risk Level:** high\n- **Reviewer:** Sage\n- **Status:** ✅ Complete\n';
    expect(issuesOf(text)).toEqual(['plans/roadmap.md:7: Status is given twice in 1.1 (lines 4 and 7)']);
    expect(parseRoadmap(text, where).streams[0]!.text).toBe('- **Risk Level:** high\n- **Reviewer:** Sage');
  });

  it('keeps reading a phase’s fields past another ## section, but not its prose', () => {
    const text = '## Batch 1\n\n### Phase 1.1: A\n- **Status:** 🟢 Ready\n\n## Strategic Priorities\n\nShip it.\n\n- **Assigned To:** Nova\n\n## Batch 2\n\n### Phase 2.1: B\n';
    const { streams, issues } = parseRoadmap(text, where);
    expect(issues).toEqual([]);
    expect(streams[0]).toMatchObject({ owner: 'Nova', text: '', batch: 1 });
    expect(streams[1]).toMatchObject({ batch: 2, phase: 'Batch 2' });
  });

  it('puts phases before any batch in batch 1 and reads a bare id dependency', () => {
    const text = '# R\n\n### Phase 1.1: A\n- **Status:** ⚪ Not Started\n\n## Batch 3\n\n### Phase 3.1: B\n- **Depends On:** 1.1\n';
    expect(parseRoadmap(text, where).streams.map((s) => [s.id, s.batch, s.dependsOn])).toEqual([['1.1', 1, []], ['3.1', 3, ['core:1.1']]]);
  });
});

describe('empty and malformed roadmaps', () => {
  it('reports a file with no stream at all, in either format', () => {
    expect(issuesOf('')).toEqual(['plans/roadmap.md:1: no work streams found: a stream is a level-3 heading like `### 1.2 Title` (or seed 003\'s `### Phase 1.2: Title`)']);
    expect(issuesOf('# Roadmap\n\nNothing planned yet.\n')).toHaveLength(1);
    expect(issuesOf('## Batch 1\n\nTBD\n')).toEqual(['plans/roadmap.md:1: no work streams found: a stream is a level-3 heading like `### Phase 1.2: Title` under `## Batch 1`']);
  });

  it('reports headings that look like streams but are not read as one, at their line', () => {
    const text = [
      '# Roadmap',
      '',
      '## Batch 1',
      '',
      '### Phase One: Parser',
      '- **Status:** 🟢 Ready',
      '',
      '#### Phase 1.2: Decomposition',
      '',
      '### 1.3 Registry',
      '',
      '## Phase 1.4: Naming',
      '',
    ].join('\n');
    expect(issuesOf(text)).toEqual([
      'plans/roadmap.md:1: no work streams found: a stream is a level-3 heading like `### Phase 1.2: Title` under `## Batch 1`',
      'plans/roadmap.md:5: heading "Phase One: Parser" looks like a work stream but has no dotted id (write it as `### Phase 1.2: Title`)',
      'plans/roadmap.md:8: heading "Phase 1.2: Decomposition" looks like a work stream but is level 4: streams are level-3 headings (`### Phase 1.2: Title`)',
      'plans/roadmap.md:10: heading "1.3 Registry" looks like a work stream, but this roadmap writes streams as `### Phase 1.2: Title`',
      'plans/roadmap.md:12: heading "Phase 1.4: Naming" looks like a work stream but is level 2: streams are level-3 headings (`### Phase 1.2: Title`)',
    ]);
  });

  it("reports bad values at their own line and holds an unreadable phase back; Baton's format is unchanged", () => {
    const text = '## Batch 1\n\n### Phase 1.1: A\n- **Status:** Done\n- **Depends On:** Phase 1.x, 9.9\n- **Role:** wizard\n';
    expect(issuesOf(text)).toEqual([
      'plans/roadmap.md:4: unknown status "Done" (use ✅ Complete, 🔄 In Progress, 🔴 Blocked, ⚪ Not Started or 🟢 Ready) in 1.1',
      'plans/roadmap.md:5: malformed dependency "1.x" (use an id like 1.2, or target:1.2 for another target) in 1.1',
      'plans/roadmap.md:6: unknown role "wizard" (use researcher, analyst, developer, reviewer, qa, executor, advisor) in 1.1',
    ]);
    expect(parseRoadmap(text, where).streams[0]!.status).toBe('blocked');
    // `## Phase 1: Foundations` groups streams in Baton's format and numbered sub-headings stay inside a stream.
    expect(issuesOf('## Phase 1: Foundations\n\n### 1.1 A\n\n#### 1.1.1 Details\n')).toEqual([]);
  });

  it('inserts a missing Assigned To under the status, in the file’s spelling and bullets', () => {
    const text = '## Batch 1\r\n\r\n### Phase 1.1: A\r\n* **Status:** 🟢 Ready\r\n* **Effort:** S\r\n\r\nWords.\r\n';
    const parsed = parseRoadmap(text, where);
    expect(editRoadmap(text, parsed, [{ id: '1.1', status: 'in progress', owner: 'Lyra' }])).toBe(
      '## Batch 1\r\n\r\n### Phase 1.1: A\r\n* **Status:** 🔄 In Progress\r\n* **Assigned To:** Lyra\r\n* **Effort:** S\r\n\r\nWords.\r\n',
    );
  });
});

describe('goals against a seed 003 roadmap', () => {
  it("matches a goal's words against a phase's tasks and Done When too, and names phases by id", () => {
    const text = '## Batch 1\n\n### Phase 1.1: Harness\n- **Status:** 🟢 Ready\n- **Tasks:**\n  - [ ] fixtures loader reads fixtures from disk\n\n### Phase 1.2: Parser\n- **Status:** 🟢 Ready\n- **Done When:** ambiguity detection flags vague goals\n';
    const { streams } = parseRoadmap(text, where);
    expect(interpretGoal('Build the fixtures loader for disk', streams, { held: [] }).selected.map((s) => s.id)).toEqual(['1.1']);
    expect(interpretGoal('Add ambiguity detection for vague goals', streams, { held: [] }).selected.map((s) => s.id)).toEqual(['1.2']);
    expect(interpretGoal('Work on Phase 1.2', streams, { held: [] }).selected.map((s) => s.id)).toEqual(['1.2']);
  });
});

describe('a seed 003 mission that does not fit', () => {
  it('keeps the title and as many tasks as fit, says how many were left out, and cuts the context last', () => {
    const tasks = Array.from({ length: 120 }, (_, i) => `  - [${i % 3 === 0 ? 'x' : ' '}] task number ${i + 1} of the long phase`).join('\n');
    const text = `## Batch 4\n\n### Phase 4.2: Long Phase ⭐ PRIORITY\n- **Status:** 🟢 Ready\n- **Tasks:**\n${tasks}\n- **Design Notes:** ${'context '.repeat(100)}\n`;
    const stream = parseRoadmap(text, where).streams[0]!;
    expect(stream.tasks).toHaveLength(120);
    const { mission, successCriteria } = streamMission(stream);
    expect(mission.length).toBeLessThanOrEqual(2000);
    expect(mission.split('\n').slice(0, 3)).toEqual(['core:4.2 Long Phase', 'Batch 4 · ⭐ PRIORITY', '']);
    expect(mission).toContain('- [x] (done) task number 1 of the long phase');
    const shown = mission.match(/task number \d+ /g)!.length;
    expect(shown).toBeGreaterThan(30);
    expect(mission).toContain(`- … ${120 - shown} more (see the roadmap)`);
    expect(mission).not.toContain('Design Notes');
    expect(successCriteria).toEqual(['the quality gates of core pass']);
  });

  it('gives the context what room the tasks leave, marking the cut', () => {
    const text = `## Batch 1\n\n### Phase 1.1: A\n- **Tasks:**\n  - [ ] one\n- **Design Notes:** ${'context '.repeat(400)}\n`;
    const { mission } = streamMission(parseRoadmap(text, where).streams[0]!);
    expect(mission.length).toBeLessThanOrEqual(2000);
    expect(mission).toContain('- [ ] (open) one\n\n- **Design Notes:** context context');
    expect(mission.endsWith('[… cut; the rest is in the roadmap]')).toBe(true);
  });
});

describe('seed 003 odd spellings', () => {
  it('reads a heading with no space after its colon, and says why a dotted heading cannot be read', () => {
    expect(parseRoadmap('## Batch 1\n\n### Phase 1.2:Parser ⭐ bootstrap\n', where).streams[0]).toMatchObject({ id: '1.2', title: 'Parser', tag: 'BOOTSTRAP' });
    expect(issuesOf('## Batch 1\n\n### Phase 1.1: A\n\n### Phase 1.2b Parser\n')).toEqual([
      'plans/roadmap.md:5: heading "Phase 1.2b Parser" looks like a work stream but cannot be read as one (write it as `### Phase 1.2: Title`)',
    ]);
  });

  it('clears an owner the way the file writes nobody, even as nothing', () => {
    const text = '## Batch 1\n\n### Phase 1.1: A\n- **Status:** 🔄 In Progress\n- **Assigned To:** Nova\n\n### Phase 1.2: B\n- **Status:** ⚪ Not Started\n- **Assigned To:**\n';
    const parsed = parseRoadmap(text, where);
    expect(parsed.spelling.nobody).toBe('');
    expect(editRoadmap(text, parsed, [{ id: '1.1', status: 'available', owner: null }])).toBe(text.replace('🔄 In Progress\n- **Assigned To:** Nova', '⚪ Not Started\n- **Assigned To:**'));
  });
});

describe('an empty roadmap', () => {
  it('is marked empty only when nothing in it looks like a stream', () => {
    expect(parseRoadmap('', where).empty).toBe(true);
    expect(parseRoadmap('## Batch 1\n\nTBD\n', where).empty).toBe(true);
    expect(parseRoadmap('## Batch 1\n\n### Phase One: A\n', where).empty).toBeUndefined();
    expect(parseRoadmap('### 1.1 A\n', where).empty).toBeUndefined();
  });
});

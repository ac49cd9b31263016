import { editRoadmap, parseRoadmap } from '../../src/roadmap';

const ROADMAP = [
  '# Crumb & Co. website — roadmap',
  '',
  'Prose a person wrote,   with odd  spacing and trailing spaces.   ',
  '',
  '| stream | who |',
  '|--------|-----|',
  '| 1.1    | Aria|',
  '',
  '## Phase 1: Foundations',
  '',
  '### 1.1 Menu data',
  '-   **Effort:**   S',
  '-   **Status:**   in progress — half done',
  '-   **Owner:**    Aria',
  '',
  'Free text.',
  '',
  '```markdown',
  '### 9.9 Not a stream',
  '- **Status:** complete',
  '```',
  '',
  '### 1.2 Order form',
  '  * **Effort:** M',
  '  * **Status:** blocked — waiting on',
  '    api:1.1',
  '  * **Depends on:** 1.1, api:1.1',
  '',
  '\tIndented code, kept.',
  '',
  '### 1.3 Photos',
  'Straight into prose, no fields.',
  '',
  '### 1.4 Reviews',
  '- **Effort:** L',
  '- **Depends on:** 1.3',
  '- [ ] a checklist item in the field list',
  '',
  'The end, no trailing newline.',
].join('\n');

const where = { file: 'ROADMAP.md', target: 'site' };
const edit = (text: string, changes: Parameters<typeof editRoadmap>[2]) => editRoadmap(text, parseRoadmap(text, where), changes);

/** Lines that differ between two texts of equal line count. */
function changedLines(before: string, after: string): [number, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return b.flatMap((line, i) => (line === a[i] ? [] : [[i + 1, line] as [number, string]]));
}

describe('editRoadmap', () => {
  it('returns the text unchanged when there is nothing to change', () => {
    expect(edit(ROADMAP, [])).toBe(ROADMAP);
    const crlf = `${ROADMAP.replace(/\n/g, '\r\n')}\r\n`;
    expect(edit(crlf, [])).toBe(crlf);
  });

  it('leaves a line alone when it already says what is asked', () => {
    expect(edit(ROADMAP, [{ id: '1.1', status: 'in progress', note: 'half done', owner: 'Aria' }])).toBe(ROADMAP);
  });

  it('rewrites only the status and owner lines, keeping the key as the person spelled it', () => {
    const after = edit(ROADMAP, [{ id: '1.1', status: 'complete', note: null, owner: 'Bea' }]);
    expect(changedLines(ROADMAP, after)).toEqual([
      [13, '-   **Status:** complete'],
      [14, '-   **Owner:** Bea'],
    ]);
  });

  it('clears an owner to — and writes a note after an em dash', () => {
    const after = edit(ROADMAP, [{ id: '1.1', status: 'blocked', note: 'waiting on the designer', owner: null }]);
    expect(changedLines(ROADMAP, after)).toEqual([
      [13, '-   **Status:** blocked — waiting on the designer'],
      [14, '-   **Owner:** —'],
    ]);
    expect(parseRoadmap(after, where).streams[0]).toMatchObject({ status: 'blocked', note: 'waiting on the designer' });
    expect(parseRoadmap(after, where).streams[0]!.owner).toBeUndefined();
  });

  it('folds a status that wrapped onto a continuation line into one line', () => {
    const after = edit(ROADMAP, [{ id: '1.2', status: 'available', note: null }]);
    const lines = after.split('\n');
    const before = ROADMAP.split('\n');
    expect(lines).toEqual([...before.slice(0, 24), '  * **Status:** available', ...before.slice(26)]);
  });

  it('inserts missing fields after the last field line with the same bullet', () => {
    const after = edit(ROADMAP, [{ id: '1.4', status: 'in progress', owner: 'Cy' }]);
    const before = ROADMAP.split('\n');
    const at = before.indexOf('- [ ] a checklist item in the field list');
    expect(after.split('\n')).toEqual([...before.slice(0, at), '- **Status:** in progress', '- **Owner:** Cy', ...before.slice(at)]);
    expect(after.endsWith('The end, no trailing newline.')).toBe(true);
    expect(parseRoadmap(after, where).streams[3]).toMatchObject({ status: 'in progress', owner: 'Cy', dependsOn: ['site:1.3'] });
  });

  it('adds a field list under a bare heading, with a blank line before the prose', () => {
    const after = edit(ROADMAP, [{ id: '1.3', status: 'blocked', note: 'waiting on the photographer' }]);
    const before = ROADMAP.split('\n');
    const at = before.indexOf('### 1.3 Photos') + 1;
    expect(after.split('\n')).toEqual([...before.slice(0, at), '- **Status:** blocked — waiting on the photographer', '', ...before.slice(at)]);
    const photos = parseRoadmap(after, where).streams[2]!;
    expect(photos).toMatchObject({ status: 'blocked', note: 'waiting on the photographer', text: 'Straight into prose, no fields.' });
  });

  it('keeps the note when only the owner changes, and drops it when the status moves without one', () => {
    expect(changedLines(ROADMAP, edit(ROADMAP, [{ id: '1.1', owner: 'Bea' }]))).toEqual([[14, '-   **Owner:** Bea']]);
    expect(changedLines(ROADMAP, edit(ROADMAP, [{ id: '1.1', status: 'available' }]))).toEqual([[13, '-   **Status:** available']]);
  });

  it('does not add an owner line just to clear it', () => {
    expect(edit(ROADMAP, [{ id: '1.3', owner: null }])).toBe(ROADMAP);
  });

  it('keeps CRLF endings and the missing trailing newline', () => {
    const crlf = ROADMAP.replace(/\n/g, '\r\n');
    const after = edit(crlf, [
      { id: '1.1', status: 'complete', note: null },
      { id: '1.4', status: 'available', owner: 'Di' },
    ]);
    expect(after.split('\r\n').join('\n')).toBe(edit(ROADMAP, [
      { id: '1.1', status: 'complete', note: null },
      { id: '1.4', status: 'available', owner: 'Di' },
    ]));
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(after.endsWith('newline.')).toBe(true);
  });

  it('inserts after a last line that has no newline without adding one at the end', () => {
    const text = '### 1.1 A\n- **Effort:** S';
    expect(edit(text, [{ id: '1.1', owner: 'Eve' }])).toBe('### 1.1 A\n- **Effort:** S\n- **Owner:** Eve');
    expect(edit('### 1.1 A', [{ id: '1.1', status: 'complete' }])).toBe('### 1.1 A\n- **Status:** complete');
  });

  it('refuses to edit a stream that is not there', () => {
    expect(() => edit(ROADMAP, [{ id: '9.9', status: 'complete' }])).toThrow('roadmap has no stream 9.9');
  });
});

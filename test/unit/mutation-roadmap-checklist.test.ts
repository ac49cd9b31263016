import { checklist, isChecklistItem, markerState } from '../../src/roadmap/checklist';

describe('markerState', () => {
  it('reads every done marker, in either case and with an emoji variation selector', () => {
    expect(['x', 'X', '✅', '✅\uFE0F', '✔', '✔️', '☑', '☑️', ' x '].map(markerState)).toEqual(Array(9).fill('done'));
  });

  it('reads every in-progress marker, in either case', () => {
    expect(['⚙', '⚙️', '~', '🔄', '-', '/', 'wip', 'WIP', ' ~ '].map(markerState)).toEqual(Array(9).fill('in progress'));
  });

  it('reads blocked markers by their first word or the red circle', () => {
    expect(['BLOCKED', 'blocked: no key', 'Blocked - waiting', '🔴', ' 🔴 '].map(markerState)).toEqual(Array(5).fill('blocked'));
  });

  it('reads an empty or blank marker as open', () => {
    expect(['', ' ', '  \t'].map(markerState)).toEqual(['open', 'open', 'open']);
  });

  it('keeps markers that only contain a known one as other, never guessing', () => {
    expect(['xx', 'ax', 'xa', '✅✅', 'wipe', 'swip', '~~', '--', '//', 'blockedx', 'not blocked', '🔴🔴', '✓', '?'].map(markerState)).toEqual(Array(14).fill('other'));
  });
});

describe('checklist', () => {
  it('reads every bullet and numbered marker style, with the text after the brackets trimmed', () => {
    expect(checklist('- [ ] a\n* [x] b\n+ [~] c\n1. [ ] d\n12) [x]   e  \n')).toEqual([
      { marker: ' ', state: 'open', text: 'a', depth: 0 },
      { marker: 'x', state: 'done', text: 'b', depth: 0 },
      { marker: '~', state: 'in progress', text: 'c', depth: 0 },
      { marker: ' ', state: 'open', text: 'd', depth: 0 },
      { marker: 'x', state: 'done', text: 'e', depth: 0 },
    ]);
  });

  it('reads an item with no text after its marker, with trailing blanks or none', () => {
    expect(checklist('- [x]\n- [ ]  \t\n')).toEqual([
      { marker: 'x', state: 'done', text: '', depth: 0 },
      { marker: ' ', state: 'open', text: '', depth: 0 },
    ]);
  });

  it('skips lines that are not checklist items: no space after the bullet, text glued to the brackets, prose, links', () => {
    expect(checklist('-[ ] a\n- [x]b\nplain [x] c\n- [link](http://x) d\n- x [ ] e\n1.[ ] f\n- [ ] ok\n')).toEqual([{ marker: ' ', state: 'open', text: 'ok', depth: 0 }]);
  });

  it('keeps a long marker up to 200 characters and ignores longer ones', () => {
    const ok = `BLOCKED: ${'y'.repeat(191)}`;
    expect(ok).toHaveLength(200);
    expect(checklist(`- [${ok}] a\n- [${ok}z] b\n`)).toEqual([{ marker: ok, state: 'blocked', text: 'a', depth: 0 }]);
  });

  it('counts a tab as four spaces of indentation and numbers depths by the distinct indents present', () => {
    expect(checklist('  - [ ] a\n\t- [ ] b\n    - [ ] c\n        - [ ] d\n  - [ ] e\n').map((t) => [t.text, t.depth])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 1],
      ['d', 2],
      ['e', 0],
    ]);
  });

  it('numbers depths by indentation, not by the order indents first appear', () => {
    expect(checklist('        - [ ] a\n- [ ] b\n    - [ ] c\n').map((t) => [t.text, t.depth])).toEqual([
      ['a', 2],
      ['b', 0],
      ['c', 1],
    ]);
  });

  it('reads items on CRLF and CR line endings', () => {
    expect(checklist('- [ ] a\r\n- [x] b\r- [~] c').map((t) => t.text)).toEqual(['a', 'b', 'c']);
  });

  it('finds nothing in text without a checklist', () => {
    expect(checklist('')).toEqual([]);
    expect(checklist('Just words.\n- a plain bullet\n')).toEqual([]);
  });
});

describe('isChecklistItem', () => {
  it('judges by the first line only', () => {
    expect(isChecklistItem('- [ ] a task\n- **Status:** x')).toBe(true);
    expect(isChecklistItem('- **Status:** x\n- [ ] a task')).toBe(false);
    expect(isChecklistItem('  3. [BLOCKED: no key] wire it')).toBe(true);
    expect(isChecklistItem('')).toBe(false);
  });
});

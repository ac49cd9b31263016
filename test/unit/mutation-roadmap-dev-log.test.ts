import { appendDevLog } from '../../src/roadmap';
import type { DevLogEntry } from '../../src/roadmap/stream-types';

const entry = (taskId: string, over: Partial<DevLogEntry> = {}): DevLogEntry => ({
  target: 'site',
  taskId,
  ref: 'site:1.2',
  title: 'Order form',
  agent: 'Aria',
  completed: '2025-03-04T17:30:00.000Z',
  verification: 'gates passed',
  rework: 0,
  summary: '',
  ...over,
});

/** The heading line of the only section appended to an empty log. */
const headingOf = (e: DevLogEntry) => appendDevLog('', [e]).text.split('\n')[2];

describe('appendDevLog: the new text after what is there', () => {
  it('replaces a blank log (only whitespace) with the header', () => {
    expect(appendDevLog(' \n\n', [entry('T1')]).text.startsWith('# Dev log\n\n## 2025-03-04')).toBe(true);
  });

  it('adds a blank line after text without a final line ending, one line ending after a single one, none after a blank line', () => {
    expect(appendDevLog('# Log', [entry('T1')]).text.startsWith('# Log\n\n## ')).toBe(true);
    expect(appendDevLog('# Log\n', [entry('T1')]).text.startsWith('# Log\n\n## ')).toBe(true);
    expect(appendDevLog('# Log\n\n', [entry('T1')]).text.startsWith('# Log\n\n## ')).toBe(true);
    expect(appendDevLog('# Log\n  \n', [entry('T1')]).text.startsWith('# Log\n  \n## ')).toBe(true);
  });

  it('adds nothing after a blank line written with CRLF or CR endings', () => {
    expect(appendDevLog('# Log\r\n\r\n', [entry('T1')]).text.startsWith('# Log\r\n\r\n## ')).toBe(true);
    expect(appendDevLog('# Log\r\n \r\n', [entry('T1')]).text.startsWith('# Log\r\n \r\n## ')).toBe(true);
    expect(appendDevLog('# Log\r\r', [entry('T1')]).text.startsWith('# Log\r\r## ')).toBe(true);
  });

  // Found by mutation testing: a single CRLF used to read as a blank line (a CR, then an LF).
  it('adds one line ending after a CRLF log that ends in a single line ending, as it does for LF', () => {
    expect(appendDevLog('# Log\r\n', [entry('T1')]).text.startsWith('# Log\r\n\r\n## ')).toBe(true);
  });

  it('separates sections by a blank line and ends with one line ending', () => {
    const { text, written } = appendDevLog('', [entry('T1'), entry('T2', { ref: 'site:1.3', title: 'Photos' })]);
    expect(written).toBe(2);
    expect(text).toBe(
      [
        '# Dev log',
        '',
        '## 2025-03-04 — site:1.2 Order form',
        '<!-- baton:T1 -->',
        '',
        '- **Task:** T1 (site)',
        '- **Agent:** Aria',
        '- **Verification:** gates passed',
        '- **Rework:** none',
        '',
        '## 2025-03-04 — site:1.3 Photos',
        '<!-- baton:T2 -->',
        '',
        '- **Task:** T2 (site)',
        '- **Agent:** Aria',
        '- **Verification:** gates passed',
        '- **Rework:** none',
        '',
      ].join('\n'),
    );
  });

  it('returns the text unchanged when every entry is already there or there are none', () => {
    expect(appendDevLog('# Log', [])).toEqual({ text: '# Log', written: 0 });
    expect(appendDevLog('', [])).toEqual({ text: '', written: 0 });
    expect(appendDevLog('x <!-- baton:T1 -->', [entry('T1')])).toEqual({ text: 'x <!-- baton:T1 -->', written: 0 });
  });

  it('writes a task whose id only shares a prefix with one already logged', () => {
    expect(appendDevLog('<!-- baton:T12 -->', [entry('T1')]).written).toBe(1);
  });
});

describe('appendDevLog: one entry', () => {
  it('counts rework rounds in words', () => {
    expect(appendDevLog('', [entry('T1', { rework: 1 })]).text).toContain('- **Rework:** 1 round\n');
    expect(appendDevLog('', [entry('T1', { rework: 3 })]).text).toContain('- **Rework:** 3 rounds\n');
  });

  it('does not repeat a ref the title already starts with, and uses the task id when there is neither', () => {
    expect(headingOf(entry('T1', { title: 'site:1.2 Order form' }))).toBe('## 2025-03-04 — site:1.2 Order form');
    expect(headingOf(entry('T1', { ref: undefined }))).toBe('## 2025-03-04 — Order form');
    expect(headingOf(entry('T1', { ref: undefined, title: '  ' }))).toBe('## 2025-03-04 — T1');
    expect(headingOf(entry('T1', { ref: 'site:1.2', title: '' }))).toBe('## 2025-03-04 — site:1.2');
  });

  it('puts title, agent and verification on one line each', () => {
    const { text } = appendDevLog('', [entry('T1', { title: ' Order\n  form ', agent: 'Aria\n(dev)', verification: ' gates:\r\n test,\tlint ' })]);
    expect(text).toContain('## 2025-03-04 — site:1.2 Order form\n');
    expect(text).toContain('- **Agent:** Aria (dev)\n');
    expect(text).toContain('- **Verification:** gates: test, lint\n');
  });

  it('writes the summary after a blank line, one source line per line whatever its ending, trimmed', () => {
    const { text } = appendDevLog('', [entry('T1', { summary: '\n Built it.\r\nTested it.\rShipped.  \n' })]);
    expect(text.endsWith('- **Rework:** none\n\nBuilt it.\nTested it.\nShipped.\n')).toBe(true);
  });

  it('escapes every comment opener in a summary', () => {
    const { text } = appendDevLog('', [entry('T1', { summary: '<!-- a --> and <!-- b -->' })]);
    expect(text).toContain('&lt;!-- a --> and &lt;!-- b -->');
    expect(text.match(/<!--/g)).toHaveLength(1);
  });

  it('does not pick a date out of the middle of other text', () => {
    expect(headingOf(entry('T1', { completed: 'task 7 finished 2025-03-04' }))).toBe('## undated — site:1.2 Order form');
  });

  it('dates by the ISO day as written, else by any date Date reads, else undated', () => {
    expect(headingOf(entry('T1', { completed: ' 2025-03-04T23:30:00-05:00 ' }))).toBe('## 2025-03-04 — site:1.2 Order form');
    expect(headingOf(entry('T1', { completed: 'Tue, 04 Mar 2025 17:30:00 GMT' }))).toBe('## 2025-03-04 — site:1.2 Order form');
    expect(headingOf(entry('T1', { completed: 'yesterday' }))).toBe('## undated — site:1.2 Order form');
    expect(headingOf(entry('T1', { completed: '' }))).toBe('## undated — site:1.2 Order form');
  });
});

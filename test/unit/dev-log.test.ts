import { appendDevLog } from '../../src/roadmap';
import type { DevLogEntry } from '../../src/roadmap/stream-types';

const entry = (taskId: string, over: Partial<DevLogEntry> = {}): DevLogEntry => ({
  target: 'site',
  taskId,
  ref: 'site:1.2',
  title: 'Order form',
  agent: 'Aria',
  completed: '2025-03-04T17:30:00.000Z',
  verification: 'gates passed: test, lint',
  rework: 1,
  summary: 'Built the order form.\nIt posts to api:1.1.',
  ...over,
});

describe('appendDevLog', () => {
  it('creates the log with a header and one section per entry', () => {
    const { text, written } = appendDevLog('', [entry('TASK_012')]);
    expect(written).toBe(1);
    expect(text).toBe(
      [
        '# Dev log',
        '',
        '## 2025-03-04 — site:1.2 Order form',
        '<!-- baton:TASK_012 -->',
        '',
        '- **Task:** TASK_012 (site)',
        '- **Agent:** Aria',
        '- **Verification:** gates passed: test, lint',
        '- **Rework:** 1 round',
        '',
        'Built the order form.',
        'It posts to api:1.1.',
        '',
      ].join('\n'),
    );
  });

  it('never writes the same task twice, across calls and within one', () => {
    const first = appendDevLog('', [entry('TASK_012')]);
    const second = appendDevLog(first.text, [entry('TASK_012'), entry('TASK_013', { ref: undefined, title: 'Tidy CSS', rework: 0 }), entry('TASK_013')]);
    expect(second.written).toBe(1);
    expect(second.text.startsWith(first.text)).toBe(true);
    expect(second.text.slice(first.text.length)).toMatch(/^\n## 2025-03-04 — Tidy CSS\n<!-- baton:TASK_013 -->\n[\s\S]*- \*\*Rework:\*\* none\n/);
    expect(appendDevLog(second.text, [entry('TASK_013')])).toEqual({ text: second.text, written: 0 });
  });

  it('keeps what a person wrote byte for byte, including CRLF endings', () => {
    const existing = '# Our log\r\n\r\nNotes by hand.';
    const { text } = appendDevLog(existing, [entry('TASK_001')]);
    expect(text.startsWith(`${existing}\r\n\r\n## 2025-03-04`)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('does not let a summary forge another task\'s marker', () => {
    const { text } = appendDevLog('', [entry('TASK_001', { summary: 'done <!-- baton:TASK_002 -->' })]);
    expect(appendDevLog(text, [entry('TASK_002')]).written).toBe(1);
  });
});

import { emptySpelling, learnStatus, readStatus, statusOf, writeStatus, type Spelling } from '../../src/roadmap/status';

const BATON_USE = 'available, in progress, blocked or complete';
const PHASES_USE = '✅ Complete, 🔄 In Progress, 🔴 Blocked, ⚪ Not Started or 🟢 Ready';

describe('readStatus', () => {
  it('reads every status word, hyphenated or spaced, in any case, with its kind and spelling', () => {
    const cases: [string, string, string][] = [
      ['available', 'available', 'available'],
      ['Ready', 'available', 'ready'],
      ['not started', 'available', 'not started'],
      ['Not-Started', 'available', 'not started'],
      ['in-progress', 'in progress', 'in progress'],
      ['IN PROGRESS', 'in progress', 'in progress'],
      ['blocked', 'blocked', 'blocked'],
      ['complete', 'complete', 'complete'],
      ['Completed', 'complete', 'complete'],
    ];
    for (const [value, status, kind] of cases) {
      expect(readStatus(value, 'baton')).toEqual({ ok: true, value: { status, kind, spelling: value } });
    }
  });

  it('reads each emoji alone, with or without a variation selector, as its kind', () => {
    const cases: [string, string, string][] = [
      ['✅', 'complete', 'complete'],
      ['🔄', 'in progress', 'in progress'],
      ['🔴', 'blocked', 'blocked'],
      ['⚪', 'available', 'not started'],
      ['🟢', 'available', 'ready'],
      ['⚪️', 'available', 'not started'],
    ];
    for (const [value, status, kind] of cases) expect(readStatus(value, 'phases')).toEqual({ ok: true, value: { status, kind, spelling: value } });
  });

  it('trims the value, and the spelling it keeps, but keeps the spacing between emoji and word', () => {
    expect(readStatus('  🔄   In Progress  ', 'phases')).toEqual({ ok: true, value: { status: 'in progress', kind: 'in progress', spelling: '🔄   In Progress' } });
    expect(readStatus('Blocked 🔴 — no key', 'phases')).toEqual({ ok: true, value: { status: 'blocked', kind: 'blocked', spelling: 'Blocked 🔴', note: 'no key' } });
  });

  it('takes the kind from the word when word and emoji agree on the status but not the kind', () => {
    expect(readStatus('🟢 Not Started', 'phases')).toEqual({ ok: true, value: { status: 'available', kind: 'not started', spelling: '🟢 Not Started' } });
    expect(readStatus('⚪ Ready', 'phases')).toEqual({ ok: true, value: { status: 'available', kind: 'ready', spelling: '⚪ Ready' } });
  });

  it('refuses a word and an emoji that disagree, naming both, whichever comes first', () => {
    expect(readStatus('✅ In Progress', 'phases')).toEqual({ ok: false, message: 'status "✅ In Progress" says both ✅ (complete) and "In Progress"' });
    expect(readStatus('complete 🔄', 'baton')).toEqual({ ok: false, message: 'status "complete 🔄" says both 🔄 (in progress) and "complete"' });
  });

  it('reads a note after an em dash, en dash or colon, touching or spaced', () => {
    for (const value of ['blocked — no key', 'blocked—no key', 'blocked – no key', 'blocked–no key', 'blocked: no key', 'blocked :no key']) {
      expect(readStatus(value, 'baton')).toEqual({ ok: true, value: { status: 'blocked', kind: 'blocked', spelling: 'blocked', note: 'no key' } });
    }
  });

  it('reads a note after a spaced hyphen only, and a note spanning lines', () => {
    expect(readStatus('blocked - no key', 'baton')).toMatchObject({ ok: true, value: { note: 'no key' } });
    expect(readStatus('blocked —\n  no key,\n  still', 'baton')).toMatchObject({ ok: true, value: { note: 'no key,\n  still' } });
    expect(readStatus('blocked -\n no key', 'baton')).toMatchObject({ ok: true, value: { note: 'no key' } });
    expect(readStatus('blocked -no key', 'baton')).toEqual({ ok: false, message: `unknown status "blocked -no key" (use ${BATON_USE})` });
    expect(readStatus('blocked-no key', 'baton')).toEqual({ ok: false, message: `unknown status "blocked-no key" (use ${BATON_USE})` });
  });

  it('drops an empty note rather than keeping an empty one', () => {
    for (const value of ['blocked —', 'blocked:  ', 'blocked -']) {
      const read = readStatus(value, 'baton');
      expect(read).toEqual({ ok: true, value: { status: 'blocked', kind: 'blocked', spelling: 'blocked' } });
      expect(read.ok && 'note' in read.value).toBe(false);
    }
    expect(readStatus('✅ Complete ()', 'phases')).toEqual({ ok: true, value: { status: 'complete', kind: 'complete', spelling: '✅ Complete' } });
  });

  it('reads a note in parentheses in seed 003 only, and only when the parenthesis closes at the end', () => {
    expect(readStatus('✅ Complete  ( by Sage )  ', 'phases')).toMatchObject({ ok: true, value: { note: 'by Sage' } });
    expect(readStatus('complete (by Sage)', 'baton')).toEqual({ ok: false, message: `unknown status "complete (by Sage)" (use ${BATON_USE})` });
    expect(readStatus('✅ Complete (by Sage) later', 'phases')).toEqual({ ok: false, message: `unknown status "✅ Complete (by Sage) later" (use ${PHASES_USE})` });
  });

  it('keeps the spelling without the blanks after an emoji, when a note follows it', () => {
    expect(readStatus('✅ — verified', 'phases')).toEqual({ ok: true, value: { status: 'complete', kind: 'complete', spelling: '✅', note: 'verified' } });
  });

  it('reads a note only right after the status: words between refuse the value', () => {
    expect(readStatus('blocked soon — maybe', 'baton')).toEqual({ ok: false, message: `unknown status "blocked soon — maybe" (use ${BATON_USE})` });
    expect(readStatus('blocked soon - maybe', 'baton')).toEqual({ ok: false, message: `unknown status "blocked soon - maybe" (use ${BATON_USE})` });
    expect(readStatus('✅ Complete x (by Sage)', 'phases')).toEqual({ ok: false, message: `unknown status "✅ Complete x (by Sage)" (use ${PHASES_USE})` });
    expect(readStatus('✅ Complete (by Sage)x', 'phases')).toEqual({ ok: false, message: `unknown status "✅ Complete (by Sage)x" (use ${PHASES_USE})` });
    expect(readStatus('blocked  - no key', 'baton')).toMatchObject({ ok: true, value: { note: 'no key' } });
  });

  it('refuses values that do not start with a status, naming the words this format uses', () => {
    expect(readStatus('done', 'baton')).toEqual({ ok: false, message: `unknown status "done" (use ${BATON_USE})` });
    expect(readStatus('  ', 'phases')).toEqual({ ok: false, message: `unknown status "" (use ${PHASES_USE})` });
    expect(readStatus('almost complete', 'baton')).toEqual({ ok: false, message: `unknown status "almost complete" (use ${BATON_USE})` });
    expect(readStatus('readyish', 'baton')).toEqual({ ok: false, message: `unknown status "readyish" (use ${BATON_USE})` });
    expect(readStatus('Ready ✅', 'phases')).toEqual({ ok: false, message: 'status "Ready ✅" says both ✅ (complete) and "Ready"' });
  });

  it('reads a trailing emoji only right after a word, and a second leading emoji as leftover text', () => {
    expect(readStatus('✅ ✅', 'phases')).toEqual({ ok: false, message: `unknown status "✅ ✅" (use ${PHASES_USE})` });
    expect(readStatus('🔄 In Progress 🔄', 'phases')).toEqual({ ok: false, message: `unknown status "🔄 In Progress 🔄" (use ${PHASES_USE})` });
    expect(readStatus('In Progress🔄️ — half', 'phases')).toEqual({ ok: true, value: { status: 'in progress', kind: 'in progress', spelling: 'In Progress🔄️', note: 'half' } });
  });
});

describe('statusOf', () => {
  it('maps ready and not started to available and every other kind to itself', () => {
    expect((['available', 'ready', 'not started', 'in progress', 'blocked', 'complete'] as const).map(statusOf)).toEqual(['available', 'available', 'available', 'in progress', 'blocked', 'complete']);
  });
});

describe('learnStatus', () => {
  it('remembers the first spelling of each kind and keeps it', () => {
    const spelling = emptySpelling();
    expect(spelling).toEqual({ status: {}, completedLines: false });
    learnStatus(spelling, { status: 'complete', kind: 'complete', spelling: '✅ Done' });
    learnStatus(spelling, { status: 'complete', kind: 'complete', spelling: 'Complete' });
    learnStatus(spelling, { status: 'available', kind: 'ready', spelling: '🟢 Ready' });
    expect(spelling.status).toEqual({ complete: '✅ Done', ready: '🟢 Ready' });
  });

  it('gives each file its own spelling object', () => {
    const a = emptySpelling();
    learnStatus(a, { status: 'blocked', kind: 'blocked', spelling: 'Blocked' });
    expect(emptySpelling().status).toEqual({});
  });
});

describe('writeStatus', () => {
  const spelled = (status: Spelling['status']): Spelling => ({ status, completedLines: false });

  it('writes Baton\'s own lowercase word whatever the file spelt, with a one-line note after an em dash', () => {
    expect(writeStatus('baton', spelled({ blocked: '🔴 BLOCKED' }), 'blocked')).toBe('blocked');
    expect(writeStatus('baton', spelled({}), 'in progress', '  waiting\n on   api ')).toBe('in progress — waiting on api');
    expect(writeStatus('baton', spelled({}), 'complete', '   ')).toBe('complete');
    expect(writeStatus('baton', spelled({}), 'complete', null)).toBe('complete');
  });

  it('writes the default seed 003 spelling for a file that has spelt no status yet', () => {
    const none = spelled({});
    expect((['available', 'in progress', 'blocked', 'complete'] as const).map((s) => writeStatus('phases', none, s))).toEqual(['🟢 Ready', '🔄 In Progress', '🔴 Blocked', '✅ Complete']);
  });

  it('writes available as the file\'s ready, else not started, else available spelling', () => {
    expect(writeStatus('phases', spelled({ available: 'Available', 'not started': 'Not Started', ready: 'Ready!' }), 'available')).toBe('Ready!');
    expect(writeStatus('phases', spelled({ available: 'Available', 'not started': 'Not Started' }), 'available')).toBe('Not Started');
    expect(writeStatus('phases', spelled({ available: 'Available' }), 'available')).toBe('Available');
  });

  it('writes another status in the file\'s own spelling of it', () => {
    expect(writeStatus('phases', spelled({ blocked: 'Stuck 🔴', complete: 'x' }), 'blocked', 'no key')).toBe('Stuck 🔴 — no key');
  });

  it('follows the file\'s style for a status it has not spelt: emoji only, words only, both, capitals', () => {
    expect(writeStatus('phases', spelled({ complete: '✅' }), 'in progress')).toBe('🔄');
    expect(writeStatus('phases', spelled({ complete: '✅' }), 'available')).toBe('🟢');
    expect(writeStatus('phases', spelled({ complete: 'Complete' }), 'blocked')).toBe('Blocked');
    expect(writeStatus('phases', spelled({ complete: 'Complete ✅' }), 'blocked')).toBe('🔴 Blocked');
    expect(writeStatus('phases', spelled({ complete: '✅ COMPLETE' }), 'in progress')).toBe('🔄 IN PROGRESS');
    expect(writeStatus('phases', spelled({ complete: 'COMPLETE', blocked: 'Blocked' }), 'in progress')).toBe('IN PROGRESS');
    expect(writeStatus('phases', spelled({ complete: 'COMPLETE', blocked: 'Blocked' }), 'available')).toBe('READY');
    expect(writeStatus('phases', spelled({ complete: 'Complete', blocked: 'BLOCKED' }), 'in progress')).toBe('IN PROGRESS');
    expect(writeStatus('phases', spelled({ complete: '✅ Complete', blocked: 'Blocked' }), 'in progress')).toBe('🔄 In Progress');
    expect(writeStatus('phases', spelled({ complete: '✅', blocked: 'Blocked' }), 'in progress')).toBe('🔄 In Progress');
    expect(writeStatus('phases', spelled({ complete: 'OK' }), 'in progress')).toBe('IN PROGRESS');
    expect(writeStatus('phases', spelled({ complete: 'C' }), 'in progress')).toBe('In Progress');
  });
});

import * as L from '../../src/shared/lifecycle';
import type { Task } from '../../src/shared/schemas';

const at = '2026-12-05T11:00:00.000Z';
const later = '2026-12-05T12:00:00.000Z';
const task = (over: Partial<Task> = {}): Task =>
  ({ id: 'TASK_001', key: 'a', role: 'developer', mission: 'm', successCriteria: [], dependsOn: [], status: 'pending', attempts: 0, created: at, source: 'planner', artifacts: [], spent: { tokens: 0, costUsd: 0 }, ...over }) as Task;

describe('lifecycle transitions', () => {
  it('runTask clears the last error, hold and verification flag and counts the attempt', () => {
    const t = L.runTask(task({ status: 'stopped', error: 'x', hold: { kind: 'person', reason: 'r' }, verifying: true, attempts: 1 }), 'AGENT_0001', later);
    expect(t).toMatchObject({ status: 'running', agentId: 'AGENT_0001', attempts: 2, started: later });
    expect([t.error, t.hold, t.verifying]).toEqual([undefined, undefined, undefined]);
  });

  it('completeTask records time and outcome, and replaces artifacts only when given', () => {
    const done = L.completeTask(task({ artifacts: ['old.md'], hold: { kind: 'person', reason: 'r' } }), later, 'shipped');
    expect(done).toMatchObject({ status: 'completed', completed: later, outcome: 'shipped', artifacts: ['old.md'] });
    expect(done.hold).toBeUndefined();
    expect(L.completeTask(task({ artifacts: ['old.md'] }), later, 'shipped', ['new.md']).artifacts).toEqual(['new.md']);
  });

  it('failTask keeps verifying and sets no skipped reason unless the policy skipped it', () => {
    const failed = L.failTask(task({ verifying: true, hold: { kind: 'person', reason: 'r' } }), later, 'broke');
    expect(failed).toMatchObject({ status: 'failed', completed: later, error: 'broke', verifying: true });
    expect(failed.hold).toBeUndefined();
    expect('skipped' in failed).toBe(false);
    expect(L.failTask(task({ verifying: true }), later, 'broke', '')).toMatchObject({ skipped: '', verifying: undefined });
  });

  it('holdTask applies the extra fields but always ends stopped, without error, with the hold', () => {
    const hold = { kind: 'budget' as const, reason: 'out' };
    const held = L.holdTask(task({ error: 'x' }), hold, { agentId: 'AGENT_0002', status: 'running', error: 'y' } as Partial<Task>);
    expect(held).toMatchObject({ status: 'stopped', agentId: 'AGENT_0002', hold });
    expect(held.error).toBeUndefined();
    expect(L.holdTask(task(), hold)).toMatchObject({ status: 'stopped', hold });
  });

  it('releaseTask returns the task to pending with no agent, error or hold', () => {
    const t = L.releaseTask(task({ status: 'stopped', agentId: 'AGENT_0001', error: 'x', hold: { kind: 'person', reason: 'r' }, attempts: 3 }));
    expect(t).toMatchObject({ status: 'pending', attempts: 3 });
    expect([t.agentId, t.error, t.hold]).toEqual([undefined, undefined, undefined]);
  });

  it('requeueTask applies the patch but always ends pending with no agent or hold', () => {
    const t = L.requeueTask(task({ status: 'running', agentId: 'AGENT_0001', hold: { kind: 'person', reason: 'r' } }), { rework: 2, feedback: ['tests fail'], status: 'running', agentId: 'AGENT_0009' } as Partial<Task>);
    expect(t).toMatchObject({ status: 'pending', rework: 2, feedback: ['tests fail'] });
    expect([t.agentId, t.hold]).toEqual([undefined, undefined]);
  });
});

describe('holds', () => {
  const held = (kind: NonNullable<Task['hold']>['kind']) => task({ status: 'stopped', hold: { kind, reason: 'r' } });

  it('isHeld needs a stopped task with a hold; with kinds named, one of those kinds', () => {
    expect(L.isHeld(held('budget'))).toBe(true);
    expect(L.isHeld(held('budget'), 'budget', 'person')).toBe(true);
    expect(L.isHeld(held('budget'), 'person')).toBe(false);
    expect(L.isHeld(task({ status: 'stopped' }))).toBe(false);
    expect(L.isHeld(task({ status: 'pending', hold: { kind: 'budget', reason: 'r' } }))).toBe(false);
  });

  it('heldForPerson is only a stopped recovery or escalation hold; freedByResume any stopped task but a recovery hold', () => {
    expect(L.heldForPerson(task({ status: 'running', hold: { kind: 'escalation', reason: 'r' } }))).toBe(false);
    expect(L.freedByResume(task({ status: 'stopped' }))).toBe(true);
    expect(L.freedByResume(task({ status: 'pending' }))).toBe(false);
    expect(L.freedByResume(task({ status: 'running', hold: { kind: 'person', reason: 'r' } }))).toBe(false);
  });

  it('holdText words every kind, with the freeing decision when there is one', () => {
    expect(L.holdText({ kind: 'person', reason: 'lunch', decisionId: 'DEC_1' })).toBe('stopped: lunch');
    expect(L.holdText({ kind: 'budget', reason: '$5 cap' })).toBe('budget spent: $5 cap');
    expect(L.holdText({ kind: 'budget', reason: '$5 cap', decisionId: 'DEC_1' })).toBe('budget spent (DEC_1): $5 cap');
    expect(L.holdText({ kind: 'escalation', reason: 'bad key' })).toBe('waiting for a person: bad key');
    expect(L.holdText({ kind: 'escalation', reason: 'bad key', decisionId: 'DEC_2' })).toBe('waiting for a person (DEC_2): bad key');
    expect(L.holdText({ kind: 'recovery', reason: 'tests' })).toBe('waiting for a decision: tests');
  });
});

describe('reading version 1 holds', () => {
  it('reads each sentinel with the pending decision of its kind, or none', () => {
    const asked: string[] = [];
    const pending = (kind: string) => (asked.push(kind), kind === 'budget' ? undefined : `DEC_${kind}`);
    expect(L.holdFromV1('waiting for a decision: build broke', pending)).toEqual({ kind: 'recovery', reason: 'build broke', decisionId: 'DEC_recovery' });
    expect(L.holdFromV1('waiting for a person: bad key', pending)).toEqual({ kind: 'escalation', reason: 'bad key', decisionId: 'DEC_escalation' });
    expect(L.holdFromV1('budget spent', pending)).toEqual({ kind: 'budget', reason: 'the budget ran out while its agent worked' });
    expect(asked).toEqual(['recovery', 'escalation', 'budget']);
    expect(L.holdFromV1('waiting for a decision: x', () => undefined)).toStrictEqual({ kind: 'recovery', reason: 'x' });
  });

  it('reads only exact sentinels: a prefix must start the text, and budget must be the whole text', () => {
    const none = () => 'DEC_9';
    expect(L.holdFromV1('budget spent twice', none)).toEqual({ kind: 'person', reason: 'budget spent twice' });
    expect(L.holdFromV1('note: waiting for a person: x', none)).toEqual({ kind: 'person', reason: 'note: waiting for a person: x' });
    expect(L.holdFromV1('waiting for a decision:x', none)).toEqual({ kind: 'person', reason: 'waiting for a decision:x' });
  });
});

describe('migrateState', () => {
  const v1 = (tasks: unknown[], decisions?: unknown) => ({ version: 1, tasks, ...(decisions === undefined ? {} : { decisions }) });

  it('leaves anything that is not a version-1 state with a task list untouched', () => {
    for (const raw of [null, [], 5, { version: 2, tasks: [] }, { version: 1, tasks: 'x' }, { version: '1', tasks: [] }]) expect(L.migrateState(raw)).toBe(raw);
  });

  it('sets the current version and keeps every other field', () => {
    expect(L.migrateState({ ...v1([]), goal: 'g' })).toEqual({ version: L.STATE_VERSION, tasks: [], goal: 'g' });
    expect(L.STATE_VERSION).toBe(2);
  });

  it('migrates only stopped tasks without a hold, and drops their error text', () => {
    const tasks = [{ id: 'T1', status: 'stopped', error: 'budget spent' }, { id: 'T2', status: 'stopped', hold: { kind: 'person', reason: 'r' }, error: 'e' }, { id: 'T3', status: 'failed', error: 'e' }, 'junk'];
    expect((L.migrateState(v1(tasks)) as { tasks: unknown[] }).tasks).toEqual([
      { id: 'T1', status: 'stopped', hold: { kind: 'budget', reason: 'the budget ran out while its agent worked' } },
      tasks[1],
      tasks[2],
      'junk',
    ]);
  });

  it('reads a non-text error as no error', () => {
    expect((L.migrateState(v1([{ id: 'T1', status: 'stopped', error: 42 }])) as { tasks: unknown[] }).tasks).toEqual([{ id: 'T1', status: 'stopped', hold: { kind: 'person', reason: 'stopped' } }]);
  });

  it('links the pending decision of the same kind, and for recovery the one about this very task', () => {
    const decisions = [
      { id: 'DEC_1', kind: 'recovery', status: 'pending', taskId: 'T9' },
      { id: 'DEC_2', kind: 'recovery', status: 'decided', taskId: 'T1' },
      { id: 'DEC_3', kind: 'recovery', status: 'pending', taskId: 'T1' },
      { id: 'DEC_4', kind: 'escalation', status: 'resolved' },
      { id: 'DEC_5', kind: 'escalation', status: 'pending', taskId: 'T7' },
      { id: 6, kind: 'budget', status: 'pending' },
      'junk',
    ];
    const tasks = [
      { id: 'T1', status: 'stopped', error: 'waiting for a decision: tests' },
      { id: 'T2', status: 'stopped', error: 'waiting for a person: key' },
      { id: 'T3', status: 'stopped', error: 'budget spent' },
      { id: 'T4', status: 'stopped', error: 'waiting for a decision: other' },
    ];
    expect((L.migrateState(v1(tasks, decisions)) as { tasks: { hold: unknown }[] }).tasks.map((t) => t.hold)).toEqual([
      { kind: 'recovery', reason: 'tests', decisionId: 'DEC_3' },
      { kind: 'escalation', reason: 'key', decisionId: 'DEC_5' },
      { kind: 'budget', reason: 'the budget ran out while its agent worked' },
      { kind: 'recovery', reason: 'other' },
    ]);
  });

  it('migrates without decisions when the state has no decision list', () => {
    expect((L.migrateState(v1([{ id: 'T1', status: 'stopped', error: 'waiting for a person: key' }], 'nope')) as { tasks: { hold: unknown }[] }).tasks[0]!.hold).toEqual({ kind: 'escalation', reason: 'key' });
  });
});

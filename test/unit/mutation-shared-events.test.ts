import { appendEvents, emptyEventLog, eventsBetween, markPublished, withEventLog } from '../../src/shared/events';
import type { OrchestrationState } from '../../src/shared/schemas';
import { minute } from '../support/reducers';
import { decisionItem, objectiveItem, spend, stateWith, taskItem } from '../support/state-items';

// Exactly which events one state change means (src/shared/events.ts): objectives, decisions, phases, the log itself.
// Every state is built inside its test.

const where = { at: minute(1), project: 'demo', session: 1 };

describe('the event log', () => {
  it('a state without a log starts it with orchestration.started and only the objectives still waiting to be planned', () => {
    const s = stateWith({ objectives: [objectiveItem('OBJ_001', 'completed'), objectiveItem('OBJ_002', 'pending'), objectiveItem('OBJ_003', 'active')] });
    const started = withEventLog({ ...s, events: undefined }, minute(1));
    expect(started.events?.events.map((e) => [e.ordinal, e.type, 'objectiveId' in e ? e.objectiveId : undefined])).toEqual([
      [1, 'orchestration.started', undefined],
      [2, 'objective.added', 'OBJ_002'],
    ]);
  });

  it('appending no events keeps the log as it is, even when it holds more than the size given', () => {
    const log = appendEvents(emptyEventLog(), [{ type: 'orchestration.started' }, { type: 'orchestration.resumed' }, { type: 'orchestration.resumed' }], where);
    const same = appendEvents(log, [], where, 2);
    expect(same).toBe(log);
    expect(same.events.map((e) => e.ordinal)).toEqual([1, 2, 3]);
  });

  it('marking the oldest unpublished ordinal as published moves `published` past it', () => {
    const log = appendEvents(emptyEventLog(), [{ type: 'orchestration.started' }, { type: 'orchestration.resumed' }], where);
    const s = stateWith({ events: log });
    expect(s.events?.published).toBe(1);
    expect(markPublished(s, 1).events?.published).toBe(2);
    // an ordinal already behind `published` changes nothing
    expect(markPublished(markPublished(s, 2), 1).events?.published).toBe(3);
  });
});

describe('objective events', () => {
  it('an objective that moves from pending to planning is not told as added again, nor as planned', () => {
    const prev = stateWith({ objectives: [objectiveItem('OBJ_001', 'pending')] });
    const next = { ...prev, objectives: [objectiveItem('OBJ_001', 'planning')] };
    expect(eventsBetween(prev, next)).toEqual([]);
  });

  it('a planned objective is told with the number of its own tasks only', () => {
    const tasks = [taskItem('TASK_001', { objectiveId: 'OBJ_002' }), taskItem('TASK_002', { objectiveId: 'OBJ_001' }), taskItem('TASK_003', { objectiveId: 'OBJ_001' })];
    const prev = stateWith({ objectives: [objectiveItem('OBJ_001', 'planning'), objectiveItem('OBJ_002', 'active')] });
    const next = { ...prev, objectives: [objectiveItem('OBJ_001', 'active'), prev.objectives[1]!], tasks };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'objective.planned', objectiveId: 'OBJ_001', tasks: 2 }]);
  });

  it('an objective planned straight from pending (or into confirming) is told as planned', () => {
    const prev = stateWith({ objectives: [objectiveItem('OBJ_001', 'pending'), objectiveItem('OBJ_002', 'planning')] });
    const next = { ...prev, objectives: [objectiveItem('OBJ_001', 'active'), objectiveItem('OBJ_002', 'confirming')] };
    expect(eventsBetween(prev, next)).toEqual([
      { type: 'objective.planned', objectiveId: 'OBJ_001', tasks: 0 },
      { type: 'objective.planned', objectiveId: 'OBJ_002', tasks: 0 },
    ]);
  });

  it('an objective whose planning failed is told as failed, with its error, and not as planned', () => {
    const prev = stateWith({ objectives: [objectiveItem('OBJ_001', 'planning')] });
    const next = { ...prev, objectives: [objectiveItem('OBJ_001', 'failed', { error: 'planner said nothing' })] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'objective.failed', objectiveId: 'OBJ_001', error: 'planner said nothing' }]);
  });

  it('objectives that change without leaving pending, planning or active are not told as planned', () => {
    const prev = stateWith({ objectives: [objectiveItem('OBJ_001', 'pending'), objectiveItem('OBJ_002', 'planning'), objectiveItem('OBJ_003', 'active')] });
    const spent = spend(5, 0.1);
    const next = { ...prev, objectives: prev.objectives.map((o) => ({ ...o, spent })) };
    expect(eventsBetween(prev, next)).toEqual([]);
  });

  it('a completing objective is told as completed once; later changes to it tell nothing', () => {
    const prev = stateWith({ objectives: [objectiveItem('OBJ_001', 'active')] });
    const done = { ...prev, objectives: [objectiveItem('OBJ_001', 'completed')] };
    expect(eventsBetween(prev, done)).toEqual([{ type: 'objective.completed', objectiveId: 'OBJ_001' }]);
    const later = { ...done, objectives: [objectiveItem('OBJ_001', 'completed', { spent: spend(1, 0.01) })] };
    expect(eventsBetween(done, later)).toEqual([]);
  });

  it('a new objective is told as added only', () => {
    const prev = stateWith();
    const next = { ...prev, objectives: [objectiveItem('OBJ_001', 'pending', { description: 'Bake bread' })] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'objective.added', objectiveId: 'OBJ_001', description: 'Bake bread' }]);
  });

  it('a long description is clipped to 159 characters and an ellipsis; one of exactly 160 is kept whole', () => {
    const long = 'x'.repeat(150) + 'abcdefghijKLMNOP';
    const exact = 'y'.repeat(160);
    const prev = stateWith();
    const next = { ...prev, objectives: [objectiveItem('OBJ_001', 'pending', { description: long }), objectiveItem('OBJ_002', 'pending', { description: exact })] };
    const added = eventsBetween(prev, next).map((e) => ('description' in e ? e.description : ''));
    expect(added).toEqual([`${'x'.repeat(150)}abcdefghi…`, exact]);
  });

  it('an objective that moved to another place in the list is not told again', () => {
    const a = objectiveItem('OBJ_001', 'active');
    const prev = stateWith({ objectives: [a] });
    const next = { ...prev, objectives: [objectiveItem('OBJ_002', 'pending'), a] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'objective.added', objectiveId: 'OBJ_002', description: 'goal OBJ_002' }]);
  });
});

describe('decision events', () => {
  it('a raised decision carries its task and objective', () => {
    const prev = stateWith();
    const next = { ...prev, decisions: [decisionItem('DEC_001', { kind: 'recovery', taskId: 'TASK_004', objectiveId: 'OBJ_002' })] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'decision.raised', decisionId: 'DEC_001', kind: 'recovery', question: 'question DEC_001?', taskId: 'TASK_004', objectiveId: 'OBJ_002' }]);
  });

  it('answering a decision tells it answered with the time it waited, and does not raise it again', () => {
    const prev = stateWith({ decisions: [decisionItem('DEC_001')] });
    const next = { ...prev, decisions: [decisionItem('DEC_001', { status: 'made', choice: 'ship', decided: minute(3) })] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'decision.answered', decisionId: 'DEC_001', kind: 'synthesis', choice: 'ship', waitedMs: 180000 }]);
  });

  it('a decision recorded already made is told as answered, never raised', () => {
    const prev = stateWith();
    const next = { ...prev, decisions: [decisionItem('DEC_001', { status: 'made', choice: 'ship', decided: minute(0) })] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'decision.answered', decisionId: 'DEC_001', kind: 'synthesis', choice: 'ship', waitedMs: 0 }]);
  });

  it('an answer without a choice or a usable time tells an empty choice and no wait', () => {
    const prev = stateWith({ decisions: [decisionItem('DEC_001'), decisionItem('DEC_002')] });
    const next = {
      ...prev,
      decisions: [decisionItem('DEC_001', { status: 'made' }), decisionItem('DEC_002', { status: 'made', choice: 'no', created: minute(5), decided: minute(2) })],
    };
    expect(eventsBetween(prev, next)).toEqual([
      { type: 'decision.answered', decisionId: 'DEC_001', kind: 'synthesis', choice: '' },
      { type: 'decision.answered', decisionId: 'DEC_002', kind: 'synthesis', choice: 'no' },
    ]);
  });

  it('a made decision that changes again is not told as answered twice', () => {
    const prev = stateWith({ decisions: [decisionItem('DEC_001', { status: 'made', choice: 'ship', decided: minute(1) })] });
    const next = { ...prev, decisions: [decisionItem('DEC_001', { status: 'made', choice: 'ship', decided: minute(1), rationale: 'later note' })] };
    expect(eventsBetween(prev, next)).toEqual([]);
  });
});

describe('phase events', () => {
  const at = (s: OrchestrationState, phase: OrchestrationState['phase'], session = s.session): OrchestrationState => ({ ...s, phase, session });

  it('starting session 1 in context does not complete a phase of session 0', () => {
    const prev = at(stateWith(), 'context', 0);
    expect(eventsBetween(prev, at(prev, 'context', 1))).toEqual([{ type: 'phase.entered', phase: 'context', number: 1 }]);
  });

  it('moving to the next phase completes the one before and enters the next, with nothing skipped', () => {
    const prev = at(stateWith(), 'context');
    expect(eventsBetween(prev, at(prev, 'planning'))).toEqual([
      { type: 'phase.completed', phase: 'context', number: 1 },
      { type: 'phase.entered', phase: 'planning', number: 2 },
    ]);
  });

  it('a phase passed over is told as entered and completed, marked skipped', () => {
    const prev = at(stateWith(), 'context');
    expect(eventsBetween(prev, at(prev, 'orchestrating'))).toEqual([
      { type: 'phase.completed', phase: 'context', number: 1 },
      { type: 'phase.entered', phase: 'planning', number: 2, skipped: true },
      { type: 'phase.completed', phase: 'planning', number: 2, skipped: true },
      { type: 'phase.entered', phase: 'orchestrating', number: 3 },
    ]);
  });
});

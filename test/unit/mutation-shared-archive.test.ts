import { archivable, archiveEmpty, dropArchived, KEEP_DECISIONS } from '../../src/shared/archive';
import type { Decision } from '../../src/shared/schemas';
import { addObjective } from '../../src/shared/state';
import { freshState, minute } from '../support/reducers';
import { objectivesRun } from '../support/archive-fixture';

/** `count` budget decisions a person answered, DEC_001 first. */
function answered(count: number, extra: Partial<Decision> = {}): Decision[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `DEC_${String(i + 1).padStart(3, '0')}`, question: 'Spend more?', rationale: 'budget spent', status: 'made', choice: 'approve',
    created: minute(i), decided: minute(i + 1), session: 1, kind: 'budget', ...extra,
  }));
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe('archivable: answered decisions', () => {
  it('keeps every answered decision up to twice KEEP_DECISIONS', () => {
    expect(KEEP_DECISIONS).toBe(10);
    const s = freshState();
    expect(archivable({ ...s, decisions: answered(3) }).decisions).toEqual([]);
    expect(archivable({ ...s, decisions: answered(15) }).decisions).toEqual([]);
    expect(archivable({ ...s, decisions: answered(20) }).decisions).toEqual([]);
  });

  it('past twice KEEP_DECISIONS, moves the oldest until KEEP_DECISIONS remain', () => {
    const s = { ...freshState(), decisions: answered(21) };
    expect(ids(archivable(s).decisions)).toEqual(ids(s.decisions.slice(0, 11)));
  });

  it('moves an answered decision about an archived task even while its objective stays', () => {
    // 30 tasks, keep 20: OBJ_001's ten and OBJ_002's first two go; OBJ_002 keeps eight, so it stays.
    const s = objectivesRun(3, 10, 2);
    const about = (taskId: string, id: string) => ({ ...answered(1)[0]!, id, objectiveId: 'OBJ_002', taskId, kind: 'recovery' as const });
    const batch = archivable({ ...s, decisions: [about('TASK_011', 'DEC_001'), about('TASK_015', 'DEC_002')] });
    expect(ids(batch.tasks)).toContain('TASK_011');
    expect(ids(batch.tasks)).not.toContain('TASK_015');
    expect(ids(batch.objectives)).toEqual(['OBJ_001']);
    expect(ids(batch.decisions)).toEqual(['DEC_001']);
  });
});

describe('archivable: objectives', () => {
  it('never moves an objective that is not completed, even one with no tasks yet', () => {
    const s = addObjective(objectivesRun(3, 10, 2), { description: 'Write the about page' }, minute(3)).state;
    expect(s.objectives.map((o) => [o.id, o.status])).toEqual([['OBJ_001', 'completed'], ['OBJ_002', 'completed'], ['OBJ_003', 'active'], ['OBJ_004', 'pending']]);
    expect(ids(archivable(s).objectives)).toEqual(['OBJ_001']);
  });
});

describe('archiveEmpty', () => {
  it('is empty only when no tasks, objectives or decisions move', () => {
    const s = objectivesRun(3, 10, 2);
    const none = { tasks: [], agents: [], objectives: [], decisions: [] };
    expect(archiveEmpty(none)).toBe(true);
    expect(archiveEmpty({ ...none, tasks: s.tasks.slice(0, 1) })).toBe(false);
    expect(archiveEmpty({ ...none, objectives: s.objectives.slice(0, 1) })).toBe(false);
    expect(archiveEmpty({ ...none, decisions: answered(1) })).toBe(false);
  });
});

describe('dropArchived', () => {
  it('drops the tasks of a batch that moves no objectives or decisions (the legacy rule)', () => {
    // 30 tasks, legacy keep 20: down to half, so 20 go (both completed objectives' tasks), and no objectives or decisions.
    const s = objectivesRun(3, 10, 2);
    const batch = archivable(s, 20, true);
    expect(batch.objectives).toEqual([]);
    expect(batch.decisions).toEqual([]);
    expect(ids(batch.tasks)).toEqual(ids(s.tasks.slice(0, 20)));
    const after = dropArchived(s, { tasks: batch.tasks, agents: batch.agents });
    expect(ids(after.tasks)).toEqual(ids(s.tasks.slice(20)));
    expect(after.archived).toEqual({ tasks: 20, agents: 20, objectives: 0, decisions: 0 });
  });
});

import { agentInput, planInput, spawnSummary, synthesisInput } from '../../src/shared/activity-inputs';
import type { Insight } from '../../src/shared/schemas';
import { agentItem, objectiveItem, stateWith, taskItem } from '../support/state-items';
import { minute } from '../support/reducers';

/** `n` insights numbered from 1, recorded from a task. */
const insights = (n: number, extra: Partial<Insight> = {}): Insight[] =>
  Array.from({ length: n }, (_, i) => ({ text: `insight ${i + 1}`, source: 'Ada', recorded: minute(1), ...extra }));

describe('planInput context', () => {
  it('lists only completed tasks, with an empty outcome shown as nothing after the arrow', () => {
    const state = stateWith({
      tasks: [
        taskItem('TASK_001', { status: 'completed', outcome: 'built it' }),
        taskItem('TASK_002', { status: 'pending' }),
        taskItem('TASK_003', { status: 'completed' }),
        taskItem('TASK_004', { status: 'failed', error: 'broke' }),
      ],
    });
    expect(planInput(state, objectiveItem('OBJ_001', 'planning')).context.completedTasks).toEqual(['TASK_001 do TASK_001 → built it', 'TASK_003 do TASK_003 → ']);
  });

  it('cuts a completed task outcome to 160 characters', () => {
    const state = stateWith({ tasks: [taskItem('TASK_001', { status: 'completed', outcome: 'o'.repeat(400) })] });
    expect(planInput(state, objectiveItem('OBJ_001', 'planning')).context.completedTasks).toEqual([`TASK_001 do TASK_001 → ${'o'.repeat(160)}`]);
  });

  it('gives the planner only the last 20 insights', () => {
    const state = stateWith({ insights: insights(25) });
    const got = planInput(state, objectiveItem('OBJ_001', 'planning')).context.insights;
    expect(got).toHaveLength(20);
    expect(got[0]).toBe('insight 6');
    expect(got[19]).toBe('insight 25');
  });
});

describe('agentInput', () => {
  it("gives the agent its own task's objective, not the first one", () => {
    const state = stateWith({ objectives: [objectiveItem('OBJ_001', 'active'), objectiveItem('OBJ_002', 'active')] });
    const task = taskItem('TASK_001', { objectiveId: 'OBJ_002' });
    expect(agentInput(state, agentItem('AGENT_001'), task).objective).toEqual({ id: 'OBJ_002', description: 'goal OBJ_002' });
  });

  it("passes a dependency without an outcome as an empty summary", () => {
    const dep = taskItem('TASK_001', { status: 'completed' });
    const task = taskItem('TASK_002', { dependsOn: ['TASK_001'] });
    const state = stateWith({ tasks: [dep, task] });
    expect(agentInput(state, agentItem('AGENT_001'), task).inputs).toEqual([{ taskId: 'TASK_001', role: 'developer', summary: '', artifacts: [] }]);
  });

  it('shares the last 20 insights, each cut to 200 characters', () => {
    const state = stateWith({ insights: [...insights(24), { text: 'x'.repeat(300), source: 'Ada', recorded: minute(1) }] });
    const got = agentInput(state, agentItem('AGENT_001'), taskItem('TASK_001')).sharedContext;
    expect(got).toHaveLength(20);
    expect(got?.[0]).toBe('insight 6');
    expect(got?.[18]).toBe('insight 24');
    expect(got?.[19]).toBe('x'.repeat(200));
  });

  it("hides a dependency's files from another repository", () => {
    const dep = taskItem('TASK_001', { status: 'completed', outcome: 'api done', target: 'api', artifacts: ['api/src/a.ts'] });
    const task = taskItem('TASK_002', { target: 'site', dependsOn: ['TASK_001'] });
    const state = stateWith({ tasks: [dep, task] });
    expect(agentInput(state, agentItem('AGENT_001'), task).inputs).toEqual([{ taskId: 'TASK_001', role: 'developer', summary: 'api done', artifacts: [] }]);
  });

  it("keeps a same-repository dependency's files but drops its verification artifacts", () => {
    const verification = { passed: true, gates: [], falseClaims: [], review: 'ok', artifacts: ['ART_007'] };
    const dep = taskItem('TASK_001', { status: 'completed', outcome: 'done', target: 'site', artifacts: ['src/a.ts', 'ART_007', 'src/b.ts'], verification });
    const task = taskItem('TASK_002', { target: 'site', dependsOn: ['TASK_001'] });
    const state = stateWith({ tasks: [dep, task] });
    expect(agentInput(state, agentItem('AGENT_001'), task).inputs[0]?.artifacts).toEqual(['src/a.ts', 'src/b.ts']);
  });
});

describe('synthesisInput', () => {
  it('sees only the latest 100 outputs', () => {
    const outputs = Array.from({ length: 101 }, (_, i) => taskItem(`TASK_${String(i + 1).padStart(3, '0')}`, { status: 'completed', outcome: 'ok' }));
    const got = synthesisInput(stateWith({ tasks: outputs }), outputs).outputs;
    expect(got).toHaveLength(100);
    expect(got[0]?.taskId).toBe('TASK_002');
    expect(got[99]?.taskId).toBe('TASK_101');
  });

  it('summarises a failure without an error and a completion without an outcome as empty text, with no claims', () => {
    const outputs = [taskItem('TASK_001', { status: 'failed' }), taskItem('TASK_002', { status: 'completed' })];
    const got = synthesisInput(stateWith({ tasks: outputs }), outputs).outputs;
    expect(got.map((o) => [o.taskId, o.status, o.summary, o.claims])).toEqual([
      ['TASK_001', 'failed', '', []],
      ['TASK_002', 'completed', '', []],
    ]);
  });
});

describe('spawnSummary', () => {
  it('adds no label for a real agent', () => {
    expect(spawnSummary(agentItem('AGENT_001', { simulated: false }), taskItem('TASK_001'))).toBe('Ada (developer) · TASK_001: do TASK_001');
  });
});

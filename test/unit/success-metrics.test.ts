import { parallelRate, successMetrics } from '../../src/shared/success-metrics';
import * as S from '../../src/shared/state';
import { agentReport, freshState, minute, planObjective, plannedTask, spawnChosen } from '../support/reducers';

test('parallel execution rate: the share of agent time spent alongside another agent', () => {
  expect(parallelRate([])).toBeNull();
  expect(parallelRate([[0, 10]])).toBe(0);
  // Two agents side by side the whole time.
  expect(parallelRate([[0, 10], [0, 10]])).toBe(1);
  // A: 0-10, B: 5-15 → 10 of 20 agent-minutes overlap.
  expect(parallelRate([[0, 10], [5, 15]])).toBe(0.5);
  // Back to back is not parallel; a zero-length or broken interval is ignored.
  expect(parallelRate([[0, 10], [10, 20], [3, 3], [NaN, 4]])).toBe(0);
  // Three at once for 10, then one alone for 10: 30 of 40.
  expect(parallelRate([[0, 10], [0, 10], [0, 20]])).toBe(0.75);
});

test('a session of two tasks, one retried: agents per task, success rate, parallel rate from the agents in state', () => {
  let s = planObjective(freshState(), [plannedTask('a'), plannedTask('b')]);
  s = spawnChosen(s, 'TASK_001', minute(0));
  s = spawnChosen(s, 'TASK_002', minute(0));
  const agentOf = (id: string) => s.tasks.find((t) => t.id === id)?.agentId ?? '';
  s = S.failTask(s, 'TASK_002', agentOf('TASK_002'), 'crashed', minute(10));
  s = S.finishTask(s, 'TASK_001', agentOf('TASK_001'), agentReport(), minute(10));
  s = { ...s, tasks: s.tasks.map((t) => (t.id === 'TASK_002' ? { ...t, status: 'pending' as const } : t)) };
  s = spawnChosen(s, 'TASK_002', minute(10));
  s = S.finishTask(s, 'TASK_002', agentOf('TASK_002'), agentReport(), minute(20));
  const m = successMetrics(s);
  expect(m.agentsPerTask).toBe(1.5);
  expect(m.taskSuccessRate).toBe(0.667);
  // 0-10 two agents (20 agent-minutes), 10-20 one agent: 20 of 30.
  expect(m.parallelExecutionRate).toBe(0.667);
  expect(m.reworkRate).toBeNull();
  expect(m.contextContinuity).toBeNull();
});

test('decision time counts decisions a person answered, not ones synthesis recorded', () => {
  const s = freshState();
  const d = (id: string, kind: 'budget' | 'synthesis' | 'recovery', created: number, decided?: number) => ({
    id, question: 'q', rationale: 'r', session: 1, kind, created: minute(created), status: decided === undefined ? ('pending' as const) : ('made' as const), ...(decided === undefined ? {} : { decided: minute(decided), choice: 'x' }),
  });
  const m = successMetrics({ ...s, decisions: [d('DEC_001', 'budget', 0, 2), d('DEC_002', 'recovery', 1, 7), d('DEC_003', 'synthesis', 3, 3), d('DEC_004', 'budget', 5)] });
  expect(m.decisionTime).toEqual({ answered: 2, meanMs: 4 * 60_000, maxMs: 6 * 60_000 });
});

test('context continuity compares the sessions state carried with the session number', () => {
  const s = freshState();
  expect(successMetrics({ ...s, session: 3, metrics: { ...s.metrics, total_sessions: 3 } }).contextContinuity).toBe(1);
  // An import that brought no session count: only this session is known of three.
  expect(successMetrics({ ...s, session: 3, metrics: { ...s.metrics, total_sessions: 1 } }).contextContinuity).toBe(0);
  expect(successMetrics({ ...s, metrics: { ...s.metrics, total_verifications: 4, total_reworks: 1 } }).reworkRate).toBe(0.25);
});

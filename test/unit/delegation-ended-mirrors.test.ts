import { freshState, minute, planObjective, plannedTask, spawnChosen } from '../support/reducers';
import { decide } from '../../src/shared/decisions';
import { answersToForward, applyChildSpend, childEnded, childStarted, childWorkflowId, closeEndedChildMirrors, hasOpenMirrors, holdWanted, type ChildDecision } from '../../src/shared/delegation';
import { tasksToStart } from '../../src/shared/scheduler';
import { NO_SPEND, type OrchestrationState } from '../../src/shared/schemas';

// A child that ends while a decision it raised waits at its parent: nobody is left to hear the answer.

const ROOT = 'baton/launch';
const question: ChildDecision = { id: 'DEC_001', kind: 'escalation', question: 'Agents cannot run: the API key was refused. Fix the cause, then retry, or stop?', rationale: 'Retrying would fail the same way.' };

/** A root with a lead task whose child (started at minute 1) has an escalation mirrored here, and an independent task waiting for a slot. */
function rootWaitingOnChild(): OrchestrationState {
  let s = planObjective(freshState({ maxAgents: 2 }), [plannedTask('research', { role: 'researcher', mission: 'Lead the research', lead: {} }), plannedTask('write', { mission: 'Write the brief' })]);
  s = spawnChosen(s, 'TASK_001');
  s = childStarted(s, 'TASK_001', childWorkflowId(ROOT, 'TASK_001'), minute(1));
  return applyChildSpend(s, { taskId: 'TASK_001', spent: NO_SPEND, agents: 1, running: 0, pending: [question] }, minute(2));
}

test('a mirrored escalation holds the root until it is answered', () => {
  const s = rootWaitingOnChild();
  expect(s.decisions.map((d) => [d.id, d.status, d.route?.taskId])).toEqual([['DEC_001', 'pending', 'TASK_001']]);
  expect(holdWanted(s)).toBe(true);
  expect(tasksToStart(s, 'parallel', 2)).toEqual([]);
  expect(hasOpenMirrors(s, 'TASK_001')).toBe(true);
  expect(hasOpenMirrors(s, 'TASK_002')).toBe(false);
  expect(hasOpenMirrors(decide(s, { decisionId: 'DEC_001', choice: 'retry' }, minute(3)), 'TASK_001')).toBe(false);
  // One open mirror among other decisions is enough.
  const withOther: OrchestrationState = { ...s, decisions: [{ ...s.decisions[0]!, id: 'DEC_000', route: undefined, status: 'made', choice: 'retry' }, ...s.decisions] };
  expect(hasOpenMirrors(withOther, 'TASK_001')).toBe(true);
});

test.each(['stopped', 'failed'] as const)('a child %s with a mirror pending: the mirror closes, nothing goes down, and the root starts its other work', (how) => {
  const ended = childEnded(rootWaitingOnChild(), 'TASK_001', how, minute(3));
  const s = closeEndedChildMirrors(ended, 'TASK_001', how, minute(3));
  expect(s.decisions[0]).toMatchObject({ status: 'made', choice: `closed: the child orchestration ${how} before an answer`, decided: minute(3), route: { taskId: 'TASK_001', decisionId: 'DEC_001', forwarded: true } });
  expect(answersToForward(s)).toEqual([]);
  expect(holdWanted(s)).toBe(false);
  expect(tasksToStart(s, 'parallel', 2).map((t) => t.id)).toEqual(['TASK_002']);
});

test('only the ended child\'s pending mirrors close: an answered one and another child\'s stay as they were', () => {
  let s = rootWaitingOnChild();
  s = decide(s, { decisionId: 'DEC_001', choice: 'retry' }, minute(3));
  s = childStarted(spawnChosen(s, 'TASK_002'), 'TASK_002', childWorkflowId(ROOT, 'TASK_002'), minute(3));
  s = applyChildSpend(s, { taskId: 'TASK_002', spent: NO_SPEND, agents: 1, running: 0, pending: [question] }, minute(4));
  const closed = closeEndedChildMirrors(s, 'TASK_001', 'returned', minute(5));
  expect(closed).toBe(s);
  const other = closeEndedChildMirrors(s, 'TASK_002', 'returned', minute(5));
  expect(other.decisions.map((d) => [d.id, d.status, d.choice])).toEqual([
    ['DEC_001', 'made', 'retry'],
    ['DEC_002', 'made', 'closed: the child orchestration returned before an answer'],
  ]);
});

import { z } from 'zod';
import { OrchestrationConfig, AddObjectiveInput, CompleteTaskInput, MAX_TEXT, RecordInsightInput, ResumeInput, StopInput } from '../../src/shared/schemas';
import { addObjective, applyPlan, completeTaskProblem, initialState, markPlanning, startTask, stopProblem } from '../../src/shared/state';
import { validatorFor } from '../../src/shared/validation';
import { describeIssues, parseOrThrow } from '../../src/shared/zod-errors';

const T0 = '2025-01-01T00:00:00.000Z';

/** The message a validator rejects `raw` with, or 'accepted'. */
function rejection(validate: (raw: unknown) => void, raw: unknown): string {
  try {
    validate(raw);
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
}
const noProblem = () => undefined;

describe('update validators name the field', () => {
  it('addObjective: description missing, blank or too long; unknown keys named', () => {
    const v = validatorFor(AddObjectiveInput, noProblem);
    expect(rejection(v, { description: 'Add a newsletter' })).toBe('accepted');
    expect(rejection(v, {})).toBe('description: description is required');
    expect(rejection(v, { description: '   ' })).toBe('description: description must not be empty');
    expect(rejection(v, { description: 'x'.repeat(MAX_TEXT + 1) })).toBe(
      `description: description must be at most ${MAX_TEXT} characters`,
    );
    expect(rejection(v, { description: 'ok', priority: 1, owner: 'me' })).toBe('input: unknown field(s) "priority", "owner"');
    expect(rejection(v, 'Add a newsletter')).toMatch(/^input: /);
  });

  it('completeTask: task id shape and outcome', () => {
    const v = validatorFor(CompleteTaskInput, noProblem);
    expect(rejection(v, { taskId: 'TASK_001', outcome: 'done' })).toBe('accepted');
    expect(rejection(v, { taskId: 'task-1', outcome: 'done' })).toBe('taskId: taskId must look like TASK_001');
    expect(rejection(v, { taskId: 7, outcome: 'done' })).toBe('taskId: taskId must be a string');
    expect(rejection(v, { taskId: 'TASK_001' })).toBe('outcome: outcome is required');
    expect(rejection(v, { taskId: 'TASK_001', outcome: 'done', note: 'x' })).toBe('input: unknown field(s) "note"');
  });

  it('recordInsight: text required, source optional but not blank', () => {
    const v = validatorFor(RecordInsightInput, noProblem);
    expect(rejection(v, { text: 'users prefer email' })).toBe('accepted');
    expect(rejection(v, { text: 'x', source: 'Grace' })).toBe('accepted');
    expect(rejection(v, { text: '' })).toBe('text: text must not be empty');
    expect(rejection(v, { text: 'x', source: ' ' })).toBe('source: source must not be empty');
    expect(rejection(v, { insight: 'x' })).toContain('unknown field(s) "insight"');
  });

  it('stop: graceful must be boolean, agentId must look like an agent id', () => {
    const v = validatorFor(StopInput, noProblem);
    expect(rejection(v, {})).toBe('accepted');
    expect(rejection(v, { graceful: true })).toBe('accepted');
    expect(rejection(v, { agentId: 'AGENT_0001' })).toBe('accepted');
    expect(rejection(v, { graceful: 'yes' })).toBe('graceful: graceful must be true or false');
    expect(rejection(v, { agentId: 'AGENT_1' })).toBe('agentId: agentId must look like AGENT_0001');
    expect(rejection(v, { force: true })).toBe('input: unknown field(s) "force"');
  });

  it('resume: takes nothing, and says so when given something', () => {
    const v = validatorFor(ResumeInput, noProblem);
    expect(rejection(v, undefined)).toBe('accepted');
    expect(rejection(v, {})).toBe('accepted');
    expect(rejection(v, { session: 3 })).toBe('input: unknown field(s) "session"');
  });
});

describe('update validators consult the state', () => {
  let state = initialState('demo', OrchestrationConfig.parse({}), T0);
  state = addObjective(state, { description: 'x' }, T0).state;
  state = applyPlan(markPlanning(state, ['OBJ_001']), 'OBJ_001', [
    { key: 'a', role: 'developer', mission: 'do a', dependsOn: [], successCriteria: [] },
  ], T0);

  it('rejects completing an unknown task with the problem the state names', () => {
    const v = validatorFor(CompleteTaskInput, (i) => completeTaskProblem(state, i.taskId));
    expect(rejection(v, { taskId: 'TASK_002', outcome: 'done' })).toBe('taskId: no task TASK_002 in project demo');
    expect(rejection(v, { taskId: 'TASK_001', outcome: 'done' })).toBe('accepted');
  });

  it('checks the shape before the state: a bad id is named as malformed, not unknown', () => {
    const problem = jest.fn(() => 'never asked');
    expect(rejection(validatorFor(StopInput, problem), { agentId: 'bob' })).toBe('agentId: agentId must look like AGENT_0001');
    expect(problem).not.toHaveBeenCalled();
  });

  it('rejects stopping an agent that is not running', () => {
    const running = startTask(state, 'TASK_001', { name: 'Ada', runtime: 'scripted', simulated: true }, T0).state;
    const v = validatorFor(StopInput, (i) => stopProblem(running, i.agentId));
    expect(rejection(v, { agentId: 'AGENT_0001' })).toBe('accepted');
    expect(rejection(v, { agentId: 'AGENT_0002' })).toBe('agentId: no agent AGENT_0002 in project demo');
  });
});

describe('describeIssues and parseOrThrow', () => {
  const Shape = z.object({ a: z.string(), b: z.number(), c: z.boolean(), d: z.object({ e: z.string() }) });

  it('reports the first three issues with nested paths and counts the rest', () => {
    const parsed = Shape.safeParse({ a: 1, b: 'x', c: 'y', d: { e: 2 } });
    if (parsed.success) throw new Error('test: expected failure');
    const message = describeIssues(parsed.error);
    expect(message.split('; ').map((part) => part.split(':')[0])).toEqual(['a', 'b', 'c']);
    expect(message).toMatch(/\(and 1 more\)$/);
    expect(describeIssues(parsed.error, 4)).toContain('d.e: ');
  });

  it('parseOrThrow returns the parsed value or throws naming what was parsed and the field', () => {
    expect(parseOrThrow(OrchestrationConfig, { maxAgents: 2 }, 'config')).toMatchObject({ maxAgents: 2, mode: 'parallel' });
    expect(() => parseOrThrow(OrchestrationConfig, { maxAgents: 0 }, 'config')).toThrow(/^invalid config: maxAgents: /);
    expect(() => parseOrThrow(OrchestrationConfig, { agents: 2 }, 'config')).toThrow('invalid config: input: unknown field(s) "agents"');
  });
});

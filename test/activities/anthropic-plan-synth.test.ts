import type { PlanObjectiveInput, SynthesizeInput } from '../../src/shared/activity-types';
import { call, reply, submitPlan, submitSynthesis } from '../support/fake-anthropic';
import { anthropicHarness, mockEnv, runActivity, thrown, type AnthropicHarness } from '../support/fake-anthropic/harness';

let h: AnthropicHarness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const planInput: PlanObjectiveInput = {
  runtime: 'anthropic',
  project: 'demo',
  objective: { id: 'OBJ_001', description: 'Add an online ordering form' },
  context: { completedTasks: ['TASK_001 researched the audience'], insights: ['Most visitors use phones'] },
};

const task = (key: string, role: string, dependsOn: string[] = []) => ({ key, role, mission: `Do ${key}`, dependsOn, successCriteria: ['done'] });
const cyclic = [task('a', 'researcher', ['b']), task('b', 'developer', ['a'])];
const sound = [task('research', 'researcher'), task('build', 'developer', ['research']), task('review', 'reviewer', ['build'])];

describe('planObjective on the anthropic runtime', () => {
  it('feeds a cyclic plan back once, then returns the repaired plan with its usage', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: planner', replies: [submitPlan(cyclic), submitPlan(sound)] }] });
    const result = await runActivity(mockEnv(), h.acts.planObjective, planInput);
    expect(result.tasks.map((t) => [t.key, t.dependsOn])).toEqual([
      ['research', []],
      ['build', ['research']],
      ['review', ['build']],
    ]);
    expect(result.usage).toMatchObject({ model: 'claude-opus-4-5', inputTokens: 200, outputTokens: 100, priced: true });

    const [first, second] = h.fake.requests;
    expect(first?.body.tool_choice).toEqual({ type: 'tool', name: 'submit_plan' });
    expect(first?.toolNames).toEqual(['submit_plan']);
    expect(first?.system).toContain('never implements anything directly');
    expect(first?.firstUserText).toContain('Add an online ordering form');
    expect(first?.firstUserText).toContain('Most visitors use phones');
    expect(second?.lastToolResults[0]).toMatchObject({ isError: true, content: expect.stringContaining('dependency cycle a → b → a') });
  });

  it('fails non-retryably with Plan.Invalid when the plan is still cyclic after the repair', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: planner', replies: [submitPlan(cyclic), submitPlan(cyclic)] }] });
    const err = await thrown(runActivity(mockEnv(), h.acts.planObjective, planInput));
    expect(err).toMatchObject({ type: 'Plan.Invalid', nonRetryable: true });
    expect(err.message).toContain('planner on OBJ_001: the plan is invalid: dependency cycle');
  });

  it('fails non-retryably with Llm.InvalidOutput when the plan does not match the schema twice', async () => {
    const bad = reply(call('submit_plan', { tasks: [{ key: 'Bad Key', role: 'wizard', mission: 'x' }] }));
    h = await anthropicHarness({ scripts: [{ match: 'Role: planner', replies: [bad, bad] }] });
    const err = await thrown(runActivity(mockEnv(), h.acts.planObjective, planInput));
    expect(err).toMatchObject({ type: 'Llm.InvalidOutput', nonRetryable: true });
    expect(err.message).toContain('tasks.0.key');
  });
});

describe('synthesize on the anthropic runtime', () => {
  const input: SynthesizeInput = {
    runtime: 'anthropic',
    model: 'claude-haiku-4-5',
    project: 'demo',
    session: 2,
    objectives: [{ id: 'OBJ_001', description: 'Landing page', status: 'active' }],
    outputs: [{ taskId: 'TASK_001', objectiveId: 'OBJ_001', role: 'researcher', agentName: 'Aria', status: 'completed', summary: 'Phones first', claims: [], insights: ['mobile first'] }],
  };

  it('returns the submitted synthesis, bounded, with its usage', async () => {
    h = await anthropicHarness({
      scripts: [
        {
          match: 'Role: synthesizer',
          replies: [
            submitSynthesis({
              agreements: ['Aria: mobile first'],
              unknowns: ['x'.repeat(500)],
              decisions: [{ question: 'Accept OBJ_001?', choice: 'accept', rationale: 'All done', needsPerson: false, objectiveId: 'OBJ_001' }],
            }),
          ],
        },
      ],
    });
    const result = await runActivity(mockEnv(), h.acts.synthesize, input);
    expect(result.agreements).toEqual(['Aria: mobile first']);
    expect(result.unknowns[0]?.length).toBe(300);
    expect(result.decisions).toEqual([{ question: 'Accept OBJ_001?', choice: 'accept', rationale: 'All done', needsPerson: false, objectiveId: 'OBJ_001' }]);
    expect(result.usage).toMatchObject({ model: 'claude-haiku-4-5', priced: true });
    expect(h.fake.requests[0]?.firstUserText).toContain('"taskId": "TASK_001"');
    expect(h.fake.requests[0]?.body.tool_choice).toEqual({ type: 'tool', name: 'submit_synthesis' });
  });

  it('repairs a synthesis missing its lists once', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: synthesizer', replies: [reply(call('submit_synthesis', { agreements: 'all good' })), submitSynthesis({ patterns: ['p'] })] }] });
    const result = await runActivity(mockEnv(), h.acts.synthesize, input);
    expect(result.patterns).toEqual(['p']);
    expect(h.fake.requests[1]?.lastToolResults[0]?.content).toContain('the synthesis is invalid: agreements');
  });
});

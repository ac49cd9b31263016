import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAnthropicRuntime } from '../../src/agents/anthropic/anthropic-runtime';
import type { AgentRunContext } from '../../src/agents/runtime';
import { artifactsDir, FileArtifactStore } from '../../src/artifacts/artifact-store';
import type { OpenStream, PlanObjectiveInput, SynthesizeInput } from '../../src/shared/activity-types';
import { call, reply, submitPlan, submitSynthesis } from '../support/fake-anthropic';
import { anthropicHarness, mockEnv, runActivity, TEST_API_KEY, thrown, type AnthropicHarness } from '../support/fake-anthropic/harness';

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
    expect(result.usage).toMatchObject({ model: 'claude-opus-5-5', inputTokens: 200, outputTokens: 100, priced: true });

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

describe('goal interpretation by the anthropic planner', () => {
  const streams: OpenStream[] = [
    { ref: 'site:1.1', title: 'Menu page', effort: 'S', status: 'complete', dependsOn: [], text: 'Done already.' },
    { ref: 'site:1.2', title: 'Online ordering', effort: 'M', status: 'not started', dependsOn: ['site:1.1'], role: 'developer', text: `Let customers order ahead. ${'detail '.repeat(200)}TAIL-MARKER` },
    { ref: 'shop:2', title: 'Payment provider', status: 'in progress', dependsOn: [], text: 'Pick one.' },
  ];
  const withStreams: PlanObjectiveInput = { ...planInput, openStreams: streams };
  const interpretation = { goalType: 'run-stream', recommendation: 'Run site:1.2, then review it.' };
  const ordering = { ...task('site-1-2', 'developer'), stream: 'site:1.2' };
  const review = task('review', 'reviewer', ['site-1-2']);

  /** The runtime alone (planObjective's own handling of the result is tested with it), against the harness's fake server. */
  const planDirectly = (harness: AnthropicHarness, input: PlanObjectiveInput) => {
    const runtime = createAnthropicRuntime({ baseURL: harness.fake.url, apiKey: TEST_API_KEY, heartbeatEveryMs: 50, timeoutMs: 10_000 });
    const ctx: AgentRunContext = {
      project: 'demo',
      workspace: harness.workspace,
      artifacts: new FileArtifactStore(artifactsDir(harness.dataDir)),
      heartbeat: () => undefined,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      cancellationSignal: new AbortController().signal,
      attempt: 1,
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    };
    return runtime.plan(input, ctx);
  };

  it('lists the open streams, and returns stream tasks with the interpretation and the streams it matched', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: planner', replies: [reply(call('submit_plan', { tasks: [ordering, review], interpretation }))] }] });
    const result = await planDirectly(h, withStreams);
    expect(result.tasks.map((t) => [t.key, t.stream])).toEqual([
      ['site-1-2', 'site:1.2'],
      ['review', undefined],
    ]);
    expect(result.interpretation).toEqual({ goalType: 'run-stream', matchingStreams: ['site:1.2'], recommendation: 'Run site:1.2, then review it.', by: 'llm' });

    const prompt = h.fake.requests[0]?.firstUserText ?? '';
    expect(prompt).toContain('## Open work streams');
    expect(prompt).toContain('### site:1.2: Online ordering (task key: site-1-2)\nstatus: not started; effort: M; depends on: site:1.1; suggested role: developer');
    expect(prompt).toContain('Let customers order ahead.');
    expect(prompt).not.toContain('TAIL-MARKER');
    expect(prompt).toContain('### shop:2: Payment provider (task key: shop-2)');
    expect(h.fake.requests[0]?.body.tools[0].input_schema.properties).toHaveProperty('interpretation');
  });

  it('feeds an unknown stream ref back once and accepts the repaired plan', async () => {
    const unknown = reply(call('submit_plan', { tasks: [{ ...ordering, stream: 'site:9.9' }], interpretation }));
    h = await anthropicHarness({ scripts: [{ match: 'Role: planner', replies: [unknown, reply(call('submit_plan', { tasks: [ordering], interpretation }))] }] });
    const result = await planDirectly(h, withStreams);
    expect(result.interpretation?.matchingStreams).toEqual(['site:1.2']);
    expect(h.fake.requests[1]?.lastToolResults[0]).toMatchObject({ isError: true, content: expect.stringContaining('task "site-1-2" works unknown stream "site:9.9" (open streams: site:1.1, site:1.2, shop:2)') });
  });

  it('fails non-retryably when the planner twice works one stream with two tasks', async () => {
    const twice = reply(call('submit_plan', { tasks: [ordering, { ...task('again', 'qa'), stream: 'site:1.2' }], interpretation }));
    h = await anthropicHarness({ scripts: [{ match: 'Role: planner', replies: [twice, twice] }] });
    const err = await thrown(planDirectly(h, withStreams));
    expect(err).toMatchObject({ type: 'Plan.Invalid', retryable: false });
    expect(err.message).toContain('stream "site:1.2" is worked by both "site-1-2" and "again" (one task per stream)');
  });

  it('asks for the interpretation when streams were listed but none was submitted', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: planner', replies: [submitPlan([ordering]), reply(call('submit_plan', { tasks: [ordering], interpretation: { goalType: 'feature', recommendation: 'Build it.' } }))] }] });
    const result = await planDirectly(h, withStreams);
    expect(result.interpretation).toMatchObject({ goalType: 'feature', by: 'llm' });
    expect(h.fake.requests[1]?.lastToolResults[0]?.content).toContain('interpretation: is required when open streams are listed');
  });
});

describe('planObjective against target roadmaps on the anthropic runtime', () => {
  it('reads the roadmaps, shows the planner only open, unheld streams, and keeps a stream\'s own recovery action', async () => {
    h = await anthropicHarness({
      scripts: [
        {
          match: 'Role: planner',
          replies: [reply(call('submit_plan', { tasks: [{ ...task('site-1-2', 'developer'), stream: 'site:1.2' }], interpretation: { goalType: 'feature', recommendation: 'Run site:1.2.' } }))],
        },
      ],
    });
    const repo = path.join(h.dataDir, 'site');
    mkdirSync(path.join(repo, 'plans'), { recursive: true });
    const roadmap = path.join(repo, 'plans', 'roadmap.md');
    writeFileSync(
      roadmap,
      '# Site\n\n### 1.1 Menu\n- **Status:** complete\n\n### 1.2 Ordering\n- **Depends on:** 1.1\n- **On failure:** escalate\n\nLet customers order ahead.\n\n### 1.3 Gallery\n',
    );
    const target = { name: 'site', path: repo, roadmap, devLog: path.join(repo, 'plans', 'dev-log.md'), gates: [] };
    const result = await runActivity(mockEnv(), h.acts.planObjective, { ...planInput, targets: [target], held: ['site:1.3'] });

    expect(result.tasks).toEqual([expect.objectContaining({ key: 'site-1-2', stream: 'site:1.2', recovery: 'escalate' })]);
    expect(result.interpretation).toEqual({ goalType: 'feature', matchingStreams: ['site:1.2'], recommendation: 'Run site:1.2.', by: 'llm' });
    const prompt = h.fake.requests[0]?.firstUserText ?? '';
    expect(prompt).toContain('site:1.2: Ordering');
    expect(prompt).toContain('Let customers order ahead.');
    // Finished and held streams are not offered.
    expect(prompt).not.toContain('site:1.1: Menu');
    expect(prompt).not.toContain('site:1.3: Gallery');
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

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { planProblem } from '../../src/agents/plan-check';
import type { PlannedTask, PlanObjectiveInput } from '../../src/shared/activity-types';
import { runActivity } from '../support/fake-anthropic/harness';

const DEMO = path.resolve(__dirname, '../../examples/demo/scenario.yaml');
const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-plan-'));
const acts = createActivities({ dataDir });
const env = () => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });

/** The planned tasks of a planObjective call. */
const planned = (...args: Parameters<typeof acts.planObjective>) => runActivity(env(), acts.planObjective, ...args).then((r) => r.tasks);

function input(description: string, scenario?: string): PlanObjectiveInput {
  return { runtime: 'scripted', scenario, project: 'demo', objective: { id: 'OBJ_001', description }, context: { completedTasks: [], insights: [] } };
}

function scenarioFile(yaml: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'baton-scenario-')), 'scenario.yaml');
  writeFileSync(file, yaml);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

const keys = (tasks: PlannedTask[]) => tasks.map((t) => t.key);

describe('planObjective', () => {
  it('plans parallel research, then a developer, then a reviewer when no scenario exists', async () => {
    const tasks = await planned(input('Migrate the blog to a static site generator'));
    expect(tasks.map((t) => [t.key, t.role, t.dependsOn])).toEqual([
      ['research-options', 'researcher', []],
      ['analyse-risks', 'analyst', []],
      ['implement', 'developer', ['research-options', 'analyse-risks']],
      ['review', 'reviewer', ['implement']],
    ]);
    for (const task of tasks) {
      expect(task.mission).toContain('Migrate the blog to a static site generator');
      expect(task.successCriteria.length).toBeGreaterThan(0);
    }
  });

  it('is deterministic', async () => {
    const a = await planned(input('Add search', DEMO));
    const b = await planned(input('Add search', DEMO));
    expect(a).toEqual(b);
  });

  it('uses the demo scenario plan whose match occurs in the objective, ignoring case', async () => {
    const landing = await planned(input('Research and write the Landing Page', DEMO));
    expect(keys(landing)).toEqual(['research-audience', 'research-competitors', 'write-page', 'review-page']);
    expect(landing[2]?.dependsOn).toEqual(['research-audience', 'research-competitors']);

    const order = await planned(input('Add an online ordering form', DEMO));
    expect(order.map((t) => [t.key, t.role, t.dependsOn])).toEqual([
      ['analyse-order-requirements', 'analyst', []],
      ['write-order-form', 'developer', ['analyse-order-requirements']],
      ['qa-order-form', 'qa', ['write-order-form']],
    ]);

    const news = await planned(input('Publish a launch announcement', DEMO));
    expect(news.map((t) => [t.key, t.dependsOn])).toEqual([
      ['write-news', []],
      ['review-news', ['write-news']],
    ]);
  });

  it.each([
    ['a duplicate key', '[{ key: a, role: researcher, mission: m }, { key: a, role: developer, mission: m }]', 'duplicate task key "a"'],
    ['an unknown dependency', '[{ key: a, role: researcher, mission: m, dependsOn: [ghost] }]', 'task "a" depends on unknown key "ghost"'],
    [
      'a cycle',
      '[{ key: a, role: researcher, mission: m, dependsOn: [c] }, { key: b, role: developer, mission: m, dependsOn: [a] }, { key: c, role: qa, mission: m, dependsOn: [b] }]',
      'dependency cycle a → c → b → a',
    ],
  ])('refuses a plan with %s as non-retryable Plan.Invalid naming the key', async (_what, tasks, message) => {
    const file = scenarioFile(`name: bad\nplans:\n  - match: broken\n    tasks: ${tasks}\n`);
    const err = await failure(runActivity(env(), acts.planObjective, input('a broken plan', file)));
    expect(err.type).toBe('Plan.Invalid');
    expect(err.nonRetryable).toBe(true);
    expect(err.message).toContain(message);
    expect(err.message).toContain('OBJ_001');
  });

  it('names the scenario file and the field when the scenario is invalid', async () => {
    const file = scenarioFile('name: bad\nplans:\n  - match: x\n    tasks:\n      - { key: a, role: wizard, mission: m }\n');
    const err = await failure(runActivity(env(), acts.planObjective, input('x', file)));
    expect(err.type).toBe('Scenario.Invalid');
    expect(err.nonRetryable).toBe(true);
    expect(err.message).toContain(file);
    expect(err.message).toContain('plans.0.tasks.0.role');
  });

  it('names the line of a YAML syntax error and refuses unknown fields', async () => {
    const broken = scenarioFile('name: bad\nplans: [\n');
    const syntax = await failure(runActivity(env(), acts.planObjective, input('x', broken)));
    expect(syntax.message).toMatch(new RegExp(`${broken}: YAML syntax error at line \\d+`));

    const typo = scenarioFile('name: typo\nagents:\n  - match: { role: qa }\n    delay: 5\n');
    const unknown = await failure(runActivity(env(), acts.planObjective, input('x', typo)));
    expect(unknown.message).toContain('agents.0: unknown field(s) "delay"');
  });

  it('refuses a missing scenario file or an unknown runtime without retrying', async () => {
    const missing = await failure(runActivity(env(), acts.planObjective, input('x', path.join(dataDir, 'nope.yaml'))));
    expect(missing.type).toBe('Scenario.Invalid');
    expect(missing.message).toContain('nope.yaml');
    expect(missing.nonRetryable).toBe(true);

    const bad = { ...input('x'), runtime: 'telepathy' } as unknown as PlanObjectiveInput;
    const runtime = await failure(runActivity(env(), acts.planObjective, bad));
    expect(runtime.type).toBe('Input.Invalid');
    expect(runtime.message).toContain('telepathy');
  });
});

describe('planProblem', () => {
  it('accepts a sound DAG', () => {
    expect(
      planProblem([
        { key: 'a', role: 'researcher', mission: 'm', dependsOn: [], successCriteria: [] },
        { key: 'b', role: 'developer', mission: 'm', dependsOn: ['a'], successCriteria: [] },
      ]),
    ).toBeUndefined();
  });

  it('counts a task depending on itself as a cycle', () => {
    expect(planProblem([{ key: 'a', role: 'qa', mission: 'm', dependsOn: ['a'], successCriteria: [] }])).toBe('dependency cycle a → a');
  });
});

import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const SCENARIO = `
name: team
plans:
  - match: "checkout"
    tasks:
      - { key: research, role: researcher, mission: "Research payment providers for checkout" }
      - { key: build, role: developer, mission: "Build the checkout flow", dependsOn: [research] }
  - match: "refund"
    tasks:
      - { key: research, role: researcher, mission: "Research refund rules of payment providers" }
      - { key: other, role: researcher, mission: "Survey bakery opening hours" }
agents:
  - match: { key: research }
    insights: ["Stripe supports refunds via API"]
    reflections: ["I should compare fees first next time"]
defaults: { delayMs: 150 }
`;

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => env?.close());

test('named agents and their memory survive into a later session, and related work goes to the experienced agent', async () => {
  const project = uniqueProject('team');
  const scenario = writeScenario(env.dataDir, SCENARIO);
  await env.baton.start(project, { config: { scenario, maxAgents: 2 }, objectives: ['Add checkout'] });
  const first = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  const researcher = first.tasks[0]!.agent!.name;

  await env.baton.recordInsight(project, 'Prefers primary sources', 'person', { agent: researcher, kind: 'preference' });
  await env.baton.addObjective(project, 'Handle refunds');
  const second = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 2);
  expect(second.session).toBe(2);

  // Refund research relates to the payment research: the same named agent takes it; the unrelated survey
  // runs at the same time, so it gets a second researcher.
  const refund = second.tasks.find((t) => t.mission.startsWith('Research refund'))!;
  const survey = second.tasks.find((t) => t.mission.startsWith('Survey'))!;
  expect(refund.agent!.name).toBe(researcher);
  expect(survey.agent!.name).not.toBe(researcher);

  const context = await env.baton.context(project);
  const profile = context.baton.roster[researcher]!;
  expect(profile.tasksCompleted).toBe(2);
  expect(profile.history.map((h) => h.taskId)).toEqual([first.tasks[0]!.id, refund.id]);
  expect(profile.memory.preferences).toEqual(['Prefers primary sources']);
  expect(profile.memory.insights).toContain('Stripe supports refunds via API');
  expect(profile.memory.reflections).toContain('I should compare fees first next time');
  const developer = context.baton.roster[first.tasks[1]!.agent!.name]!;
  expect(developer.memory.relationships).toEqual([{ agent: researcher, note: `built on ${researcher}'s work for ${first.tasks[1]!.id}` }]);
  expect(second.team.map((a) => a.name).sort()).toEqual([researcher, developer.name, survey.agent!.name].sort());
});

const BUDGET_SCENARIO = `
name: budget
plans:
  - match: "pricey"
    tasks:
      - { key: a, role: researcher, mission: "First step" }
      - { key: b, role: analyst, mission: "Second step", dependsOn: [a] }
      - { key: c, role: developer, mission: "Third step", dependsOn: [b] }
defaults: { delayMs: 100, usage: { tokens: 400, costUsd: 0.01 } }
`;

test('a budget spent mid-run stops the agent, waits for a person, and a raise finishes the work', async () => {
  const project = uniqueProject('budget');
  const scenario = writeScenario(env.dataDir, BUDGET_SCENARIO);
  await env.baton.start(project, { config: { scenario, budget: { maxTokens: 1000 } }, objectives: ['Something pricey'] });
  const waiting = await waitForStatus(env.baton, project, (s) => s.phase === 'idle' && s.pendingDecisions.length === 1);
  expect(waiting.tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'stopped']);
  expect(waiting.tasks[2]!.hold).toMatchObject({ kind: 'budget', decisionId: waiting.pendingDecisions[0]!.id });
  expect(waiting.spent.tokens).toBe(1000);
  const decision = waiting.pendingDecisions[0]!;
  expect(decision).toMatchObject({ kind: 'budget', status: 'pending' });
  expect(waiting.team.map((a) => [a.role, a.spent.tokens])).toEqual([
    ['researcher', 400],
    ['analyst', 400],
    ['developer', 200],
  ]);

  await expect(env.baton.decide(project, { decisionId: decision.id, choice: 'raise', budget: { maxTokens: 900 } })).rejects.toThrow(/already spent/);
  await env.baton.decide(project, { decisionId: decision.id, choice: 'raise', budget: { maxTokens: 2000 } });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.tasks.every((t) => t.status === 'completed'));
  expect(done.spent.tokens).toBe(1400);
  expect(done.budget).toEqual({ maxTokens: 2000 });
  expect(done.pendingDecisions).toHaveLength(0);
});

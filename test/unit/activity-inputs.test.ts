import { agentReport, failRunning, finishRunning, freshState, planStreams, plannedTask, target } from '../support/reducers';
import { agentInput, phaseDuringSession, planInput, spawnSummary, synthesisInput } from '../../src/shared/activity-inputs';
import type { AgentReport, PlannedTask, SynthesisResult } from '../../src/shared/activity-types';
import { OrchestrationConfig, type OrchestrationState } from '../../src/shared/schemas';
import {
  addObjective,
  applyPlan,
  beginSession,
  completeTask,
  initialState,
  MAX_SYNTHESES,
  markPlanning,
  recordInsight,
  startTask,
} from '../../src/shared/state';
import { applySynthesis, sessionOutputs } from '../../src/shared/synthesis-state';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
const config = OrchestrationConfig.parse({ scenario: '/tmp/scenario.yaml' });
const planned = (key: string, dependsOn: string[] = [], mission = `do ${key}`): PlannedTask => ({
  key,
  role: key === 'research' ? 'researcher' : 'developer',
  mission,
  dependsOn,
  successCriteria: [`${key} done`],
});
const report = agentReport;
const synthesis = (extra: Partial<SynthesisResult> = {}): SynthesisResult => ({
  agreements: ['use Auth0'],
  conflicts: [],
  patterns: [],
  unknowns: ['pricing'],
  insights: [],
  decisions: [],
  ...extra,
});

function withPlan(plan: PlannedTask[], state = beginSession(initialState('alpha', config, at(0)), at(0))): OrchestrationState {
  const added = addObjective(state, { description: 'Migrate auth' }, at(0));
  return applyPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, plan, at(0));
}
const spawn = (s: OrchestrationState, id: string, name = 'Ada') =>
  startTask(s, id, { name, runtime: 'scripted', simulated: true }, at(1));
const run = (s: OrchestrationState, id: string, r: AgentReport, minute: number) =>
  finishRunning(spawn(s, id).state, id, r, at(minute));

describe('planInput', () => {
  it('carries the objective, runtime and the most recent completed work and insights, truncated', () => {
    let s = withPlan(Array.from({ length: 22 }, (_, i) => planned(`t${i}`, [], i === 21 ? 'm'.repeat(300) : `do t${i}`)));
    for (let i = 1; i <= 22; i++) s = completeTask(s, { taskId: `TASK_${String(i).padStart(3, '0')}`, outcome: 'ok' }, at(2)).state;
    s = recordInsight(recordInsight(s, { text: 'old lesson' }, at(3)), { text: 'i'.repeat(250) }, at(3));
    s = addObjective(s, { description: 'Next goal' }, at(3)).state;
    const input = planInput(s, s.objectives[1] as OrchestrationState['objectives'][number]);
    expect(input).toMatchObject({ project: 'alpha', runtime: 'scripted', scenario: '/tmp/scenario.yaml' });
    expect(input.objective).toEqual({ id: 'OBJ_002', description: 'Next goal' });
    expect(input.context.completedTasks).toHaveLength(20);
    expect(input.context.completedTasks[0]).toBe('TASK_003 do t2 → ok');
    expect(input.context.completedTasks[19]).toBe(`TASK_022 ${'m'.repeat(120)} → ok`);
    expect(input.context.insights).toEqual(['old lesson', 'i'.repeat(200)]);
  });
});

describe('agentInput', () => {
  it('gives the agent its task, objective and its dependencies’ outputs', () => {
    let s = withPlan([planned('research'), planned('spike'), planned('build', ['research'])]);
    s = run(s, 'TASK_001', report('Auth0 wins', { artifacts: ['notes.md'] }), 2);
    s = run(s, 'TASK_002', report('spiked'), 2);
    const { state, agent } = spawn(s, 'TASK_003', 'Grace');
    const task = state.tasks[2] as OrchestrationState['tasks'][number];
    expect(agentInput(state, agent, task)).toEqual({
      project: 'alpha',
      runtime: 'scripted',
      scenario: '/tmp/scenario.yaml',
      agent: { id: 'AGENT_0003', name: 'Grace', role: 'developer' },
      task: { id: 'TASK_003', key: 'build', mission: 'do build', successCriteria: ['build done'] },
      objective: { id: 'OBJ_001', description: 'Migrate auth' },
      inputs: [{ taskId: 'TASK_001', role: 'researcher', summary: 'Auth0 wins', artifacts: ['notes.md'] }],
      memory: undefined,
      sharedContext: [],
      budget: undefined,
    });
  });
});

describe('inputs with targets', () => {
  const targets = [target('site', { identity: '/repo/site/IDENTITY.md' }), target('api')];
  const streams = () =>
    planStreams(freshState({ targets }), [plannedTask('s11', { stream: 'site:1.1' }), plannedTask('a11', { stream: 'api:1.1' }), plannedTask('free')]);

  it('planInput offers the targets and the streams live tasks hold, and the streams a person named', () => {
    const s = streams();
    const next = addObjective(s, { description: 'Run site 1.2', streams: ['site:1.2'] }, at(1));
    const input = planInput(next.state, next.objective);
    expect(input.targets?.map((t) => t.name)).toEqual(['site', 'api']);
    expect(input.held).toEqual(['site:1.1', 'api:1.1']);
    expect(input.streams).toEqual(['site:1.2']);
    expect(planInput(next.state, { ...next.objective, streams: 'all' }).streams).toBe('all');
  });

  it('planInput has no targets, held streams or named streams when none are configured', () => {
    const s = withPlan([planned('a')]);
    const input = planInput(s, s.objectives[0] as OrchestrationState['objectives'][number]);
    expect(input).not.toHaveProperty('targets');
    expect(input).not.toHaveProperty('held');
    expect(input).not.toHaveProperty('streams');
  });

  it("agentInput gives the agent its target's repository and identity, and its stream", () => {
    const s = streams();
    const site = spawn(s, 'TASK_001');
    expect(agentInput(site.state, site.agent, site.state.tasks[0] as OrchestrationState['tasks'][number])).toMatchObject({
      task: { id: 'TASK_001', stream: 'site:1.1' },
      target: { name: 'site', path: '/repo/site', identity: '/repo/site/IDENTITY.md' },
    });
    const api = spawn(s, 'TASK_002');
    expect(agentInput(api.state, api.agent, api.state.tasks[1] as OrchestrationState['tasks'][number]).target).toEqual({ name: 'api', path: '/repo/api' });
    const free = spawn(s, 'TASK_003');
    const input = agentInput(free.state, free.agent, free.state.tasks[2] as OrchestrationState['tasks'][number]);
    expect(input).not.toHaveProperty('target');
    expect(input.task).not.toHaveProperty('stream');
  });

  it('agentInput carries the rework round and its failures only when the work was sent back', () => {
    const { state, agent } = spawn(streams(), 'TASK_001');
    const task = state.tasks[0] as OrchestrationState['tasks'][number];
    expect(agentInput(state, agent, task)).not.toHaveProperty('rework');
    expect(agentInput(state, agent, { ...task, rework: 0, feedback: ['retried'] })).not.toHaveProperty('rework');
    expect(agentInput(state, agent, { ...task, rework: 2, feedback: ['gate test failed'] }).rework).toEqual({ round: 2, failures: ['gate test failed'] });
    // A fresh agent under the retry policy learns why the previous one failed.
    expect(agentInput(state, agent, { ...task, rework: 0, freshAgents: 1, feedback: ['agent crashed'] }).rework).toEqual({ round: 0, failures: ['agent crashed'] });
  });
});

describe('synthesis', () => {
  it('sessionOutputs holds tasks finished this session, completed or failed, not earlier ones', () => {
    let s = withPlan([planned('a'), planned('b'), planned('c'), planned('d')]);
    s = run(s, 'TASK_001', report('first session'), 2);
    s = beginSession(s, at(10));
    s = run(s, 'TASK_002', report('second session'), 11);
    s = failRunning(spawn(s, 'TASK_003').state, 'TASK_003', 'boom', at(12));
    expect(sessionOutputs(s).map((t) => [t.id, t.status])).toEqual([
      ['TASK_002', 'completed'],
      ['TASK_003', 'failed'],
    ]);
  });

  it('synthesisInput reports each output with its agent, summary or error, and its insights', () => {
    let s = withPlan([planned('a'), planned('b'), planned('c')]);
    s = run(s, 'TASK_001', report('built', { insights: ['cache tokens'] }), 2);
    s = failRunning(spawn(s, 'TASK_002').state, 'TASK_002', 'x'.repeat(600), at(3));
    s = completeTask(s, { taskId: 'TASK_003', outcome: 'done by hand' }, at(4)).state;
    const input = synthesisInput(s, sessionOutputs(s));
    expect(input).toMatchObject({ project: 'alpha', session: 1, objectives: [{ id: 'OBJ_001', status: 'failed' }] });
    expect(input.outputs.map((o) => [o.taskId, o.agentName, o.status, o.summary.length, o.insights])).toEqual([
      ['TASK_001', 'Ada', 'completed', 'built'.length, ['cache tokens']],
      ['TASK_002', 'Ada', 'failed', 500, []],
      ['TASK_003', 'person', 'completed', 'done by hand'.length, []],
    ]);
  });

  it('applySynthesis numbers decisions, keeps person-needed ones pending and counts only made ones', () => {
    let s = applySynthesis(withPlan([planned('a')]), synthesis({
      insights: ['phase by segment'],
      decisions: [
        { question: 'Which IdP?', choice: 'Okta', rationale: 'cost', needsPerson: true, objectiveId: 'OBJ_001' },
        { question: 'Cache?', choice: 'yes', rationale: 'speed', needsPerson: false },
      ],
    }), at(5));
    s = applySynthesis(s, synthesis({ decisions: [{ question: 'Rollout?', choice: 'phased', rationale: 'risk', needsPerson: false }] }), at(6));
    expect(s.decisions.map((d) => [d.id, d.status, d.choice, d.session])).toEqual([
      ['DEC_001', 'pending', undefined, 1],
      ['DEC_002', 'made', 'yes', 1],
      ['DEC_003', 'made', 'phased', 1],
    ]);
    expect(s.metrics.total_decisions_made).toBe(2);
    expect(s.insights).toEqual([{ text: 'phase by segment', source: 'synthesis', recorded: at(5) }]);
    expect(s.syntheses[0]).toEqual({ session: 1, agreements: ['use Auth0'], conflicts: [], patterns: [], unknowns: ['pricing'] });
  });

  it('keeps only the most recent syntheses in state', () => {
    let s = withPlan([]);
    for (let i = 0; i < MAX_SYNTHESES + 5; i++) s = applySynthesis(beginSession(s, at(i)), synthesis(), at(i));
    expect(s.syntheses).toHaveLength(MAX_SYNTHESES);
    expect(s.syntheses[0]?.session).toBe(7);
  });
});

describe('spawnSummary and phaseDuringSession', () => {
  it('names the agent, role, simulation and task in at most 200 characters', () => {
    const { state, agent } = spawn(withPlan([planned('build', [], 'm'.repeat(300))]), 'TASK_001');
    const task = state.tasks[0] as OrchestrationState['tasks'][number];
    const summary = spawnSummary(agent, task);
    expect(summary.startsWith('Ada (developer) [simulated] · TASK_001: mmm')).toBe(true);
    expect(summary).toHaveLength(200);
    expect(spawnSummary({ ...agent, simulated: false }, task)).not.toContain('[simulated]');
  });

  it('is planning while only planners work and orchestrating once an agent runs', () => {
    const first = withPlan([planned('a')]);
    const added = addObjective(first, { description: 'Second' }, at(2));
    const planning = markPlanning(added.state, [added.objective.id]);
    expect(phaseDuringSession(planning)).toBe('planning');
    expect(phaseDuringSession(spawn(planning, 'TASK_001').state)).toBe('orchestrating');
    expect(phaseDuringSession(first)).toBe('orchestrating');
  });
});

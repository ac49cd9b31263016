import { NO_SPEND } from '../../src/shared/schemas';
import { agentReport, failRunning, finishRunning } from '../support/reducers';
import type { AgentReport, PlannedTask } from '../../src/shared/activity-types';
import { fromContext, inferRole, toContext } from '../../src/shared/context';
import { OrchestrationConfig, type OrchestrationState } from '../../src/shared/schemas';
import {
  addObjective,
  applyPlan,
  beginSession,
  initialState,
  markPlanning,
  recordInsight,
  requestStop,
  startTask,
} from '../../src/shared/state';
import { applySynthesis } from '../../src/shared/synthesis-state';

const T0 = '2025-01-01T00:00:00.000Z';
const NOW = '2025-02-01T00:00:00.000Z';
const config = OrchestrationConfig.parse({});
const planned = (key: string, role: PlannedTask['role'], dependsOn: string[] = []): PlannedTask => ({
  key,
  role,
  mission: `do ${key}`,
  dependsOn,
  successCriteria: ['it works'],
});
const ok = (summary: string): AgentReport => agentReport(summary, { artifacts: [`${summary}.md`], insights: ['agents learn'] });

/** Two sessions of work: one task done, one failed, one ready (or running), one blocked; a pending decision. */
function busyState(running = true): OrchestrationState {
  let s = beginSession(initialState('alpha', config, T0), T0);
  const added = addObjective(s, { description: 'Migrate auth' }, T0);
  s = applyPlan(markPlanning(added.state, ['OBJ_001']), 'OBJ_001', [
    planned('research', 'researcher'),
    planned('spike', 'developer'),
    planned('build', 'developer', ['research']),
    planned('review', 'reviewer', ['spike']),
  ], T0);
  const spawn = (st: OrchestrationState, id: string, name: string) =>
    startTask(st, id, { name, runtime: 'scripted', simulated: true }, T0).state;
  s = finishRunning(spawn(s, 'TASK_001', 'Ada'), 'TASK_001', ok('picked Auth0'), T0);
  s = failRunning(spawn(s, 'TASK_002', 'Linus'), 'TASK_002', 'spike crashed', T0);
  s = beginSession(recordInsight(s, { text: 'phase by segment' }, T0), T0);
  s = applySynthesis(s, {
    agreements: [], conflicts: [], patterns: [], unknowns: [], insights: [],
    decisions: [{ question: 'Which IdP?', rationale: 'cost', needsPerson: true }],
  }, T0);
  return running ? spawn(s, 'TASK_003', 'Grace') : s;
}

// The example from seed 002, "Context Structure / Persistent State".
const SEED_EXAMPLE = {
  project_name: 'project_alpha',
  created_date: '2024-01-01T10:00:00',
  last_session: 'session_20240115_143000',
  objectives: [{ id: 'OBJ_001', description: 'Migrate authentication to OAuth2', status: 'active', created: '2024-01-01T10:00:00' }],
  completed_tasks: [{ id: 'TASK_001', description: 'Research OAuth providers', outcome: 'Selected Auth0', completed: '2024-01-03T15:00:00' }],
  active_tasks: [{ id: 'TASK_025', description: 'Implement Auth0 integration' }],
  key_insights: ['Auth0 provides best enterprise features', 'Migration can be phased by user segment'],
  spawned_agents: [{ id: 'AGENT_0001', type: 'researcher', mission: 'Research OAuth providers', spawned: '2024-01-01T11:00:00' }],
  metrics: { total_sessions: 12, total_agents_spawned: 47, total_tasks_completed: 23, total_decisions_made: 15 },
};

describe('toContext', () => {
  it('exports the seed-002 document shape', () => {
    const doc = toContext(busyState());
    expect(doc).toMatchObject({ project_name: 'alpha', created_date: T0, last_session: 'session_002' });
    expect(doc.objectives).toEqual([{ id: 'OBJ_001', description: 'Migrate auth', status: 'active', created: T0 }]);
    expect(doc.completed_tasks).toEqual([
      { id: 'TASK_001', description: 'do research', outcome: 'picked Auth0', completed: T0, agent: 'Ada' },
    ]);
    expect(doc.active_tasks).toEqual([
      { id: 'TASK_002', description: 'do spike', status: 'failed', role: 'developer' },
      { id: 'TASK_003', description: 'do build', status: 'running', role: 'developer' },
      { id: 'TASK_004', description: 'do review', status: 'pending', role: 'reviewer' },
    ]);
    expect(doc.pending_decisions).toEqual([{ id: 'DEC_001', question: 'Which IdP?', rationale: 'cost', created: T0 }]);
    expect(doc.key_insights).toEqual(['agents learn', 'phase by segment']);
    expect(doc.spawned_agents.map((a) => [a.id, a.name, a.type, a.status])).toEqual([
      ['AGENT_0001', 'Ada', 'researcher', 'completed'],
      ['AGENT_0002', 'Linus', 'developer', 'failed'],
      ['AGENT_0003', 'Grace', 'developer', 'running'],
    ]);
    expect(doc.metrics).toEqual({
      total_sessions: 2,
      total_agents_spawned: 3,
      total_tasks_completed: 1,
      total_tasks_failed: 1,
      total_decisions_made: 0,
    });
  });
});

describe('fromContext', () => {
  it('restores a Baton export taken at rest exactly, through JSON', () => {
    const state = busyState(false);
    const json = JSON.parse(JSON.stringify(toContext(state))) as unknown;
    const back = fromContext(json, 'alpha', state.config, NOW);
    expect(back).toEqual({ ok: true, state: JSON.parse(JSON.stringify(state)) });
  });

  it('restores a mid-run Baton export under the new project name, with running work set to start over', () => {
    const exported = toContext(requestStop(busyState(), { graceful: true }, T0).state);
    const back = fromContext(JSON.parse(JSON.stringify(exported)), 'beta', config, NOW);
    if (!back.ok) throw new Error(back.error);
    expect(back.state).toMatchObject({ project: 'beta', session: 2, paused: false });
    expect(back.state.stop).toBeUndefined();
    expect(back.state.tasks.map((t) => [t.id, t.status, t.agentId])).toEqual([
      ['TASK_001', 'completed', 'AGENT_0001'],
      ['TASK_002', 'failed', 'AGENT_0002'],
      ['TASK_003', 'pending', undefined],
      ['TASK_004', 'pending', undefined],
    ]);
    expect(back.state.agents.map((a) => a.status)).toEqual(['completed', 'failed', 'stopped']);
  });

  it('imports the plain seed-002 example: objectives, completed and active tasks (ids kept), insights', () => {
    const r = fromContext(SEED_EXAMPLE, 'alpha', config, NOW);
    if (!r.ok) throw new Error(r.error);
    const s = r.state;
    expect(s).toMatchObject({ project: 'alpha', created: '2024-01-01T10:00:00', session: 12, phase: 'context' });
    expect(s.objectives).toEqual([
      { id: 'OBJ_001', description: 'Migrate authentication to OAuth2', status: 'active', created: '2024-01-01T10:00:00', session: 0, spent: NO_SPEND },
    ]);
    expect(s.tasks.map((t) => [t.id, t.mission, t.role, t.status, t.source, t.objectiveId])).toEqual([
      ['TASK_001', 'Research OAuth providers', 'researcher', 'completed', 'imported', undefined],
      ['TASK_025', 'Implement Auth0 integration', 'developer', 'pending', 'imported', 'OBJ_001'],
    ]);
    expect(s.tasks[0]).toMatchObject({ outcome: 'Selected Auth0', completed: '2024-01-03T15:00:00' });
    expect(s.insights.map((i) => [i.text, i.source])).toEqual([
      ['Auth0 provides best enterprise features', 'imported'],
      ['Migration can be phased by user segment', 'imported'],
    ]);
    expect(s.metrics).toMatchObject({ total_sessions: 12, total_agents_spawned: 47, total_tasks_completed: 23, total_decisions_made: 15 });
    expect(s.counters).toMatchObject({ objective: 1, task: 25, agent: 47, decision: 15 });
  });

  it('keeps a valid imported role and leaves open objectives with no open tasks to be planned again', () => {
    const r = fromContext(
      {
        objectives: [{ description: 'Done thing', status: 'completed' }, { description: 'New thing', status: 'active' }],
        active_tasks: [],
      },
      'alpha',
      config,
      NOW,
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.state.objectives.map((o) => [o.id, o.status])).toEqual([['OBJ_001', 'completed'], ['OBJ_002', 'pending']]);
    const withRole = fromContext({ active_tasks: [{ description: 'Implement it', role: 'qa' }] }, 'alpha', config, NOW);
    expect(withRole.ok && withRole.state.tasks[0]?.role).toBe('qa');
  });

  it('names the field that makes a document malformed', () => {
    const error = (doc: unknown) => {
      const r = fromContext(doc, 'alpha', config, NOW);
      return r.ok ? 'accepted' : r.error;
    };
    expect(error(null)).toMatch(/^document: /);
    expect(error({ objectives: [{ id: 'OBJ_001' }] })).toMatch(/^objectives\.0\.description: /);
    expect(error({ key_insights: 'one big insight' })).toMatch(/^key_insights: .*array/);
    expect(error({ active_tasks: [{ description: '' }] })).toMatch(/^active_tasks\.0\.description: /);
    expect(error({ baton: { ...toContext(busyState()).baton, version: 99 } })).toMatch(/^baton\.version: /);
    expect(error({ baton: { ...toContext(busyState()).baton, tasks: [{ id: 'TASK_001' }] } })).toMatch(/^baton\.tasks\.0\./);
  });

  it('names baton itself when it is not an object', () => {
    const r = fromContext({ baton: null }, 'alpha', config, NOW);
    expect(r.ok ? 'accepted' : r.error).toMatch(/^baton: /);
  });
});

describe('inferRole', () => {
  it.each([
    ['Research OAuth providers', 'researcher'],
    ['Investigate the outage', 'researcher'],
    ['Review the pull request', 'reviewer'],
    ['Verify the login flow', 'qa'],
    ['Analyze churn data', 'analyst'],
    ['Deploy to staging', 'executor'],
    ['Recommend a vendor', 'advisor'],
    ['Implement Auth0 integration', 'developer'],
    ['Summarize findings', 'developer'],
  ])('%s → %s', (description, role) => {
    expect(inferRole(description)).toBe(role);
  });
});

import { failRunning } from '../support/reducers';
import type { PlannedTask } from '../../src/shared/activity-types';
import { OrchestrationConfig, Phase, type OrchestrationState } from '../../src/shared/schemas';
import {
  addObjective,
  applyPlan,
  beginSession,
  initialState,
  markPlanning,
  requestStop,
  setPhase,
  startTask,
} from '../../src/shared/state';
import { currentDetails, phaseTitle, statusView } from '../../src/shared/status';
import { applySynthesis } from '../../src/shared/synthesis-state';

const T0 = '2025-01-01T00:00:00.000Z';
const config = OrchestrationConfig.parse({});
const planned = (key: string, dependsOn: string[] = []): PlannedTask => ({
  key,
  role: key === 'research' ? 'researcher' : 'developer',
  mission: `do ${key}`,
  dependsOn,
  successCriteria: [],
});

/** research (running) → build (waits); spike (failed) → polish (blocked); docs (ready). */
function scene(): OrchestrationState {
  let s = beginSession(initialState('alpha', config, T0), T0);
  const added = addObjective(s, { description: 'Ship it' }, T0);
  s = applyPlan(markPlanning(added.state, ['OBJ_001']), 'OBJ_001', [
    planned('research'),
    planned('build', ['research']),
    planned('spike'),
    planned('polish', ['spike']),
    planned('docs'),
  ], T0);
  const spawn = (st: OrchestrationState, id: string, name: string) =>
    startTask(st, id, { name, runtime: 'scripted', simulated: true }, T0).state;
  s = spawn(s, 'TASK_001', 'Ada');
  s = failRunning(spawn(s, 'TASK_003', 'Linus'), 'TASK_003', 'spike crashed', T0);
  return setPhase(s, 'orchestrating');
}

describe('statusView', () => {
  it('marks ready and blocked pending tasks and keeps the others’ status', () => {
    const view = statusView(scene());
    expect(view.tasks.map((t) => [t.id, t.status])).toEqual([
      ['TASK_001', 'running'],
      ['TASK_002', 'pending'],
      ['TASK_003', 'failed'],
      ['TASK_004', 'blocked'],
      ['TASK_005', 'ready'],
    ]);
    expect(view.tasks[2]).toMatchObject({ error: 'spike crashed', attempts: 1, agent: { id: 'AGENT_0002', name: 'Linus' } });
    expect(view.tasks[3]?.dependsOn).toEqual(['TASK_003']);
  });

  it('lists only running agents, with their task', () => {
    expect(statusView(scene()).runningAgents).toEqual([
      { id: 'AGENT_0001', name: 'Ada', role: 'researcher', taskId: 'TASK_001', spawned: T0, simulated: true },
    ]);
  });

  it('shows a graceful stop in progress', () => {
    const view = statusView(requestStop(scene(), { graceful: true }, T0).state);
    expect(view).toMatchObject({ paused: true, stopping: { graceful: true } });
    expect(statusView(scene()).stopping).toBeUndefined();
  });

  it('shows pending decisions only, and the counters', () => {
    const s = applySynthesis(scene(), {
      agreements: [], conflicts: [], patterns: [], unknowns: [], insights: [],
      decisions: [
        { question: 'Which IdP?', rationale: 'cost', needsPerson: true },
        { question: 'Cache?', choice: 'yes', rationale: 'speed', needsPerson: false },
      ],
    }, T0);
    const view = statusView(s);
    expect(view.pendingDecisions.map((d) => d.question)).toEqual(['Which IdP?']);
    expect(view.metrics).toMatchObject({ total_sessions: 1, total_agents_spawned: 2, total_tasks_failed: 1, total_decisions_made: 1 });
    expect(view).toMatchObject({ project: 'alpha', phase: 'orchestrating', session: 1, paused: false });
  });
});

describe('currentDetails', () => {
  it('shows project, session, phase, task counts and running agents as markdown', () => {
    expect(currentDetails(scene())).toBe(
      [
        '**alpha** · session 1 · 3 Agent orchestration',
        '',
        '| pending | running | completed | failed | stopped |',
        '|---|---|---|---|---|',
        '| 3 | 1 | 0 | 1 | 0 |',
        '',
        '| agent | role | task |',
        '|---|---|---|',
        '| Ada (AGENT_0001) | researcher | TASK_001 |',
      ].join('\n'),
    );
  });

  it('leaves out the agents table when nobody runs, and counts stopped tasks', () => {
    const details = currentDetails(setPhase(requestStop(scene(), {}, T0).state, 'paused'));
    expect(details).toContain('Paused — waiting for resume');
    expect(details).toContain('| 3 | 0 | 0 | 1 | 1 |');
    expect(details).not.toContain('| agent |');
  });

  const titles: [Phase, string][] = [
    ['context', '1 Context establishment'],
    ['planning', '2 Strategic planning'],
    ['orchestrating', '3 Agent orchestration'],
    ['synthesis', '4 Synthesis & decision'],
    ['preservation', '5 State preservation'],
    ['idle', 'Idle — waiting for objectives'],
    ['paused', 'Paused — waiting for resume'],
  ];

  it('titles every phase', () => {
    expect(titles.map(([phase]) => phase).sort()).toEqual([...Phase.options].sort());
    for (const [phase, title] of titles) expect(phaseTitle(phase)).toBe(title);
  });
});

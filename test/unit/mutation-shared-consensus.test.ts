import type { PlannedTask } from '../../src/shared/activity-types';
import { applyConsensusSettings, memberInput, runIsLive, startConsensus } from '../../src/shared/consensus';
import type { OrchestrationState, Task } from '../../src/shared/schemas';
import { claimAgent } from '../../src/shared/roster';
import { addObjective, markPlanning } from '../../src/shared/state';
import { applyStreamPlan } from '../../src/shared/streams';
import { freshState, minute, plannedTask, target } from '../support/reducers';
import { objectiveItem, stateWith, taskItem } from '../support/state-items';

// Mutation tests for src/shared/consensus.ts (issue 13): which task a run belongs to, where consensus settings come from,
// how members start, and what each member's spawn input carries (its own model, the repository without a worktree, a budget share).

const research = (key: string, extra: Partial<PlannedTask> = {}) => plannedTask(key, { role: 'researcher', mission: `Which database for ${key}?`, ...extra });

function planned(state: OrchestrationState, tasks: PlannedTask[]): OrchestrationState {
  const added = addObjective(state, { description: 'choose the stack' }, minute(0));
  return applyStreamPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, tasks, undefined, minute(0));
}

const withTask = (state: OrchestrationState, taskId: string, f: (t: Task) => Task): OrchestrationState => ({ ...state, tasks: state.tasks.map((t) => (t.id === taskId ? f(t) : t)) });

describe('runIsLive', () => {
  it('looks at the run’s own task, not the first task that happens to be running', () => {
    const s = stateWith({ tasks: [taskItem('TASK_001', { status: 'running', attempts: 1 }), taskItem('TASK_002', { status: 'pending', attempts: 0 })] });
    expect(runIsLive(s, { taskId: 'TASK_002', attempt: 1, agentIds: [] })).toBe(false);
    expect(runIsLive(s, { taskId: 'TASK_001', attempt: 1, agentIds: [] })).toBe(true);
  });

  it('is stale once the task stopped, or when a newer attempt runs', () => {
    const stopped = stateWith({ tasks: [taskItem('TASK_001', { status: 'stopped', attempts: 1 })] });
    expect(runIsLive(stopped, { taskId: 'TASK_001', attempt: 1, agentIds: [] })).toBe(false);
    const newer = stateWith({ tasks: [taskItem('TASK_001', { status: 'running', attempts: 2 })] });
    expect(runIsLive(newer, { taskId: 'TASK_001', attempt: 1, agentIds: [] })).toBe(false);
    expect(runIsLive(newer, { taskId: 'TASK_009', attempt: 2, agentIds: [] })).toBe(false);
  });
});

describe('applyConsensusSettings', () => {
  it('copies the objective’s consensus only onto the new tasks of that objective that are not lead tasks and have none yet', () => {
    const s = stateWith({
      objectives: [objectiveItem('OBJ_001', 'active'), objectiveItem('OBJ_002', 'active', { consensus: { agents: 3 } })],
      tasks: [
        taskItem('TASK_001', { objectiveId: 'OBJ_002', role: 'researcher' }), // planned before: index < from
        taskItem('TASK_002', { objectiveId: 'OBJ_001', role: 'researcher' }), // another objective's task
        taskItem('TASK_003', { objectiveId: 'OBJ_002', role: 'researcher' }),
        taskItem('TASK_004', { objectiveId: 'OBJ_002', role: 'researcher', lead: { team: 'db people' } }),
        taskItem('TASK_005', { objectiveId: 'OBJ_002', role: 'researcher', consensus: { agents: 2 } }),
        taskItem('TASK_006', { objectiveId: 'OBJ_002', role: 'developer' }),
      ],
    });
    const next = applyConsensusSettings(s, 'OBJ_002', [], 1);
    expect(next.tasks.map((t) => [t.id, t.consensus?.agents])).toEqual([
      ['TASK_001', undefined],
      ['TASK_002', undefined],
      ['TASK_003', 3],
      ['TASK_004', undefined],
      ['TASK_005', 2],
      ['TASK_006', undefined],
    ]);
  });

  it('takes the settings of the objective named, not of the first objective', () => {
    const s = stateWith({
      objectives: [objectiveItem('OBJ_001', 'active', { consensus: { agents: 4 } }), objectiveItem('OBJ_002', 'active', { consensus: { agents: 2 } })],
      tasks: [taskItem('TASK_001', { objectiveId: 'OBJ_002', role: 'analyst' })],
    });
    expect(applyConsensusSettings(s, 'OBJ_002', [], 0).tasks[0]!.consensus).toEqual({ agents: 2 });
  });

  it('the plan’s own setting wins over the objective’s', () => {
    const s = stateWith({
      objectives: [objectiveItem('OBJ_001', 'active', { consensus: { agents: 3 } })],
      tasks: [taskItem('TASK_001', { objectiveId: 'OBJ_001', role: 'reviewer', key: 'look' })],
    });
    expect(applyConsensusSettings(s, 'OBJ_001', [research('look', { consensus: { agents: 5 } })], 0).tasks[0]!.consensus).toEqual({ agents: 5 });
  });

  it('gives back the very same state when no task gets a setting', () => {
    const s = stateWith({
      objectives: [objectiveItem('OBJ_001', 'active')],
      tasks: [taskItem('TASK_001', { objectiveId: 'OBJ_001', role: 'researcher' }), taskItem('TASK_002', { objectiveId: 'OBJ_001', role: 'developer' })],
    });
    expect(applyConsensusSettings(s, 'OBJ_001', [research('task_001')], 0)).toBe(s);
  });
});

describe('startConsensus', () => {
  it('starts the task named, not the first one, and the run records that task’s attempt and the AGENT_ ids', () => {
    const s = planned(freshState({ maxAgents: 5 }), [research('plain'), research('pick', { consensus: { agents: 2 } })]);
    const { state, run, agents } = startConsensus(s, 'TASK_002', minute(1));
    expect(run).toEqual({ taskId: 'TASK_002', attempt: 1, agentIds: ['AGENT_0001', 'AGENT_0002'] });
    expect(agents.map((a) => [a.id, a.taskId, a.role, a.status])).toEqual([
      ['AGENT_0001', 'TASK_002', 'researcher', 'running'],
      ['AGENT_0002', 'TASK_002', 'researcher', 'running'],
    ]);
    expect(state.tasks.map((t) => [t.id, t.status, t.attempts])).toEqual([['TASK_001', 'pending', 0], ['TASK_002', 'running', 1]]);
  });

  it('refuses a task without consensus, naming it', () => {
    const s = planned(freshState(), [research('plain')]);
    expect(() => startConsensus(s, 'TASK_001', minute(1))).toThrow('TASK_001 is not a consensus task');
    expect(() => startConsensus(s, 'TASK_404', minute(1))).toThrow('TASK_404 is not a consensus task');
  });

  it('the preferred agent is the first member (the one the task is attributed to); the others are chosen as usual', () => {
    let s = planned(freshState({ maxAgents: 5 }), [research('pick', { consensus: { agents: 2 } })]);
    s = claimAgent(claimAgent(s, 'Alpha', 'researcher', minute(0)), 'Beta', 'researcher', minute(1));
    s = withTask(s, 'TASK_001', (t) => ({ ...t, preferredAgent: 'Beta' }));
    const { state, agents } = startConsensus(s, 'TASK_001', minute(2));
    expect(agents.map((a) => a.name)).toEqual(['Beta', 'Alpha']);
    expect(state.tasks[0]!.agentId).toBe(agents[0]!.id);
  });

  it('members are simulated only under the scripted runtime', () => {
    const scripted = startConsensus(planned(freshState(), [research('pick', { consensus: { agents: 2 } })]), 'TASK_001', minute(1));
    expect(scripted.agents.map((a) => [a.runtime, a.simulated])).toEqual([['scripted', true], ['scripted', true]]);
    const real = startConsensus(planned(freshState({ roles: { researcher: { runtime: 'anthropic' } } }), [research('pick', { consensus: { agents: 2 } })]), 'TASK_001', minute(1));
    expect(real.agents.map((a) => [a.runtime, a.simulated])).toEqual([['anthropic', false], ['anthropic', false]]);
  });
});

describe('memberInput', () => {
  it('carries the member’s own model over the role’s', () => {
    const s = planned(freshState({ roles: { researcher: { model: 'role-model' } } }), [research('pick', { consensus: { agents: 2, models: ['m-1', 'm-2'] } })]);
    const { state, agents } = startConsensus(s, 'TASK_001', minute(1));
    expect(memberInput(state, agents[1]!, state.tasks[0]!).model).toBe('m-2');
    expect(memberInput(state, agents[0]!, state.tasks[0]!).model).toBe('m-1');
  });

  it('works in the repository itself, never in a worktree (nothing of a member lands)', () => {
    const git = { integrationBranch: 'main', worktrees: '/wt' };
    let s = planned(freshState({ targets: [target('shop', { git })] }), [research('pick', { consensus: { agents: 2 } })]);
    s = withTask(s, 'TASK_001', (t) => ({ ...t, target: 'shop' }));
    const { state, agents } = startConsensus(s, 'TASK_001', minute(1));
    const input = memberInput(state, agents[0]!, state.tasks[0]!);
    expect(input.target).toMatchObject({ name: 'shop', path: '/repo/shop' });
    expect(input.target?.worktree).toBeUndefined();
  });

  it('splits the budget among the members, not among the agent slots', () => {
    const s = planned(freshState({ budget: { maxTokens: 9000 }, maxAgents: 5 }), [research('pick', { consensus: { agents: 2 } })]);
    const { state, agents } = startConsensus(s, 'TASK_001', minute(1));
    expect(memberInput(state, agents[0]!, state.tasks[0]!).budget).toEqual({ spentTokens: 0, spentUsd: 0, maxTokens: 4500 });
  });

  it('splits dollars to the micro-dollar: $1 among 3 members is $0.333333 each', () => {
    const s = planned(freshState({ budget: { maxUsd: 1 }, maxAgents: 3 }), [research('pick', { consensus: { agents: 3 } })]);
    const { state, agents } = startConsensus(s, 'TASK_001', minute(1));
    expect(memberInput(state, agents[2]!, state.tasks[0]!).budget).toEqual({ spentTokens: 0, spentUsd: 0, maxUsd: 0.333333 });
  });

  it('in sequential mode members spend one at a time, so each keeps the whole budget, unrounded', () => {
    const s = planned(freshState({ budget: { maxTokens: 9000, maxUsd: 0.1234567 }, mode: 'sequential' }), [research('pick', { consensus: { agents: 3 } })]);
    const { state, agents } = startConsensus(s, 'TASK_001', minute(1));
    expect(memberInput(state, agents[0]!, state.tasks[0]!).budget).toEqual({ spentTokens: 0, spentUsd: 0, maxTokens: 9000, maxUsd: 0.1234567 });
  });
});

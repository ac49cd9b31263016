import { compareDeterministically } from '../../src/agents/scripted/compare';
import { planProblem } from '../../src/agents/plan-check';
import { parseScenario } from '../../src/agents/scripted/scenario';
import { PlannedTask } from '../../src/shared/activity-types';
import { compareInput, consensusFailed, memberInput, recordVote, startConsensus, voteFailed, type ConsensusRun } from '../../src/shared/consensus';
import { applyComparison, applyTieBreak, resolveConsensusDecision, startTieBreak, tieBreakInput } from '../../src/shared/consensus-resolve';
import { ConsensusSpec, fitSlots, quorumOf } from '../../src/shared/consensus-spec';
import { decide, decideProblem, escalate } from '../../src/shared/decisions';
import { AddObjectiveInput, OrchestrationConfig, type OrchestrationState } from '../../src/shared/schemas';
import { tasksToStart } from '../../src/shared/scheduler';
import { addObjective, markPlanning, resume, setPhase } from '../../src/shared/state';
import { applyStreamPlan } from '../../src/shared/streams';
import { describeIssues } from '../../src/shared/zod-errors';
import { agentReport, freshState, minute, plannedTask } from '../support/reducers';

const research = (extra: Partial<PlannedTask> = {}) => plannedTask('pick-db', { role: 'researcher', mission: 'Which database should the shop use?', ...extra });

function planned(state: OrchestrationState, tasks: PlannedTask[], objective: Partial<AddObjectiveInput> = {}): OrchestrationState {
  const added = addObjective(state, { description: 'choose the stack', ...objective }, minute(0));
  return applyStreamPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, tasks, undefined, minute(0));
}

/** A consensus task started, every member answered with `answers[i]`, and the scripted comparison. */
function voted(answers: string[], consensus: Partial<ConsensusSpec> = {}) {
  let s = planned(freshState({ maxAgents: 5 }), [research({ consensus: { agents: answers.length, ...consensus } })]);
  const started = startConsensus(s, 'TASK_001', minute(1));
  s = started.state;
  const run = started.run;
  started.agents.forEach((a, i) => (s = recordVote(s, run, a.id, agentReport(`[simulated] ${answers[i]}`, { insights: ['Backups matter'] }), minute(2))));
  const input = compareInput(s, run, started.agents.map((a, i) => ({ agentId: a.id, agent: a.name, summary: `[simulated] ${answers[i]}`, claims: [], insights: ['Backups matter'] })));
  return { s, run, agents: started.agents, comparison: compareDeterministically(input!) };
}

describe('ConsensusSpec', () => {
  const problem = (raw: unknown) => {
    const r = ConsensusSpec.safeParse(raw);
    return r.success ? undefined : describeIssues(r.error);
  };
  it('takes 2 to 5 agents, a quorum up to N, one model per agent, and names what is wrong', () => {
    expect(problem({ agents: 3 })).toBeUndefined();
    expect(problem({ agents: 3, models: ['claude-a', 'claude-b', 'claude-c'], quorum: 3, belowQuorum: 'escalate' })).toBeUndefined();
    expect(problem({ agents: 1 })).toContain('consensus.agents must be at least 2');
    expect(problem({ agents: 6 })).toContain('consensus.agents must be at most 5');
    expect(problem({ agents: 2.5 })).toContain('whole number');
    expect(problem({ agents: 3, quorum: 4 })).toContain('consensus.quorum (4) cannot exceed consensus.agents (3)');
    expect(problem({ agents: 3, models: ['a', 'b'] })).toContain('consensus.models must name one model per agent (3), not 2');
    expect(problem({ agents: 3, belowQuorum: 'vote' })).toContain('consensus.belowQuorum must be "tie-break" or "escalate"');
    expect(problem({ agents: 3, agent: 2 })).toContain('agent');
  });

  it('is read from a scenario plan, whose bad values are named with their place in the file', () => {
    const yaml = (consensus: string, role = 'researcher') => `name: s\nplans:\n  - match: db\n    tasks:\n      - { key: pick, role: ${role}, mission: "Pick", consensus: ${consensus} }\n`;
    expect(parseScenario(yaml('{ agents: 3, belowQuorum: escalate }'), 's.yaml').plans[0]!.tasks[0]!.consensus).toEqual({ agents: 3, belowQuorum: 'escalate' });
    expect(() => parseScenario(yaml('{ agents: 7 }'), 's.yaml')).toThrow('scenario s.yaml: plans.0.tasks.0.consensus.agents: consensus.agents must be at most 5');
    expect(() => parseScenario(yaml('{ agents: 3, quorum: 4 }'), 's.yaml')).toThrow('plans.0.tasks.0.consensus.quorum: consensus.quorum (4) cannot exceed consensus.agents (3)');
    expect(() => parseScenario(yaml('{ agents: 3 }', 'developer'), 's.yaml')).toThrow('scenario s.yaml: plans.0.tasks.0.consensus: consensus is only for roles that do not write files');
  });

  it('defaults the quorum to a strict majority', () => {
    expect([2, 3, 4, 5].map((agents) => quorumOf({ agents }))).toEqual([2, 2, 3, 3]);
    expect(quorumOf({ agents: 5, quorum: 5 })).toBe(5);
  });

  it('is refused for roles that write files: in a plan, and in a role config', () => {
    expect(planProblem([PlannedTask.parse(plannedTask('build', { consensus: { agents: 3 } }))])).toBe(
      'task "build": consensus is only for roles that do not write files (researcher, analyst, reviewer, advisor), not developer: N agents\' edits cannot all land',
    );
    expect(planProblem([PlannedTask.parse(research({ consensus: { agents: 3 } }))])).toBeUndefined();
    expect(planProblem([PlannedTask.parse(research({ consensus: { agents: 3 }, lead: {} }))])).toBe('task "pick-db": a task is a lead task or a consensus task, not both');
    const config = OrchestrationConfig.safeParse({ roles: { qa: { consensus: { agents: 3 } } } });
    expect(config.success ? '' : describeIssues(config.error)).toContain('roles.qa.consensus: consensus is only for roles that do not write files');
    expect(OrchestrationConfig.safeParse({ roles: { reviewer: { consensus: { agents: 3 } } } }).success).toBe(true);
  });
});

describe('where consensus comes from', () => {
  it('the plan, else the objective (roles that allow it, lead tasks excepted), else the role config', () => {
    const s = planned(freshState({ roles: { analyst: { consensus: { agents: 2 } } } }), [
      research({ consensus: { agents: 4 } }),
      plannedTask('review', { role: 'reviewer' }),
      plannedTask('build', { role: 'developer' }),
      plannedTask('weigh', { role: 'analyst' }),
      plannedTask('lead-it', { role: 'researcher', lead: {} }),
    ], { consensus: { agents: 3 } });
    expect(s.tasks.map((t) => [t.key, t.consensus?.agents])).toEqual([['pick-db', 4], ['review', 3], ['build', undefined], ['weigh', 3], ['lead-it', undefined]]);
    const byRole = planned(freshState({ roles: { analyst: { consensus: { agents: 2 } } } }), [plannedTask('weigh', { role: 'analyst' })]);
    expect(byRole.tasks[0]!.consensus).toEqual({ agents: 2 });
  });

  it('takes a slot per agent: a 3-agent task and one plain task fill 4 slots; a 5-agent task on 3 slots waits for all three', () => {
    const s = planned(freshState({ maxAgents: 4 }), [research({ consensus: { agents: 3 } }), plannedTask('b', { role: 'researcher' }), plannedTask('c', { role: 'researcher' })]);
    expect(tasksToStart(s, 'parallel', 4).map((t) => t.key)).toEqual(['pick-db', 'b']);
    expect(fitSlots([{ consensus: { agents: 5 } }], 2, 3)).toEqual([]);
    expect(fitSlots([{ consensus: { agents: 5 } }], 3, 3)).toHaveLength(1);
  });
});

describe('a consensus run', () => {
  it('starts N agents with distinct names and their own models, as one attempt of the task', () => {
    const s = planned(freshState(), [research({ consensus: { agents: 3, models: ['m-1', 'm-2', 'm-3'] } })]);
    const { state, agents, run } = startConsensus(s, 'TASK_001', minute(1));
    expect(new Set(agents.map((a) => a.name)).size).toBe(3);
    expect(agents.map((a) => a.model)).toEqual(['m-1', 'm-2', 'm-3']);
    expect(state.tasks[0]).toMatchObject({ status: 'running', attempts: 1, agentId: agents[0]!.id });
    expect(state.metrics.total_agents_spawned).toBe(3);
    expect(run.agentIds).toEqual(agents.map((a) => a.id));
  });

  it('agree: the task completes with the resolved answer and a consensus decision records agreement and rationale', () => {
    const { s, run, comparison } = voted(['Postgres.', 'postgres', 'Postgres']);
    expect(comparison).toMatchObject({ agreement: 1, resolved: '[simulated] Postgres.', by: 'deterministic', conflicts: [] });
    expect(comparison.agreed).toEqual(['[simulated] Postgres.', 'Backups matter']);
    const { state, next } = applyComparison(s, run, comparison, minute(3));
    expect(next).toBe('done');
    expect(state.tasks[0]).toMatchObject({ status: 'completed', outcome: '[simulated] Postgres.' });
    const decision = state.decisions[0]!;
    expect(decision).toMatchObject({ kind: 'consensus', status: 'made', choice: '[simulated] Postgres.', taskId: 'TASK_001' });
    expect(decision.rationale).toContain('3 of 3 agents support it (quorum 2; agreement 100%)');
    expect(decision.consensus).toMatchObject({ agreement: 1, quorum: 2, resolvedBy: 'quorum' });
    expect(state.objectives[0]!.status).toBe('completed');
    expect(state.metrics.total_decisions_made).toBe(1);
  });

  it('a majority meets the default quorum; the dissent is kept as a conflict with every position', () => {
    const { s, run, comparison, agents } = voted(['Postgres', 'Postgres', 'SQLite']);
    expect(comparison.agreement).toBeCloseTo(2 / 3);
    expect(comparison.conflicts[0]!.positions.map((p) => [p.agent, p.position])).toEqual(agents.map((a, i) => [a.name, `[simulated] ${['Postgres', 'Postgres', 'SQLite'][i]}`]));
    const { state } = applyComparison(s, run, comparison, minute(3));
    expect(state.tasks[0]!.outcome).toBe('[simulated] Postgres');
  });

  it('disagree → tie-break: an advisor with a fresh name gets every position; its answer completes the task and is the decision', () => {
    const { s, run, comparison, agents } = voted(['Postgres', 'SQLite', 'MySQL']);
    const { state, next } = applyComparison(s, run, comparison, minute(3));
    expect(next).toBe('tie-break');
    expect(state.tasks[0]!.status).toBe('running');
    const tb = startTieBreak(state, run, minute(3));
    expect(tb.agent.role).toBe('advisor');
    expect(agents.map((a) => a.name)).not.toContain(tb.agent.name);
    const input = tieBreakInput(tb.state, tb.agent, tb.state.tasks[0]!, comparison);
    expect(input.agent.role).toBe('advisor');
    for (const a of agents) expect(input.task.mission).toContain(a.name);
    expect(input.task.mission).toContain('agreement 33%');
    const done = applyTieBreak(tb.state, run, comparison, tb.agent.id, agentReport('Postgres: the team knows it'), minute(4));
    expect(done.tasks[0]).toMatchObject({ status: 'completed', outcome: 'Postgres: the team knows it' });
    expect(done.decisions[0]!.consensus).toMatchObject({ resolvedBy: 'tie-break', tieBreaker: tb.agent.name, resolved: 'Postgres: the team knows it' });
    expect(done.decisions[0]!.rationale).toContain(`${tb.agent.name} (advisor) broke the tie`);
  });

  it('below quorum → escalate: the task waits with a pending decision listing the positions; decide with an agent name takes its answer', () => {
    const { s, run, comparison, agents } = voted(['Postgres', 'Postgres', 'SQLite'], { quorum: 3, belowQuorum: 'escalate' });
    const { state, next } = applyComparison(setPhase(s, 'orchestrating'), run, comparison, minute(3));
    expect(next).toBe('escalate');
    const decision = state.decisions[0]!;
    expect(decision).toMatchObject({ kind: 'consensus', status: 'pending', taskId: 'TASK_001' });
    expect(decision.question).toContain(`${agents[2]!.name}: [simulated] SQLite`);
    expect(state.tasks[0]).toMatchObject({ status: 'stopped', hold: { kind: 'escalation', decisionId: decision.id } });
    // resume does not free it: only its own answer does.
    expect(resume(state).tasks[0]!.status).toBe('stopped');
    expect(decideProblem(state, { decisionId: decision.id, choice: 'SQLite after all' })).toBeUndefined();
    const answered = decide(state, { decisionId: decision.id, choice: agents[2]!.name.toUpperCase() }, minute(5));
    expect(answered.tasks[0]).toMatchObject({ status: 'completed', outcome: '[simulated] SQLite' });
    expect(answered.decisions[0]).toMatchObject({ status: 'made', consensus: { resolvedBy: 'person', resolved: '[simulated] SQLite' } });
    const free = decide(state, { decisionId: decision.id, choice: 'stop' }, minute(5));
    expect(free.tasks[0]!.outcome).toBe('stop');
    expect(free.paused).toBe(false);
  });

  it('a failed member counts against agreement; a stale vote (task stopped meanwhile) does not complete the task', () => {
    let s = planned(freshState(), [research({ consensus: { agents: 3 } })]);
    const { state, run, agents } = startConsensus(s, 'TASK_001', minute(1));
    s = voteFailed(state, run, agents[2]!.id, { cancelled: false, message: 'crashed' }, minute(2));
    s = recordVote(s, run, agents[0]!.id, agentReport('Postgres'), minute(2));
    s = recordVote(s, run, agents[1]!.id, agentReport('Postgres'), minute(2));
    const comparison = compareDeterministically(compareInput(s, run, agents.slice(0, 2).map((a) => ({ agentId: a.id, agent: a.name, summary: 'Postgres', claims: [], insights: [] })))!);
    expect(comparison.agreement).toBeCloseTo(2 / 3);
    expect(comparison.rationale).toContain('1 did not answer');
    const stale: ConsensusRun = { ...run, attempt: run.attempt + 1 };
    expect(applyComparison(s, stale, comparison, minute(3)).state).toBe(s);
    const { state: done } = applyComparison(s, run, comparison, minute(3));
    expect(done.decisions[0]!.consensus!.answers.map((a) => a.failed ?? false)).toEqual([false, false, true]);
  });

  it('a person answering a decision that no longer holds the task changes nothing', () => {
    const { s, run, comparison } = voted(['a', 'b', 'c'], { belowQuorum: 'escalate' });
    const { state } = applyComparison(s, run, comparison, minute(3));
    const freed = { ...state, tasks: state.tasks.map((t) => ({ ...t, status: 'pending' as const, hold: undefined })) };
    expect(resolveConsensusDecision(freed, freed.decisions[0]!, 'a', minute(4))).toBe(freed);
  });

  it('another escalation answered "retry" frees the tasks it held, not the one waiting for its consensus answer', () => {
    const { s: voted3, run, comparison } = voted(['a', 'b', 'c'], { belowQuorum: 'escalate' });
    let s = applyComparison(voted3, run, comparison, minute(3)).state;
    s = planned(s, [plannedTask('other', { role: 'researcher' })]);
    s = escalate(s, 'TASK_002', 'the API key is invalid', minute(4));
    const generic = s.decisions.find((d) => d.kind === 'escalation')!;
    const after = decide(s, { decisionId: generic.id, choice: 'retry' }, minute(5));
    expect(after.tasks.map((t) => [t.id, t.status])).toEqual([['TASK_001', 'stopped'], ['TASK_002', 'pending']]);
  });

  it('no member answered: the recovery policy retries the task with fresh names', () => {
    let s = planned(freshState({ recovery: { policy: 'retry', freshAgents: 1 } }), [research({ consensus: { agents: 2 } })]);
    const first = startConsensus(s, 'TASK_001', minute(1));
    s = first.agents.reduce((x, a) => voteFailed(x, first.run, a.id, { cancelled: false, message: 'crashed' }, minute(2)), first.state);
    s = consensusFailed(s, first.run, 'crashed', minute(2));
    expect(s.tasks[0]).toMatchObject({ status: 'pending', freshAgents: 1, excludeAgents: first.agents.map((a) => a.name) });
    const second = startConsensus(s, 'TASK_001', minute(3));
    expect(second.agents.map((a) => a.name).filter((n) => first.agents.some((a) => a.name === n))).toEqual([]);
  });

  it('members that spend at once split the budget share of the task', () => {
    const s = planned(freshState({ budget: { maxTokens: 9000 }, maxAgents: 3 }), [research({ consensus: { agents: 3 } })]);
    const { state, agents } = startConsensus(s, 'TASK_001', minute(1));
    expect(memberInput(state, agents[0]!, state.tasks[0]!).budget).toMatchObject({ maxTokens: 3000 });
    expect(memberInput(state, agents[1]!, state.tasks[0]!).model).toBeUndefined();
  });
});

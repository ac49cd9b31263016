import { applyTieBreak, startTieBreak, tieBreakFailed, tieBreakInput } from '../../src/shared/consensus-resolve';
import { claimAgent } from '../../src/shared/roster';
import { comparisonOf, votedRun } from '../support/consensus-runs';
import { agentReport, minute, usageOf } from '../support/reducers';
import { agentItem } from '../support/state-items';

// The tie-break agent of a consensus run (src/shared/consensus-resolve.ts): who it is, what it is told, what its answer does.
// Every run is built inside its test; the consensus task is TASK_002 behind a plain TASK_001.

describe('startTieBreak', () => {
  it('spawns AGENT_0004, a scripted advisor with a fresh name and the task’s mission, counted as spawned', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const { state, agent } = startTieBreak(s, run, minute(3));
    expect(agent).toEqual({
      id: 'AGENT_0004',
      name: 'Oracle',
      role: 'advisor',
      mission: 'Break the tie on TASK_002: Which database should the shop use?',
      taskId: 'TASK_002',
      runtime: 'scripted',
      simulated: true,
      status: 'running',
      spawned: minute(3),
      spent: { tokens: 0, costUsd: 0, unpricedTokens: 0 },
    });
    expect(state.agents.map((a) => a.id)).toEqual(['AGENT_0001', 'AGENT_0002', 'AGENT_0003', 'AGENT_0004']);
    expect(state.counters.agent).toBe(4);
    expect(state.metrics.total_agents_spawned).toBe(4);
    expect(Object.keys(state.roster)).toContain('Oracle');
  });

  it('on a real runtime the advisor is not simulated and gets the advisor role’s model', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL'], { config: { runtime: 'anthropic', roles: { advisor: { model: 'claude-judge' } } } });
    const { agent } = startTieBreak(s, run, minute(3));
    expect(agent).toMatchObject({ runtime: 'anthropic', simulated: false, model: 'claude-judge' });
  });

  it('cuts the advisor’s mission to 2000 characters', () => {
    const mission = `Which database? ${'Weigh cost, safety and speed. '.repeat(80)}`;
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL'], { task: { mission } });
    const { agent } = startTieBreak(s, run, minute(3));
    expect(agent.mission).toBe(`Break the tie on TASK_002: ${mission}`.slice(0, 2000));
    expect(agent.mission).toHaveLength(2000);
  });

  it('never picks one of the run’s members, even idle advisors that know the work; an idle advisor of another task may go', () => {
    const { s, run, names } = votedRun(['Postgres', 'SQLite', 'MySQL'], { task: { role: 'advisor' } });
    expect(names).toEqual(['Oracle', 'Mentor', 'Socrates']);
    expect(startTieBreak(s, run, minute(3)).agent.name).toBe('Athena');
    const other = agentItem('AGENT_0009', { name: 'Counsel', role: 'advisor', taskId: 'TASK_001', status: 'completed' });
    const withOther = { ...claimAgent(s, 'Counsel', 'advisor', minute(0)), agents: [...s.agents, other] };
    expect(startTieBreak(withOther, run, minute(3)).agent.name).toBe('Counsel');
  });

  it('names the missing task when the run’s task is gone', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    expect(() => startTieBreak(s, { ...run, taskId: 'TASK_404' }, minute(3))).toThrow('no TASK_404 in state');
  });
});

describe('tieBreakInput', () => {
  it('tells the advisor how many agents disagreed, the mission, every position by topic, what they agree on, and what to do', () => {
    const { s, run, ids } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const tb = startTieBreak(s, run, minute(3));
    const c = comparisonOf({
      agreement: 1 / 3,
      agreed: ['Backups matter', 'Use UTC'],
      conflicts: [{ topic: 'the database', positions: [{ agentId: ids[0]!, agent: 'Aria', position: 'Postgres' }, { agentId: ids[1]!, agent: 'Sage', position: 'SQLite' }] }],
    });
    const input = tieBreakInput(tb.state, tb.agent, tb.state.tasks[1]!, c);
    expect(input.task.mission).toBe(
      [
        '3 agents worked on this mission independently and did not reach a quorum (agreement 33%).',
        'Mission: Which database should the shop use?',
        'Their positions:\n- Aria on the database: Postgres\n- Sage on the database: SQLite\nThey agree on:\n- Backups matter\n- Use UTC',
        'Decide: give the answer that is right (one of theirs, or a better one) as your summary, and say why in one sentence.',
      ].join('\n\n'),
    );
    expect(input.agent).toEqual({ id: 'AGENT_0004', name: 'Oracle', role: 'advisor' });
  });

  it('with no positions, nothing agreed and no consensus spec, says “Several” agents and that none were recorded', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const tb = startTieBreak(s, run, minute(3));
    const input = tieBreakInput(tb.state, tb.agent, { ...tb.state.tasks[1]!, consensus: undefined }, comparisonOf());
    expect(input.task.mission).toBe(
      [
        'Several agents worked on this mission independently and did not reach a quorum (agreement 0%).',
        'Mission: Which database should the shop use?',
        'Their positions:\n- (none recorded)',
        'Decide: give the answer that is right (one of theirs, or a better one) as your summary, and say why in one sentence.',
      ].join('\n\n'),
    );
  });
});

describe('applyTieBreak', () => {
  it('the advisor’s answer completes the task as a tie-break decision; its spend is billed to the task; a member still running is left alone', () => {
    const { s, run, ids } = votedRun(['Postgres', 'SQLite']);
    const tb = startTieBreak(s, run, minute(3));
    const c = comparisonOf({ supporters: [ids[0]!], agreement: 1 / 3 });
    const report = agentReport('Postgres: the team knows it', { usage: usageOf({ inputTokens: 700, outputTokens: 300 }) });
    const done = applyTieBreak(tb.state, run, c, tb.agent.id, report, minute(4));
    expect(done.agents.map((a) => [a.id, a.status, a.summary, a.finished])).toEqual([
      ['AGENT_0001', 'completed', 'Postgres', minute(2)],
      ['AGENT_0002', 'completed', 'SQLite', minute(2)],
      ['AGENT_0003', 'running', undefined, undefined],
      ['AGENT_0004', 'completed', 'Postgres: the team knows it', minute(4)],
    ]);
    expect(done.tasks[1]).toMatchObject({ status: 'completed', outcome: 'Postgres: the team knows it' });
    expect(done.tasks[1]!.spent.tokens).toBe(1000);
    expect(done.tasks[0]!.spent.tokens).toBe(0);
    expect(done.objectives[0]!.spent.tokens).toBe(1000);
    const decision = done.decisions[0]!;
    expect(decision).toMatchObject({ id: 'DEC_001', status: 'made', choice: 'Postgres: the team knows it', taskId: 'TASK_002' });
    expect(decision.rationale).toBe('No quorum (1 of 3, quorum 2; agreement 33%): Oracle (advisor) broke the tie. Comparison: they differ');
    expect(decision.consensus).toMatchObject({ resolved: 'Postgres: the team knows it', resolvedBy: 'tie-break', tieBreaker: 'Oracle', supporters: ['AGENT_0001'] });
  });

  it('an advisor already stopped keeps its status and time; its answer still settles the live run', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const tb = startTieBreak(s, run, minute(3));
    const stopped = { ...tb.state, agents: tb.state.agents.map((a) => (a.id === tb.agent.id ? { ...a, status: 'stopped' as const, finished: minute(3), summary: 'stopped by a person' } : a)) };
    const done = applyTieBreak(stopped, run, comparisonOf(), tb.agent.id, agentReport('Postgres'), minute(4));
    expect(done.agents[3]).toMatchObject({ status: 'stopped', finished: minute(3), summary: 'stopped by a person' });
    expect(done.tasks[1]!.status).toBe('completed');
  });

  it('a failed advisor (reported failure, or success cut short by its budget) leaves the choice to a person', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const tb = startTieBreak(s, run, minute(3));
    for (const report of [agentReport('the model refused', { status: 'failure' }), agentReport('the model refused', { stopReason: 'budget' })]) {
      const after = applyTieBreak(tb.state, run, comparisonOf(), tb.agent.id, report, minute(4));
      expect(after.agents[3]).toMatchObject({ status: 'failed', summary: 'the model refused' });
      expect(after.decisions.map((d) => [d.id, d.status])).toEqual([['DEC_001', 'pending']]);
      expect(after.tasks[1]!.hold).toEqual({ kind: 'escalation', reason: 'no consensus: no quorum, and the tie-break agent Oracle failed: the model refused', decisionId: 'DEC_001' });
    }
  });

  it('when the run went stale meanwhile, only the advisor is updated: no decision, the task as it was', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const tb = startTieBreak(s, run, minute(3));
    const after = applyTieBreak(tb.state, { ...run, attempt: run.attempt + 1 }, comparisonOf(), tb.agent.id, agentReport('Postgres'), minute(4));
    expect(after.agents[3]).toMatchObject({ status: 'completed', summary: 'Postgres' });
    expect(after.decisions).toEqual([]);
    expect(after.tasks).toEqual(tb.state.tasks);
  });
});

describe('tieBreakFailed', () => {
  it('an advisor whose attempt errored leaves the choice to a person, saying why', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const tb = startTieBreak(s, run, minute(3));
    const after = tieBreakFailed(tb.state, run, comparisonOf(), tb.agent.id, { cancelled: false, message: 'timed out' }, minute(4));
    expect(after.agents[3]).toMatchObject({ status: 'failed', summary: 'timed out' });
    expect(after.tasks.map((t) => t.status)).toEqual(['pending', 'stopped']);
    expect(after.tasks[1]!.hold).toEqual({ kind: 'escalation', reason: 'no consensus: no quorum, and the tie-break agent failed: timed out', decisionId: 'DEC_001' });
    expect(after.decisions[0]!.question).toContain('): no quorum, and the tie-break agent failed: timed out. Positions — Aria: Postgres | Sage: SQLite | Quinn: MySQL.');
  });

  it('a stale run or a cancelled advisor asks nobody', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const tb = startTieBreak(s, run, minute(3));
    const stale = tieBreakFailed(tb.state, { ...run, attempt: 9 }, comparisonOf(), tb.agent.id, { cancelled: false, message: 'timed out' }, minute(4));
    expect(stale.decisions).toEqual([]);
    expect(stale.agents[3]!.status).toBe('failed');
    const cancelled = tieBreakFailed(tb.state, run, comparisonOf(), tb.agent.id, { cancelled: true, message: 'cancelled' }, minute(4));
    expect(cancelled.decisions).toEqual([]);
    expect(cancelled.agents[3]!.status).toBe('stopped');
  });
});

import { agentReport, failRunning, freshState, minute, planObjective, plannedTask, spawnChosen, taskOf } from '../support/reducers';
import type { SynthesisResult } from '../../src/shared/activity-types';
import { recordAgentReport } from '../../src/shared/agent-results';
import { decide, escalate } from '../../src/shared/decisions';
import {
  applyChildSpend,
  applyParentHold,
  asChild,
  childEnded,
  childOutcome,
  childStarted,
  childWorkflowId,
  holdWanted,
  type LeadReport,
  leadObjective,
  leadReport,
  recordLeadReport,
  runningChildren,
  spendPlus,
  spendReport,
  stopChild,
  teamOf,
} from '../../src/shared/delegation';
import { raiseBudgetDecisions } from '../../src/shared/ledger';
import { NO_SPEND, type OrchestrationState } from '../../src/shared/schemas';
import { applySynthesis } from '../../src/shared/synthesis-state';
import { completeTask, recordInsight, requestStop, resume } from '../../src/shared/state';

// Mutation tests for src/shared/delegation.ts: lead tasks as child orchestrations, spend upward, hold/release, the lead's report.

const ROOT = 'baton/demo';
const PARENT = { workflowId: ROOT, taskId: 'TASK_001', depth: 1 };
const spent = (tokens: number, costUsd = 0) => ({ ...NO_SPEND, tokens, costUsd });
const nameOn = (s: OrchestrationState, taskId: string): string => s.agents.find((a) => a.id === taskOf(s, taskId).agentId)!.name;
const agentOn = (s: OrchestrationState, taskId: string) => s.agents.find((a) => a.id === taskOf(s, taskId).agentId)!;

/** A root whose first task (TASK_001) is a plain developer task and whose second (TASK_002) a researcher lead; both have agents, the lead's child runs. */
function rootLeadSecond(config: Record<string, unknown> = {}): OrchestrationState {
  let s = planObjective(freshState(config), [plannedTask('menu', { mission: 'Write the menu' }), plannedTask('research', { role: 'researcher', mission: 'Lead the research', lead: {} })]);
  s = spawnChosen(spawnChosen(s, 'TASK_001'), 'TASK_002');
  return childStarted(s, 'TASK_002', childWorkflowId(ROOT, 'TASK_002'), minute(1));
}

/** A child orchestration (of the root's TASK_001) with these planned tasks, nothing started. */
function childOf(plan = [plannedTask('a'), plannedTask('b')], config: Record<string, unknown> = {}): OrchestrationState {
  return planObjective(asChild(freshState(config), { parent: PARENT, roster: {} }), plan);
}

const synthesis = (extra: Partial<SynthesisResult> = {}): SynthesisResult => ({ agreements: [], conflicts: [], patterns: [], unknowns: [], insights: [], decisions: [], ...extra });

describe('leadObjective', () => {
  it('is the mission alone when the lead names no team, trimmed', () => {
    expect(leadObjective({ mission: 'Lead the research', lead: {} })).toBe('Lead the research');
    expect(leadObjective({ mission: '  Lead the research \n', lead: {} })).toBe('Lead the research');
  });

  it('cuts the mission so that mission and team hint together are 2000 characters', () => {
    const team = ' (team: frontend, backend)';
    const fits = 'm'.repeat(2000 - team.length);
    expect(leadObjective({ mission: fits, lead: { team: 'frontend, backend' } })).toBe(`${fits}${team}`);
    const made = leadObjective({ mission: `${fits}overflow`, lead: { team: 'frontend, backend' } });
    expect(made).toBe(`${fits}${team}`);
    expect(made).toHaveLength(2000);
  });
});

describe('a child starts', () => {
  it('with exactly the roster its parent shares, or an empty one', () => {
    const root = rootLeadSecond();
    const child = asChild(freshState(), { parent: PARENT, roster: root.roster });
    expect(Object.keys(root.roster)).toHaveLength(2);
    expect(child.roster).toEqual(root.roster);
    expect(child.delegation).toEqual({ parent: PARENT, children: {} });
    expect(asChild(freshState(), { parent: PARENT }).roster).toEqual({});
  });

  it('one level below its parent: a root\'s child is at depth 1, a child\'s child at depth 2', () => {
    expect(rootLeadSecond().delegation?.children.TASK_002).toEqual({ workflowId: `${ROOT}/TASK_002`, status: 'running', depth: 1, spent: NO_SPEND, agents: 0, running: 0, started: minute(1) });
    let child = childOf([plannedTask('sub', { lead: {} })]);
    child = childStarted(spawnChosen(child, 'TASK_001'), 'TASK_001', childWorkflowId(`${ROOT}/TASK_001`, 'TASK_001'), minute(2));
    expect(child.delegation?.children.TASK_001).toMatchObject({ workflowId: `${ROOT}/TASK_001/TASK_001`, depth: 2 });
  });
});

describe('spendPlus', () => {
  it('adds failed parts only once there are some, or the total already carries them', () => {
    expect(spendPlus(NO_SPEND, spent(5, 0.25))).toEqual({ tokens: 5, costUsd: 0.25, unpricedTokens: 0 });
    expect(spendPlus(NO_SPEND, { ...spent(5), failedTokens: 3, failedUsd: 0 })).toEqual({ tokens: 5, costUsd: 0, unpricedTokens: 0, failedTokens: 3, failedUsd: 0 });
    expect(spendPlus(NO_SPEND, { ...spent(5), failedTokens: 0, failedUsd: 0.02 })).toEqual({ tokens: 5, costUsd: 0, unpricedTokens: 0, failedTokens: 0, failedUsd: 0.02 });
    expect(spendPlus({ ...spent(5), failedTokens: 0, failedUsd: 0 }, spent(1))).toEqual({ tokens: 6, costUsd: 0, unpricedTokens: 0, failedTokens: 0, failedUsd: 0 });
    // A total that carries a failed count keeps both failed parts, even when nothing failed yet.
    expect(spendPlus({ ...spent(5), failedTokens: 0 }, spent(1))).toEqual({ tokens: 6, costUsd: 0, unpricedTokens: 0, failedTokens: 0, failedUsd: 0 });
  });
});

describe('spend reported upward', () => {
  it('books only on the lead task\'s objective, task, agent and profile, not on other work of the root', () => {
    let s = planObjective(freshState(), [plannedTask('menu', { mission: 'Write the menu' })]);
    s = planObjective(s, [plannedTask('research', { role: 'researcher', mission: 'Lead the research', lead: {} })]);
    s = spawnChosen(spawnChosen(s, 'TASK_001'), 'TASK_002');
    s = childStarted(s, 'TASK_002', `${ROOT}/TASK_002`, minute(1));
    s = applyChildSpend(s, { taskId: 'TASK_002', spent: spent(300, 0.3), agents: 2, running: 1 }, minute(2));
    expect(s.spent).toEqual(spent(300, 0.3));
    expect(s.objectives.map((o) => [o.id, o.spent.tokens])).toEqual([['OBJ_001', 0], ['OBJ_002', 300]]);
    expect(s.tasks.map((t) => [t.id, t.spent.tokens])).toEqual([['TASK_001', 0], ['TASK_002', 300]]);
    expect(agentOn(s, 'TASK_001').spent).toEqual(NO_SPEND);
    expect(agentOn(s, 'TASK_002').spent).toEqual(spent(300, 0.3));
    expect(s.roster[nameOn(s, 'TASK_001')]!.spent).toEqual(NO_SPEND);
    expect(s.roster[nameOn(s, 'TASK_002')]!.spent).toEqual(spent(300, 0.3));
    // A report that names no working agents leaves the list empty.
    expect(s.delegation?.children.TASK_002).toMatchObject({ spent: spent(300, 0.3), agents: 2, running: 1, working: [] });
  });

  it('unpriced or failed spend alone is new spend too', () => {
    let s = rootLeadSecond();
    s = applyChildSpend(s, { taskId: 'TASK_002', spent: { ...NO_SPEND, unpricedTokens: 500 }, agents: 1, running: 1 }, minute(2));
    expect(s.spent).toEqual({ ...NO_SPEND, unpricedTokens: 500 });
    s = applyChildSpend(s, { taskId: 'TASK_002', spent: { ...NO_SPEND, unpricedTokens: 500, failedTokens: 40, failedUsd: 0.2 }, agents: 1, running: 1 }, minute(3));
    expect(s.spent).toEqual({ ...NO_SPEND, unpricedTokens: 500, failedTokens: 40, failedUsd: 0.2 });
    expect(agentOn(s, 'TASK_002').spent).toEqual({ ...NO_SPEND, unpricedTokens: 500, failedTokens: 40, failedUsd: 0.2 });
  });

  it('a report with nothing new raises no second budget decision after a person answered the first', () => {
    let s = rootLeadSecond({ budget: { maxTokens: 1000 } });
    s = applyChildSpend(s, { taskId: 'TASK_002', spent: { tokens: 1200, costUsd: 0.6, unpricedTokens: 10, failedTokens: 5, failedUsd: 0.01 }, agents: 3, running: 2 }, minute(2));
    expect(s.decisions.map((d) => [d.id, d.kind, d.status])).toEqual([['DEC_001', 'budget', 'pending']]);
    s = decide(s, { decisionId: 'DEC_001', choice: 'stop' }, minute(3));
    // The child winds down: the same cumulative spend, fewer agents running.
    s = applyChildSpend(s, { taskId: 'TASK_002', spent: { tokens: 1200, costUsd: 0.6, unpricedTokens: 10, failedTokens: 5, failedUsd: 0.01 }, agents: 3, running: 0 }, minute(4));
    expect(s.decisions.map((d) => [d.id, d.status])).toEqual([['DEC_001', 'made']]);
    expect(s.delegation?.children.TASK_002).toMatchObject({ running: 0 });
  });
});

describe('spendReport', () => {
  it('lists its own running agents, then those its running children reported (prefixed), never a lead agent or a finished child', () => {
    let c = childOf([plannedTask('plain', { mission: 'Price it' }), plannedTask('l2', { lead: {} }), plannedTask('l3', { lead: {} }), plannedTask('l4', { lead: {} })]);
    for (const id of ['TASK_001', 'TASK_002', 'TASK_003', 'TASK_004']) c = spawnChosen(c, id);
    for (const id of ['TASK_002', 'TASK_003', 'TASK_004']) c = childStarted(c, id, `${ROOT}/TASK_001/${id}`, minute(1));
    c = applyChildSpend(c, { taskId: 'TASK_002', spent: NO_SPEND, agents: 1, running: 1, working: ['Cy (analyst) on TASK_001'] }, minute(2));
    c = applyChildSpend(c, { taskId: 'TASK_003', spent: NO_SPEND, agents: 1, running: 1, working: ['Di (analyst) on TASK_001'] }, minute(2));
    c = childEnded(c, 'TASK_003', 'failed', minute(3));
    expect(spendReport(c)).toEqual({
      spent: NO_SPEND,
      agents: 4,
      running: 4,
      working: [`${nameOn(c, 'TASK_001')} (developer) on TASK_001`, 'TASK_002 › Cy (analyst) on TASK_001'],
      pending: [],
    });
  });

  it('sends at most 64 working lines, its own first', () => {
    let c = childOf([plannedTask('plain'), plannedTask('lead', { lead: {} })]);
    c = childStarted(spawnChosen(spawnChosen(c, 'TASK_001'), 'TASK_002'), 'TASK_002', `${ROOT}/TASK_001/TASK_002`, minute(1));
    const below = Array.from({ length: 70 }, (_, i) => `Agent${i} (developer) on TASK_${String(i + 1).padStart(3, '0')}`);
    c = applyChildSpend(c, { taskId: 'TASK_002', spent: NO_SPEND, agents: 70, running: 70, working: below }, minute(2));
    const working = spendReport(c).working!;
    expect(working).toHaveLength(64);
    expect(working).toEqual([`${nameOn(c, 'TASK_001')} (developer) on TASK_001`, ...below.slice(0, 63).map((w) => `TASK_002 › ${w}`)]);
  });
});

describe('holdWanted', () => {
  it('holds while paused by a stop', () => {
    const s = rootLeadSecond();
    expect(holdWanted(s)).toBe(false);
    expect(holdWanted(requestStop(s, {}, minute(2)).state)).toBe(true);
  });

  it('holds for a pending budget decision only until it is answered', () => {
    let s = applyChildSpend(rootLeadSecond({ budget: { maxTokens: 1000 } }), { taskId: 'TASK_002', spent: spent(1200), agents: 1, running: 1 }, minute(2));
    expect(holdWanted(s)).toBe(true);
    s = decide(s, { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 5000 } }, minute(3));
    expect(holdWanted(s)).toBe(false);
  });

  it('does not hold for a waiting recovery or synthesis decision, nor for an answered escalation', () => {
    let s = applyChildSpend(rootLeadSecond(), { taskId: 'TASK_002', spent: NO_SPEND, agents: 1, running: 1, pending: [{ id: 'DEC_001', kind: 'recovery', question: 'TASK_001 failed 3 times: retry or skip?', rationale: 'its policy asks' }] }, minute(2));
    s = applySynthesis(s, synthesis({ decisions: [{ question: 'Which market first?', rationale: 'agents disagree', needsPerson: true }] }), minute(2));
    expect(s.decisions.map((d) => [d.kind, d.status])).toEqual([['recovery', 'pending'], ['synthesis', 'pending']]);
    expect(holdWanted(s)).toBe(false);
    const escalated = escalate(rootLeadSecond(), 'TASK_001', 'the API key was refused', minute(2));
    expect(holdWanted(escalated)).toBe(true);
    expect(holdWanted(decide(escalated, { decisionId: 'DEC_001', choice: 'retry' }, minute(3)))).toBe(false);
  });
});

describe('runningChildren', () => {
  it('names the running children in task order, not the ended ones', () => {
    let s = planObjective(freshState(), [plannedTask('a', { lead: {} }), plannedTask('b', { lead: {} }), plannedTask('c', { lead: {} })]);
    for (const id of ['TASK_001', 'TASK_002', 'TASK_003']) s = childStarted(spawnChosen(s, id), id, `${ROOT}/${id}`, minute(1));
    s = childEnded(s, 'TASK_002', 'failed', minute(2));
    expect(runningChildren(s)).toEqual(['TASK_001', 'TASK_003']);
    expect(runningChildren(freshState())).toEqual([]);
  });
});

describe('a child hears its parent', () => {
  it('a release to a child that was never held, without a budget, changes nothing', () => {
    const c = childOf();
    expect(applyParentHold(c, { held: false }, minute(2))).toBe(c);
  });

  it('a new slice reaches a child that is not held: it takes the budget and its spent-budget decision is answered raise', () => {
    let c = raiseBudgetDecisions({ ...childOf([plannedTask('a')], { budget: { maxTokens: 100 } }), spent: spent(100) }, minute(2));
    c = applyParentHold(c, { held: false, budget: { maxTokens: 500 } }, minute(3));
    expect(c.config.budget).toEqual({ maxTokens: 500 });
    expect(c.decisions).toEqual([expect.objectContaining({ id: 'DEC_001', kind: 'budget', status: 'made', choice: 'raise', rationale: 'the parent orchestration gave a new budget slice', decided: minute(3) })]);
    expect(c.paused).toBe(false);
  });

  it('a release whose slice is empty or zero resumes the child but keeps its budget and its decision waiting', () => {
    const spentChild = raiseBudgetDecisions({ ...childOf([plannedTask('a')], { budget: { maxTokens: 100 } }), spent: spent(100) }, minute(2));
    const held = applyParentHold(spentChild, { held: true }, minute(3));
    for (const budget of [{}, { maxTokens: 0 }, { maxTokens: 0, maxUsd: 0 }]) {
      const released = applyParentHold(held, { held: false, budget }, minute(4));
      expect(released.paused).toBe(false);
      expect(released.delegation?.held).toBe(false);
      expect(released.config.budget).toEqual({ maxTokens: 100 });
      expect(released.decisions.map((d) => [d.id, d.status])).toEqual([['DEC_001', 'pending']]);
    }
  });

  it('a new slice answers only the pending budget decisions: an earlier answer and a waiting escalation stay as they were', () => {
    let c = spawnChosen(childOf([plannedTask('a'), plannedTask('b')], { budget: { maxTokens: 100 } }), 'TASK_001');
    c = raiseBudgetDecisions({ ...c, spent: spent(100) }, minute(2));
    c = decide(c, { decisionId: 'DEC_001', choice: 'raise', rationale: 'more room for now', budget: { maxTokens: 200 } }, minute(3));
    c = raiseBudgetDecisions({ ...c, spent: spent(200) }, minute(4));
    c = escalate(c, 'TASK_001', 'the API key was refused', minute(4));
    c = applyParentHold(applyParentHold(c, { held: true }, minute(5)), { held: false, budget: { maxTokens: 800 } }, minute(6));
    expect(c.decisions.map((d) => [d.id, d.kind, d.status, d.choice, d.decided, d.rationale.slice(0, 40)])).toEqual([
      ['DEC_001', 'budget', 'made', 'raise', minute(3), 'more room for now'],
      ['DEC_002', 'budget', 'made', 'raise', minute(6), 'the parent orchestration gave a new budg'],
      ['DEC_003', 'escalation', 'pending', undefined, undefined, 'Retrying would fail the same way until a'],
    ]);
    expect(c.config.budget).toEqual({ maxTokens: 800 });
  });

  it('cancelled while held, it is no longer held but stopped', () => {
    const held = applyParentHold(spawnChosen(childOf(), 'TASK_001'), { held: true }, minute(2));
    expect(held.delegation).toEqual({ parent: PARENT, children: {}, held: true });
    expect(stopChild(held, minute(3)).state.delegation).toEqual({ parent: PARENT, children: {}, held: false, stopped: true });
  });

  it('cancelled, it returns even when a person resumed it afterwards and a decision waits', () => {
    const c = escalate(spawnChosen(childOf(), 'TASK_001'), 'TASK_001', 'the API key was refused', minute(2));
    expect(childOutcome(c)).toBe('wait');
    const resumed = resume(stopChild(c, minute(3)).state);
    expect(resumed.paused).toBe(false);
    expect(childOutcome(resumed)).toBe('return');
  });

  it('a synthesis decision waiting for a person does not keep a child from returning', () => {
    const c = applySynthesis(childOf(), synthesis({ decisions: [{ question: 'Which market first?', rationale: 'agents disagree', needsPerson: true }] }), minute(2));
    expect(c.decisions.map((d) => [d.kind, d.status])).toEqual([['synthesis', 'pending']]);
    expect(childOutcome(c)).toBe('return');
  });
});

describe('the lead\'s report', () => {
  it('summarises completed and failed tasks exactly, outcomes and errors cut at 200 characters', () => {
    const outcome = `Priced three tiers. ${'detail '.repeat(40)}`;
    const error = `The survey tool refused the key. ${'trace '.repeat(40)}`;
    let c = childOf([plannedTask('price', { mission: 'Price it' }), plannedTask('survey', { role: 'analyst', mission: 'Survey users' }), plannedTask('later')]);
    c = spawnChosen(spawnChosen(c, 'TASK_001'), 'TASK_002');
    c = recordAgentReport(c, 'TASK_001', taskOf(c, 'TASK_001').agentId!, agentReport(outcome), minute(2));
    c = failRunning(c, 'TASK_002', error, minute(2));
    const report = leadReport(c);
    expect(report.status).toBe('failure');
    expect(report.summary).toBe([`Lead's team of 3: 1 completed, 1 failed.`, `- TASK_001 (developer): ${outcome.slice(0, 200)}`, `- TASK_002 (analyst) failed: ${error.slice(0, 200)}`].join('\n'));
    expect(report.claims).toEqual([]);
    expect(report.stopped).toBeUndefined();
  });

  it('a task completed or failed without a recorded outcome or error shows an empty one', () => {
    const c = childOf([plannedTask('a'), plannedTask('b')]);
    const bare = { ...c, tasks: [{ ...c.tasks[0]!, status: 'completed' as const, outcome: undefined }, { ...c.tasks[1]!, status: 'failed' as const, error: undefined }] };
    expect(leadReport(bare).summary).toBe(`Lead's team of 2: 1 completed, 1 failed.\n- TASK_001 (developer): \n- TASK_002 (developer) failed: `);
  });

  it('a stopped child says so and reports failure even when its objectives were all completed', () => {
    let c = childOf([plannedTask('a')]);
    c = spawnChosen(c, 'TASK_001');
    c = recordAgentReport(c, 'TASK_001', taskOf(c, 'TASK_001').agentId!, agentReport('done it'), minute(2));
    expect(c.objectives.map((o) => o.status)).toEqual(['completed']);
    expect(leadReport(c)).toMatchObject({ status: 'success', summary: `Lead's team of 1: 1 completed, 0 failed.\n- TASK_001 (developer): done it` });
    const stopped = leadReport(stopChild(c, minute(3)).state);
    expect(stopped).toMatchObject({ status: 'failure', stopped: true, summary: `Lead's team of 1: 1 completed, 0 failed, stopped before the work settled.\n- TASK_001 (developer): done it` });
  });

  it('is a failure with no objective at all, or with one objective still open', () => {
    expect(leadReport(asChild(freshState(), { parent: PARENT })).status).toBe('failure');
    let c = childOf([plannedTask('a')]);
    c = completeTask(c, { taskId: 'TASK_001', outcome: 'done by hand' }, minute(2)).state;
    expect(leadReport(c).status).toBe('success');
    c = planObjective(c, [plannedTask('b')]);
    expect(c.objectives.map((o) => o.status)).toEqual(['completed', 'active']);
    expect(leadReport(c).status).toBe('failure');
  });

  it('gives the last synthesis\'s agreements and conflicts, and its patterns with the synthesis insights (the last 20)', () => {
    let c = completeTask(childOf([plannedTask('a')]), { taskId: 'TASK_001', outcome: 'done' }, minute(2)).state;
    c = applySynthesis(c, synthesis({ agreements: ['old agreement'], conflicts: ['old conflict'], patterns: ['old pattern'] }), minute(3));
    c = applySynthesis(c, synthesis({ agreements: ['Use Stripe', 'Ship weekly'], conflicts: ['how many tiers', 'annual discount'], patterns: ['p1', 'p2'], insights: Array.from({ length: 19 }, (_, i) => `i${i}`) }), minute(4));
    const report = leadReport(c);
    expect(report.summary).toBe(`Lead's team of 1: 1 completed, 0 failed.\n- TASK_001 (developer): done\nAgreements: Use Stripe; Ship weekly\nConflicts: how many tiers; annual discount`);
    // Two patterns and 19 insights: the first pattern falls off.
    expect(report.insights).toEqual(['p2', ...Array.from({ length: 19 }, (_, i) => `i${i}`)]);
    expect(report.insights).toHaveLength(20);
  });

  it('shows no agreement or conflict line when the last synthesis found none; insights are the patterns and synthesis insights only', () => {
    let c = spawnChosen(childOf([plannedTask('a')]), 'TASK_001');
    c = recordAgentReport(c, 'TASK_001', taskOf(c, 'TASK_001').agentId!, agentReport('done', { insights: ['agent lesson'] }), minute(2));
    c = recordInsight(c, { text: 'a person\'s note' }, minute(2));
    expect(leadReport(c).insights).toEqual([]);
    c = recordInsight(c, { text: 'tiers sell', source: 'synthesis' }, minute(3));
    expect(leadReport(c).insights).toEqual(['tiers sell']);
    c = applySynthesis(c, synthesis({ patterns: ['p1'], insights: ['s1'] }), minute(4));
    const report = leadReport(c);
    expect(report.summary).toBe(`Lead's team of 1: 1 completed, 0 failed.\n- TASK_001 (developer): done`);
    expect(report.insights).toEqual(['p1', 'tiers sell', 's1']);
  });

  it('cuts the summary at 2000 characters and the artifacts at 200', () => {
    const artifacts = Array.from({ length: 250 }, (_, i) => `docs/page-${i}.md`);
    let c = childOf(Array.from({ length: 12 }, (_, i) => plannedTask(`t${i}`)));
    c = spawnChosen(c, 'TASK_001');
    c = recordAgentReport(c, 'TASK_001', taskOf(c, 'TASK_001').agentId!, agentReport('o'.repeat(200), { artifacts }), minute(2));
    for (let i = 2; i <= 12; i++) c = completeTask(c, { taskId: `TASK_${String(i).padStart(3, '0')}`, outcome: 'o'.repeat(200) }, minute(3)).state;
    const full = [`Lead's team of 12: 12 completed, 0 failed.`, ...c.tasks.map((t) => `- ${t.id} (developer): ${'o'.repeat(200)}`)].join('\n');
    expect(full.length).toBeGreaterThan(2000);
    const report = leadReport(c);
    expect(report.summary).toBe(full.slice(0, 2000));
    expect(report.artifacts).toEqual(artifacts.slice(0, 200));
  });

  it('gives the memory of the agents it used only, not the rest of the roster its parent shared', () => {
    const root = rootLeadSecond();
    let c = planObjective(asChild(freshState(), { parent: PARENT, roster: root.roster }), [plannedTask('a', { role: 'analyst' })]);
    c = spawnChosen(c, 'TASK_001');
    expect(Object.keys(c.roster).length).toBeGreaterThan(1);
    expect(Object.keys(leadReport(c).roster)).toEqual([nameOn(c, 'TASK_001')]);
  });

  it('shows its team with missions cut at 160 characters and a lead member\'s own child', () => {
    const mission = `Lead the pricing work: ${'compare competitors '.repeat(10)}`;
    let c = childOf([plannedTask('sub', { mission, lead: {} })]);
    c = childStarted(spawnChosen(c, 'TASK_001'), 'TASK_001', `${ROOT}/TASK_001/TASK_001`, minute(2));
    const team = teamOf(c);
    expect(team).toEqual([{ taskId: 'TASK_001', role: 'developer', mission: mission.slice(0, 160), status: 'running', agent: nameOn(c, 'TASK_001'), child: c.delegation!.children.TASK_001 }]);
    expect(team[0]!.mission).toHaveLength(160);
    expect(leadReport(c).team).toEqual(team);
  });
});

describe('the parent records the lead\'s report', () => {
  /** The report of TASK_002's child; its roster carries changed profiles of the root's two agents and a new one. */
  function reportFor(root: OrchestrationState, extra: Partial<LeadReport> = {}): LeadReport {
    const plainName = nameOn(root, 'TASK_001');
    const leadName = nameOn(root, 'TASK_002');
    const newcomer = { ...root.roster[plainName]!, name: 'Newcomer', tasksCompleted: 4 };
    return {
      status: 'success',
      summary: 'The research is done',
      artifacts: ['research.md'],
      insights: [],
      claims: [],
      team: [],
      roster: { [plainName]: { ...root.roster[plainName]!, tasksCompleted: 7 }, [leadName]: { ...root.roster[leadName]!, tasksCompleted: 99 }, Newcomer: newcomer },
      spent: NO_SPEND,
      agents: 2,
      ...extra,
    };
  }

  it('the sub-agents\' memory comes back, the lead keeps the parent\'s profile (it remembers the task, with no reflections)', () => {
    let root = rootLeadSecond();
    root = applyChildSpend(root, { taskId: 'TASK_002', spent: NO_SPEND, agents: 2, running: 1, working: ['Cy (analyst) on TASK_001'] }, minute(2));
    const leadName = nameOn(root, 'TASK_002');
    const plainName = nameOn(root, 'TASK_001');
    const before = root.roster[leadName]!;
    const done = recordLeadReport(root, 'TASK_002', agentOn(root, 'TASK_002').id, reportFor(root), minute(5));
    expect(done.roster[plainName]!.tasksCompleted).toBe(7);
    expect(done.roster.Newcomer!.tasksCompleted).toBe(4);
    expect(done.roster[leadName]!.tasksCompleted).toBe(before.tasksCompleted + 1);
    expect(done.roster[leadName]!.memory.reflections).toEqual(before.memory.reflections);
    expect(taskOf(done, 'TASK_002')).toMatchObject({ status: 'completed', outcome: 'The research is done', artifacts: ['research.md'] });
    expect(done.delegation?.children.TASK_002).toMatchObject({ status: 'completed', finished: minute(5), agents: 2, running: 0, working: [] });
  });

  it('a failure report marks the child failed', () => {
    const root = rootLeadSecond();
    const done = recordLeadReport(root, 'TASK_002', agentOn(root, 'TASK_002').id, reportFor(root, { status: 'failure', summary: 'no data found' }), minute(5));
    expect(done.delegation?.children.TASK_002?.status).toBe('failed');
  });

  it('a stopped report stops only the lead task\'s agent, not the parent', () => {
    const root = rootLeadSecond();
    const done = recordLeadReport(root, 'TASK_002', agentOn(root, 'TASK_002').id, reportFor(root, { status: 'failure', stopped: true }), minute(5));
    expect(done.paused).toBe(false);
    expect(agentOn(done, 'TASK_001').status).toBe('running');
    expect(taskOf(done, 'TASK_001').status).toBe('running');
    expect(taskOf(done, 'TASK_002')).toMatchObject({ status: 'stopped', hold: { kind: 'person' } });
    expect(done.delegation?.children.TASK_002?.status).toBe('stopped');
  });

  it('a child that ended without a report is recorded once: a later end changes nothing', () => {
    let root = rootLeadSecond();
    root = applyChildSpend(root, { taskId: 'TASK_002', spent: NO_SPEND, agents: 2, running: 2, working: ['Cy (analyst) on TASK_001'] }, minute(2));
    const ended = childEnded(root, 'TASK_002', 'failed', minute(3));
    expect(ended.delegation?.children.TASK_002).toMatchObject({ status: 'failed', finished: minute(3), running: 0, working: [] });
    const again = childEnded(ended, 'TASK_002', 'stopped', minute(4));
    expect(again.delegation?.children.TASK_002).toEqual(ended.delegation?.children.TASK_002);
  });
});

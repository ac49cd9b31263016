import { agentReport, freshState, minute, planObjective, plannedTask, spawnChosen, taskOf } from '../support/reducers';
import { submitPlanFor } from '../../src/agents/anthropic/final-tools';
import { toApiTool } from '../../src/agents/tools/tool';
import { PlannedTask } from '../../src/shared/activity-types';
import {
  answersToForward,
  applyChildSpend,
  applyRoutedDecision,
  markForwarded,
  routedProblem,
  applyParentHold,
  asChild,
  budgetSlice,
  childEnded,
  childInput,
  childOutcome,
  childStarted,
  childWorkflowId,
  delegates,
  holdWanted,
  leadReport,
  recordLeadReport,
  releaseBudget,
  spendDelta,
  spendReport,
  spendPlus,
  stopChild,
} from '../../src/shared/delegation';
import { recordAgentReport } from '../../src/shared/agent-results';
import { raiseBudgetDecisions } from '../../src/shared/ledger';
import { tasksToStart } from '../../src/shared/scheduler';
import { NO_SPEND, OrchestrationInput, type OrchestrationState } from '../../src/shared/schemas';
import { decide, escalate } from '../../src/shared/decisions';
import { finishTask } from '../../src/shared/state';

const ROOT = 'baton/demo';

/** A root with one lead task (TASK_001, a researcher leading "frontend, backend") and a plain one (TASK_002), both started. */
function rootWithLead(config: Record<string, unknown> = {}): OrchestrationState {
  const s = planObjective(freshState(config), [
    plannedTask('lead-research', { role: 'researcher', mission: 'Lead the research', lead: { team: 'frontend, backend' } }),
    plannedTask('plain'),
  ]);
  return childStarted(spawnChosen(spawnChosen(s, 'TASK_001'), 'TASK_002'), 'TASK_001', childWorkflowId(ROOT, 'TASK_001'), minute(1));
}

const spent = (tokens: number, costUsd = 0) => ({ ...NO_SPEND, tokens, costUsd });

describe('lead tasks in plans', () => {
  it('a planned task may be a lead with a team hint; typos in lead are named', () => {
    expect(PlannedTask.parse({ key: 'l', role: 'researcher', mission: 'm', lead: { team: 'a, b' } }).lead).toEqual({ team: 'a, b' });
    expect(PlannedTask.parse({ key: 'l', role: 'researcher', mission: 'm', lead: {} }).lead).toEqual({});
    const bad = PlannedTask.safeParse({ key: 'l', role: 'researcher', mission: 'm', lead: { teams: 'x' } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('teams');
  });

  it('the LLM planners are offered lead in submit_plan\'s schema, and a plan using it passes their check', () => {
    const tool = submitPlanFor();
    expect(JSON.stringify(toApiTool(tool).input_schema)).toMatch(/"lead":\{[^}]*"properties":\{"team"/);
    const plan = { tasks: [{ key: 'lead-ui', role: 'developer', mission: 'Lead the UI work', lead: { team: 'frontend, design' } }] };
    expect(tool.check(plan)).toMatchObject({ ok: true, value: { tasks: [expect.objectContaining({ lead: { team: 'frontend, design' } })] } });
  });

  it('the plan carries lead onto the task; a plain task has none', () => {
    const s = rootWithLead();
    expect(taskOf(s, 'TASK_001').lead).toEqual({ team: 'frontend, backend' });
    expect(taskOf(s, 'TASK_002').lead).toBeUndefined();
  });
});

describe('depth', () => {
  it('a root and a child delegate; a grandchild at the default limit of 2 runs its lead tasks as plain agents', () => {
    const root = rootWithLead();
    const lead = taskOf(root, 'TASK_001');
    expect(delegates(root, lead)).toBe(true);
    expect(delegates(root, taskOf(root, 'TASK_002'))).toBe(false);
    const at = (depth: number, maxDepth?: number) =>
      asChild(freshState(maxDepth ? { maxDepth } : {}), { parent: { workflowId: ROOT, taskId: 'TASK_001', depth }, roster: {} });
    expect(delegates(at(1), lead)).toBe(true);
    expect(delegates(at(2), lead)).toBe(false);
    expect(delegates(at(2, 3), lead)).toBe(true);
    expect(delegates(at(3, 3), lead)).toBe(false);
  });

  it('maxDepth is at most 3', () => {
    expect(() => freshState({ maxDepth: 4 })).toThrow(/maxDepth/);
  });
});

describe('childInput', () => {
  it('gives the child the lead mission with its team hint, the inherited config, the parent link, the roster and a valid input', () => {
    const root = rootWithLead({ maxAgents: 4 });
    const input = childInput(root, taskOf(root, 'TASK_001'), ROOT);
    expect(input.objectives).toEqual(['Lead the research (team: frontend, backend)']);
    expect(input.child.parent).toEqual({ workflowId: ROOT, taskId: 'TASK_001', depth: 1 });
    expect(Object.keys(input.child.roster ?? {})).toEqual(Object.keys(root.roster));
    expect(input.config?.maxAgents).toBe(4);
    expect(OrchestrationInput.safeParse(input).success).toBe(true);
    expect(childWorkflowId(childWorkflowId(ROOT, 'TASK_001'), 'TASK_003')).toBe('baton/demo/TASK_001/TASK_003');
  });

  it('slices the tighter of the orchestration and objective room as the child budget', () => {
    let root = planObjective(freshState({ budget: { maxTokens: 1000, maxUsd: 5 } }), [plannedTask('l', { lead: {} })], { maxTokens: 300 });
    root = { ...root, spent: spent(800, 1), objectives: root.objectives.map((o) => ({ ...o, spent: spent(100) })) };
    expect(budgetSlice(root, taskOf(root, 'TASK_001'))).toEqual({ maxTokens: 200, maxUsd: 4 });
    expect(budgetSlice(freshState(), { objectiveId: undefined })).toEqual({});
  });

  it('a released child may spend what it spent already plus the parent\'s room now', () => {
    let root = rootWithLead({ budget: { maxTokens: 1000, maxUsd: 2 } });
    root = applyChildSpend(root, { taskId: 'TASK_001', spent: spent(300, 0.5), agents: 1, running: 0 }, minute(2));
    expect(releaseBudget(root, taskOf(root, 'TASK_001'))).toEqual({ maxTokens: 1000, maxUsd: 2 });
    root = { ...root, spent: { ...root.spent, tokens: 400 } };
    expect(releaseBudget(root, taskOf(root, 'TASK_001'))).toEqual({ maxTokens: 900, maxUsd: 2 });
  });
});

describe('spend upward', () => {
  it('books what is new of a cumulative report on the orchestration, objective, lead task, lead agent and profile', () => {
    let s = rootWithLead();
    s = applyChildSpend(s, { taskId: 'TASK_001', spent: spent(100, 0.5), agents: 2, running: 1 }, minute(2));
    s = applyChildSpend(s, { taskId: 'TASK_001', spent: spent(250, 0.75), agents: 3, running: 2 }, minute(3));
    // A repeated or stale report adds nothing.
    s = applyChildSpend(s, { taskId: 'TASK_001', spent: spent(250, 0.75), agents: 3, running: 2 }, minute(3));
    const lead = taskOf(s, 'TASK_001');
    const agent = s.agents.find((a) => a.id === lead.agentId)!;
    expect(s.spent).toMatchObject({ tokens: 250, costUsd: 0.75 });
    expect(s.objectives[0]!.spent).toMatchObject({ tokens: 250, costUsd: 0.75 });
    expect(lead.spent).toMatchObject({ tokens: 250 });
    expect(agent.spent).toMatchObject({ tokens: 250 });
    expect(s.roster[agent.name]!.spent).toMatchObject({ tokens: 250 });
    expect(s.delegation?.children.TASK_001).toMatchObject({ spent: { tokens: 250, costUsd: 0.75 }, agents: 3, running: 2, status: 'running' });
  });

  it('a report that spends the root budget raises one budget decision at the root, and the root holds its subtrees', () => {
    let s = rootWithLead({ budget: { maxTokens: 1000 } });
    expect(holdWanted(s)).toBe(false);
    s = applyChildSpend(s, { taskId: 'TASK_001', spent: spent(1200), agents: 3, running: 1 }, minute(2));
    expect(s.decisions.filter((d) => d.kind === 'budget' && d.status === 'pending')).toHaveLength(1);
    expect(holdWanted(s)).toBe(true);
    s = applyChildSpend(s, { taskId: 'TASK_001', spent: spent(1300), agents: 3, running: 1 }, minute(3));
    expect(s.decisions.filter((d) => d.kind === 'budget')).toHaveLength(1);
  });

  it('ignores reports of unknown or finished children', () => {
    const s = rootWithLead();
    expect(applyChildSpend(s, { taskId: 'TASK_009', spent: spent(5), agents: 1, running: 0 }, minute(2))).toBe(s);
    const ended = childEnded(s, 'TASK_001', 'stopped', minute(2));
    expect(ended.delegation?.children.TASK_001?.status).toBe('stopped');
    expect(applyChildSpend(ended, { taskId: 'TASK_001', spent: spent(5), agents: 1, running: 0 }, minute(3))).toBe(ended);
  });

  it('spendDelta and spendPlus round-trip and never go negative', () => {
    const a = { tokens: 10, costUsd: 0.3, unpricedTokens: 2, failedTokens: 4, failedUsd: 0.1 };
    const b = { tokens: 4, costUsd: 0.1, unpricedTokens: 0 };
    expect(spendPlus(b, spendDelta(a, b))).toEqual(a);
    expect(spendDelta(b, a)).toEqual({ tokens: 0, costUsd: 0, unpricedTokens: 0, failedTokens: 0, failedUsd: 0 });
  });
});

describe('a child hears its parent', () => {
  const child = (config: Record<string, unknown> = {}) =>
    planObjective(asChild(freshState(config), { parent: { workflowId: ROOT, taskId: 'TASK_001', depth: 1 }, roster: {} }), [plannedTask('a'), plannedTask('b')]);

  it('held, it starts nothing new and waits; released, it resumes', () => {
    let s = applyParentHold(child(), { held: true }, minute(2));
    expect(tasksToStart(s, 'parallel', 3)).toEqual([]);
    expect(childOutcome(s)).toBe('wait');
    s = applyParentHold(s, { held: false }, minute(3));
    expect(s.paused).toBe(false);
    expect(s.delegation?.held).toBe(false);
    expect(childOutcome(s)).toBe('return');
    expect(tasksToStart(s, 'parallel', 3).map((t) => t.id)).toEqual(['TASK_001', 'TASK_002']);
  });

  it('stopped (paused, not held) it returns what it has, even with a decision pending', () => {
    const s = raiseBudgetDecisions({ ...child({ budget: { maxTokens: 10 } }), spent: spent(10) }, minute(2));
    expect(childOutcome(s)).toBe('wait');
    expect(childOutcome({ ...s, paused: true })).toBe('return');
  });

  it('cancelled by its parent, it stops its agents, returns even while held, and hears no later hold', () => {
    const running = spawnChosen(child(), 'TASK_001');
    const held = applyParentHold(running, { held: true }, minute(2));
    const r = stopChild(held, minute(3));
    expect(r.cancel).toEqual([taskOf(running, 'TASK_001').agentId]);
    expect(childOutcome(r.state)).toBe('return');
    expect(applyParentHold(r.state, { held: true }, minute(4))).toBe(r.state);
    expect(leadReport(r.state)).toMatchObject({ status: 'failure', stopped: true });
  });

  it('released with a new slice, its own spent-budget decision is answered raise and its budget-held work goes on', () => {
    let s = child({ budget: { maxTokens: 100 } });
    s = raiseBudgetDecisions({ ...s, spent: spent(100) }, minute(2));
    expect(childOutcome(s)).toBe('wait');
    s = applyParentHold(applyParentHold(s, { held: true }, minute(2)), { held: false, budget: { maxTokens: 500 } }, minute(3));
    expect(s.config.budget).toEqual({ maxTokens: 500 });
    expect(s.decisions.filter((d) => d.status === 'pending')).toEqual([]);
    expect(s.decisions[0]).toMatchObject({ choice: 'raise', status: 'made' });
    expect(childOutcome(s)).toBe('return');
  });
});

describe('the lead report', () => {
  it('a child reports its team, outcomes and the memory of the agents it used; the parent completes the lead task with it', () => {
    let c = planObjective(asChild(freshState(), { parent: { workflowId: ROOT, taskId: 'TASK_001', depth: 1 }, roster: {} }), [
      plannedTask('fe', { role: 'developer', mission: 'Frontend' }),
      plannedTask('be', { role: 'developer', mission: 'Backend' }),
    ]);
    c = spawnChosen(spawnChosen(c, 'TASK_001'), 'TASK_002');
    for (const id of ['TASK_001', 'TASK_002']) c = recordAgentReport(c, id, taskOf(c, id).agentId!, agentReport(`${id} built`, { artifacts: [`${id}.md`] }), minute(4));
    const report = leadReport(c);
    expect(report.status).toBe('success');
    expect(report.summary).toContain('2 completed');
    expect(report.summary).toContain('TASK_001 (developer): TASK_001 built');
    expect(report.artifacts).toEqual(['TASK_001.md', 'TASK_002.md']);
    expect(report.team.map((m) => [m.taskId, m.status])).toEqual([['TASK_001', 'completed'], ['TASK_002', 'completed']]);
    expect(Object.keys(report.roster)).toHaveLength(2);

    let root = rootWithLead();
    const leadAgent = taskOf(root, 'TASK_001').agentId!;
    root = recordLeadReport(root, 'TASK_001', leadAgent, report, minute(5));
    expect(taskOf(root, 'TASK_001')).toMatchObject({ status: 'completed', outcome: report.summary, artifacts: report.artifacts });
    expect(root.delegation?.children.TASK_001).toMatchObject({ status: 'completed', agents: 2, running: 0 });
    expect(root.delegation?.children.TASK_001?.team).toHaveLength(2);
    for (const name of Object.keys(report.roster)) expect(root.roster[name]?.tasksCompleted).toBe(1);
  });

  it('a child whose work failed reports failure; one stopped by a person leaves the lead task stopped for resume', () => {
    let c = planObjective(asChild(freshState(), { parent: { workflowId: ROOT, taskId: 'TASK_001', depth: 1 }, roster: {} }), [plannedTask('a')]);
    c = spawnChosen(c, 'TASK_001');
    c = finishTask(c, 'TASK_001', taskOf(c, 'TASK_001').agentId!, agentReport('broke', { status: 'failure' }), minute(2));
    expect(leadReport(c).status).toBe('failure');
    expect(leadReport({ ...c, paused: true }).stopped).toBe(true);

    let root = rootWithLead();
    root = recordLeadReport(root, 'TASK_001', taskOf(root, 'TASK_001').agentId!, leadReport({ ...c, paused: true }), minute(3));
    expect(taskOf(root, 'TASK_001')).toMatchObject({ status: 'stopped', hold: { kind: 'person' } });
    expect(root.delegation?.children.TASK_001?.status).toBe('stopped');
  });
});

describe('decisions travel the tree', () => {
  const childWithEscalation = () => {
    let c = planObjective(asChild(freshState(), { parent: { workflowId: ROOT, taskId: 'TASK_001', depth: 1 }, roster: {} }), [plannedTask('a')]);
    c = spawnChosen(c, 'TASK_001');
    return escalate(c, 'TASK_001', 'the API key was refused', minute(2));
  };

  it('a child passes up the decisions a person must answer, its budget ones excepted', () => {
    const c = childWithEscalation();
    expect(spendReport(c).pending).toEqual([expect.objectContaining({ id: 'DEC_001', kind: 'escalation' })]);
    expect(spendReport(raiseBudgetDecisions({ ...c, config: { ...c.config, budget: { maxTokens: 1 } }, spent: spent(5) }, minute(3))).pending).toHaveLength(1);
  });

  it('the parent mirrors each once with its route; an answer there changes nothing else and is forwarded once', () => {
    const pending = spendReport(childWithEscalation()).pending!;
    let root = applyChildSpend(rootWithLead(), { taskId: 'TASK_001', spent: NO_SPEND, agents: 1, running: 0, pending }, minute(3));
    root = applyChildSpend(root, { taskId: 'TASK_001', spent: NO_SPEND, agents: 1, running: 0, pending }, minute(4));
    const mirrors = root.decisions.filter((d) => d.route);
    expect(mirrors).toHaveLength(1);
    expect(mirrors[0]).toMatchObject({ status: 'pending', kind: 'escalation', route: { taskId: 'TASK_001', decisionId: 'DEC_001' } });
    expect(mirrors[0]!.question).toContain('the API key was refused');
    expect(holdWanted(root)).toBe(true);

    const answered = decide(root, { decisionId: mirrors[0]!.id, choice: 'stop' }, minute(5));
    // `stop` answers the child's escalation; the root itself goes on.
    expect(answered.paused).toBe(false);
    expect(answersToForward(answered)).toEqual([{ taskId: 'TASK_001', mirrorId: mirrors[0]!.id, input: { decisionId: 'DEC_001', choice: 'stop', rationale: expect.any(String) } }]);
    const forwarded = markForwarded(answered, mirrors[0]!.id);
    expect(answersToForward(forwarded)).toEqual([]);
    // The child still shows it pending until the answer lands: no second mirror.
    expect(applyChildSpend(forwarded, { taskId: 'TASK_001', spent: NO_SPEND, agents: 1, running: 0, pending }, minute(6)).decisions.filter((d) => d.route)).toHaveLength(1);
  });

  it('a mirror closes when the child settled its decision itself', () => {
    const pending = spendReport(childWithEscalation()).pending!;
    let root = applyChildSpend(rootWithLead(), { taskId: 'TASK_001', spent: NO_SPEND, agents: 1, running: 0, pending }, minute(3));
    root = applyChildSpend(root, { taskId: 'TASK_001', spent: NO_SPEND, agents: 1, running: 0, pending: [] }, minute(4));
    expect(root.decisions.filter((d) => d.status === 'pending')).toEqual([]);
    expect(answersToForward(root)).toEqual([]);
  });

  it('the child applies a forwarded answer under decide\'s rules, naming a wrong choice', () => {
    const c = childWithEscalation();
    expect(routedProblem(c, { decisionId: 'DEC_001', choice: 'maybe' })).toMatch(/retry.*stop/);
    const retried = applyRoutedDecision(c, { decisionId: 'DEC_001', choice: 'retry' }, minute(3));
    expect(retried.decisions[0]).toMatchObject({ status: 'made', choice: 'retry' });
    expect(taskOf(retried, 'TASK_001').status).toBe('pending');
  });
});

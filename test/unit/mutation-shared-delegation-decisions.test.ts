import { freshState, minute, planObjective, plannedTask, spawnChosen } from '../support/reducers';
import { decide, escalate } from '../../src/shared/decisions';
import {
  answersToForward,
  applyChildSpend,
  applyRoutedDecision,
  asChild,
  type ChildDecision,
  childEnded,
  ChildSpendInput,
  childStarted,
  childWorkflowId,
  markForwarded,
  pendingForRoot,
  routedProblem,
  RoutedDecideInput,
  spendReport,
  syncChildDecisions,
} from '../../src/shared/delegation';
import { NO_SPEND, type Decision, type OrchestrationState } from '../../src/shared/schemas';

// Mutation tests for src/shared/delegation-decisions.ts: which decisions go up, how the root mirrors them, how answers come down.

const ROOT = 'baton/demo';
const ESCALATION_RATIONALE = 'Retrying would fail the same way until a person acts; answer with `baton decide <id> retry` or `baton decide <id> stop`.';

/** A root with two lead tasks (TASK_001 researcher, TASK_002 developer), each running a child started at minute 1. */
function rootWithTwoLeads(): OrchestrationState {
  let s = planObjective(freshState(), [
    plannedTask('research', { role: 'researcher', mission: 'Lead the research', lead: {} }),
    plannedTask('build', { mission: 'Lead the build', lead: { team: 'frontend, backend' } }),
  ]);
  s = spawnChosen(spawnChosen(s, 'TASK_001'), 'TASK_002');
  s = childStarted(s, 'TASK_001', childWorkflowId(ROOT, 'TASK_001'), minute(1));
  return childStarted(s, 'TASK_002', childWorkflowId(ROOT, 'TASK_002'), minute(1));
}

/** A child (of TASK_001) whose agent met a refused API key: one escalation DEC_001 waits. */
function escalatedChild(message = 'the API key was refused'): OrchestrationState {
  let c = planObjective(asChild(freshState(), { parent: { workflowId: ROOT, taskId: 'TASK_001', depth: 1 }, roster: {} }), [plannedTask('a')]);
  c = spawnChosen(c, 'TASK_001');
  return escalate(c, 'TASK_001', message, minute(2));
}

const escalation = (id: string, question = 'Agents cannot run: the API key was refused. Fix the cause, then retry, or stop?'): ChildDecision => ({ id, kind: 'escalation', question, rationale: ESCALATION_RATIONALE });
const report = (s: OrchestrationState, taskId: string, pending: ChildDecision[], now: string) => applyChildSpend(s, { taskId, spent: NO_SPEND, agents: 1, running: 0, pending }, now);
const mirrors = (s: OrchestrationState): Decision[] => s.decisions.filter((d) => d.route);

describe('pendingForRoot', () => {
  it('passes up a waiting escalation exactly, and nothing once a person in the child answered it', () => {
    const c = escalatedChild();
    expect(pendingForRoot(c)).toEqual([escalation('DEC_001')]);
    const answered = decide(c, { decisionId: 'DEC_001', choice: 'retry' }, minute(3));
    expect(pendingForRoot(answered)).toEqual([]);
  });

  it('cuts a question and rationale past 2000 characters to what the parent\'s childSpend accepts', () => {
    const c = escalatedChild();
    const long: Decision = { ...c.decisions[0]!, id: 'DEC_002', kind: 'consensus', question: `Which design? ${'a'.repeat(2500)}`, rationale: `Because ${'b'.repeat(2500)}` };
    const up = pendingForRoot({ ...c, decisions: [...c.decisions, long] });
    expect(up[1]).toEqual({ id: 'DEC_002', kind: 'consensus', question: long.question.slice(0, 2000), rationale: long.rationale.slice(0, 2000) });
    expect(up[1]!.question).toHaveLength(2000);
    expect(up[1]!.rationale).toHaveLength(2000);
    expect(ChildSpendInput.safeParse({ taskId: 'TASK_001', ...spendReport({ ...c, decisions: [...c.decisions, long] }) }).success).toBe(true);
  });
});

describe('syncChildDecisions mirrors a child\'s decisions at the root', () => {
  it('a new one becomes a pending mirror numbered after the root\'s own decisions, naming the lead task and child', () => {
    // The root has its own escalation waiting (its planner's key was refused).
    const own = escalate(rootWithTwoLeads(), undefined, 'the planner key was refused', minute(1));
    const s = report(own, 'TASK_001', pendingForRoot(escalatedChild()), minute(2));
    expect(s.counters.decision).toBe(2);
    expect(s.decisions).toEqual([
      own.decisions[0],
      {
        id: 'DEC_002',
        question: `TASK_001 (${ROOT}/TASK_001): Agents cannot run: the API key was refused. Fix the cause, then retry, or stop?`,
        rationale: ESCALATION_RATIONALE,
        status: 'pending',
        created: minute(2),
        session: 1,
        kind: 'escalation',
        route: { taskId: 'TASK_001', decisionId: 'DEC_001' },
      },
    ]);
  });

  it('a mirror whose decision the child settled itself closes; the root\'s own waiting decision stays', () => {
    const own = escalate(rootWithTwoLeads(), undefined, 'the planner key was refused', minute(1));
    let s = report(own, 'TASK_001', [escalation('DEC_001')], minute(2));
    s = report(s, 'TASK_001', [], minute(3));
    expect(s.decisions[0]).toEqual(own.decisions[0]);
    expect(s.decisions[1]).toMatchObject({ status: 'made', choice: 'settled in the child orchestration', decided: minute(3), route: { taskId: 'TASK_001', decisionId: 'DEC_001', forwarded: true } });
    expect(answersToForward(s)).toEqual([]);
  });

  it('two lead tasks\' children both numbering from DEC_001 get a mirror each, and each closes only its own', () => {
    let s = report(rootWithTwoLeads(), 'TASK_001', [escalation('DEC_001')], minute(2));
    s = report(s, 'TASK_002', [escalation('DEC_001', 'Agents cannot run: the build server is down. Fix the cause, then retry, or stop?')], minute(2));
    expect(mirrors(s).map((d) => [d.id, d.route!.taskId, d.route!.decisionId, d.status])).toEqual([
      ['DEC_001', 'TASK_001', 'DEC_001', 'pending'],
      ['DEC_002', 'TASK_002', 'DEC_001', 'pending'],
    ]);
    s = report(s, 'TASK_002', [], minute(3));
    expect(mirrors(s).map((d) => [d.id, d.status])).toEqual([
      ['DEC_001', 'pending'],
      ['DEC_002', 'made'],
    ]);
  });

  it('a second decision of the same child gets its own mirror; the first is not mirrored twice', () => {
    let s = report(rootWithTwoLeads(), 'TASK_001', [escalation('DEC_001')], minute(2));
    const recovery: ChildDecision = { id: 'DEC_002', kind: 'recovery', question: 'TASK_001 failed 3 times: retry or skip?', rationale: 'its recovery policy asks a person' };
    s = report(s, 'TASK_001', [escalation('DEC_001'), recovery], minute(3));
    expect(mirrors(s).map((d) => [d.id, d.kind, d.route!.decisionId, d.question])).toEqual([
      ['DEC_001', 'escalation', 'DEC_001', expect.stringContaining('the API key was refused')],
      ['DEC_002', 'recovery', 'DEC_002', `TASK_001 (${ROOT}/TASK_001): TASK_001 failed 3 times: retry or skip?`],
    ]);
    expect(s.counters.decision).toBe(2);
  });

  it('a decision reported in the very minute the child started belongs to that run: reported again, it is not mirrored twice', () => {
    let s = report(rootWithTwoLeads(), 'TASK_001', [escalation('DEC_001')], minute(1));
    expect(mirrors(s)[0]!.created).toBe(minute(1));
    s = report(s, 'TASK_001', [escalation('DEC_001')], minute(2));
    expect(mirrors(s)).toHaveLength(1);
  });

  it('a child started again numbers from DEC_001 again: its new decision gets a new mirror', () => {
    let s = report(rootWithTwoLeads(), 'TASK_001', [escalation('DEC_001')], minute(2));
    s = childStarted(childEnded(s, 'TASK_001', 'stopped', minute(3)), 'TASK_001', childWorkflowId(ROOT, 'TASK_001'), minute(4));
    const again = escalation('DEC_001', 'Agents cannot run: the quota is used up. Fix the cause, then retry, or stop?');
    s = report(s, 'TASK_001', [again], minute(5));
    expect(mirrors(s).map((d) => [d.id, d.created, d.question])).toEqual([
      ['DEC_001', minute(2), expect.stringContaining('the API key was refused')],
      ['DEC_002', minute(5), `TASK_001 (${ROOT}/TASK_001): ${again.question}`],
    ]);
  });

  it('a mirror answered at the root keeps its answer when the child stops listing it', () => {
    let s = report(rootWithTwoLeads(), 'TASK_001', [escalation('DEC_001')], minute(2));
    s = markForwarded(decide(s, { decisionId: 'DEC_001', choice: 'retry', rationale: 'the key is fixed' }, minute(3)), 'DEC_001');
    s = report(s, 'TASK_001', [], minute(4));
    expect(s.decisions[0]).toMatchObject({ status: 'made', choice: 'retry', rationale: 'the key is fixed', decided: minute(3) });
  });

  it('cuts a mirrored question (with its lead-task prefix) at 2000 characters', () => {
    const question = `Which pricing model? ${'q'.repeat(1979)}`;
    expect(question.length).toBe(2000);
    const s = report(rootWithTwoLeads(), 'TASK_001', [{ id: 'DEC_001', kind: 'consensus', question, rationale: 'agents disagree' }], minute(2));
    const prefix = `TASK_001 (${ROOT}/TASK_001): `;
    expect(mirrors(s)[0]!.question).toBe(`${prefix}${question}`.slice(0, 2000));
    expect(mirrors(s)[0]!.question).toHaveLength(2000);
  });

  it('a report that changes nothing returns the state as it was', () => {
    const s = report(rootWithTwoLeads(), 'TASK_001', [escalation('DEC_001')], minute(2));
    expect(syncChildDecisions(s, 'TASK_001', [escalation('DEC_001')], minute(3))).toBe(s);
    expect(syncChildDecisions(s, 'TASK_009', [escalation('DEC_001')], minute(3))).toBe(s);
  });
});

describe('answers go down', () => {
  it('an answer with an over-long rationale goes down cut to what routedDecide accepts', () => {
    let s = report(rootWithTwoLeads(), 'TASK_001', [escalation('DEC_001')], minute(2));
    const rationale = `Fixed the key. ${'r'.repeat(2500)}`;
    s = decide(s, { decisionId: 'DEC_001', choice: 'retry', rationale }, minute(3));
    const down = answersToForward(s);
    expect(down).toEqual([{ taskId: 'TASK_001', mirrorId: 'DEC_001', input: { decisionId: 'DEC_001', choice: 'retry', rationale: rationale.slice(0, 2000) } }]);
    expect(RoutedDecideInput.safeParse(down[0]!.input).success).toBe(true);
  });

  it('markForwarded marks only the mirror whose answer went down; the other lead\'s answer still waits to go', () => {
    let s = report(rootWithTwoLeads(), 'TASK_001', [escalation('DEC_001')], minute(2));
    s = report(s, 'TASK_002', [escalation('DEC_001')], minute(2));
    s = decide(decide(s, { decisionId: 'DEC_001', choice: 'retry' }, minute(3)), { decisionId: 'DEC_002', choice: 'stop' }, minute(3));
    expect(answersToForward(s).map((a) => [a.mirrorId, a.taskId, a.input.choice])).toEqual([
      ['DEC_001', 'TASK_001', 'retry'],
      ['DEC_002', 'TASK_002', 'stop'],
    ]);
    expect(answersToForward(markForwarded(s, 'DEC_001')).map((a) => a.mirrorId)).toEqual(['DEC_002']);
  });

  it('markForwarded touches only a mirror: the root\'s own decision of that id gets no route', () => {
    const own = escalate(rootWithTwoLeads(), undefined, 'the planner key was refused', minute(1));
    const answered = decide(own, { decisionId: 'DEC_001', choice: 'stop' }, minute(2));
    expect(markForwarded(answered, 'DEC_001')).toEqual(answered);
    expect(markForwarded(answered, 'DEC_001').decisions[0]!.route).toBeUndefined();
  });

  it('the child applies the root\'s answer with its rationale, or keeps its own rationale when none came', () => {
    const c = escalatedChild();
    expect(routedProblem(c, { decisionId: 'DEC_001', choice: 'retry', rationale: 'the key is fixed' })).toBeUndefined();
    const withWhy = applyRoutedDecision(c, { decisionId: 'DEC_001', choice: 'retry', rationale: 'the key is fixed' }, minute(3));
    expect(withWhy.decisions[0]).toMatchObject({ status: 'made', choice: 'retry', rationale: 'the key is fixed', decided: minute(3) });
    const without = applyRoutedDecision(c, { decisionId: 'DEC_001', choice: 'retry' }, minute(3));
    expect(without.decisions[0]).toMatchObject({ status: 'made', choice: 'retry', rationale: ESCALATION_RATIONALE });
  });
});

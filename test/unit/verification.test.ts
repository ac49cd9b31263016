import { agentOn, agentReport, freshState, minute, plannedTask, planStreams, spawnChosen, target, taskOf, usageOf } from '../support/reducers';
import { agentInput } from '../../src/shared/activity-inputs';
import type { AgentReport, VerifyWorkResult } from '../../src/shared/activity-types';
import type { OrchestrationState } from '../../src/shared/schemas';
import { applyVerification, markVerifying, reworkRate, verifyInput } from '../../src/shared/verification';

const GATE_FAILED = 'gate test failed (exit 1): 2 failing';
const gates = [{ name: 'test', command: 'npm test' }];
const built = agentReport('Pricing page built', { artifacts: ['ART_notes'], claims: ['tests pass'], transcript: 'ART_tx', usage: usageOf() });

/** A verdict: the `test` gate passing or failing, with its output and the diff as artifacts. */
const verdict = (passed: boolean, extra: Partial<VerifyWorkResult> = {}): VerifyWorkResult => ({
  passed,
  gates: [{ name: 'test', command: 'npm test', passed, exitCode: passed ? 0 : 1, timedOut: false, durationMs: 5, tail: '', output: 'ART_gate' }],
  review: { passed: true, by: 'rules', falseClaims: [], notes: [] },
  failures: passed ? [] : [GATE_FAILED],
  diff: 'ART_diff',
  changedFiles: ['index.html'],
  ...extra,
});

/** TASK_001 works site:1.2 (Forge on it, being verified); TASK_002 is free work outside any target. */
function working(config: Record<string, unknown> = {}): OrchestrationState {
  const s = planStreams(freshState({ targets: [target('site', { gates })], ...config }), [plannedTask('s12', { stream: 'site:1.2' }), plannedTask('free')]);
  return markVerifying(spawnChosen(s, 'TASK_001'), 'TASK_001');
}
const land = (s: OrchestrationState, result: VerifyWorkResult, report: AgentReport = built, now = minute(3)) =>
  applyVerification(s, 'TASK_001', agentOn(s, 'TASK_001'), report, result, now);
/** Fail verification and hand the rework to the agent chosen for it. */
const sendBack = (s: OrchestrationState, now = minute(3)) => spawnChosen(markVerifying(land(s, verdict(false), built, now), 'TASK_001'), 'TASK_001', now);

describe('verifyInput', () => {
  it("verifies work in a target in the target's repository with its gates, and nothing else", () => {
    const s = working();
    const agent = s.agents[0];
    if (!agent) throw new Error('test: no agent');
    expect(verifyInput(s, taskOf(s, 'TASK_001'), agent, built)).toMatchObject({
      taskId: 'TASK_001',
      agentName: 'Forge',
      round: 0,
      workspace: '/repo/site',
      gates: [{ name: 'test', command: 'npm test', timeoutSeconds: 300 }],
      summary: 'Pricing page built',
      claims: ['tests pass'],
    });
    expect(verifyInput(s, taskOf(s, 'TASK_002'), agent, built)).toBeUndefined();
  });

  it('has nothing to verify for a failure report or an agent stopped by the budget', () => {
    const s = working();
    const agent = s.agents[0];
    if (!agent) throw new Error('test: no agent');
    expect(verifyInput(s, taskOf(s, 'TASK_001'), agent, { ...built, status: 'failure' })).toBeUndefined();
    expect(verifyInput(s, taskOf(s, 'TASK_001'), agent, { ...built, stopReason: 'budget' })).toBeUndefined();
  });
});

describe('applyVerification: passed', () => {
  it('records the report as usual, with the verdict keeping the gate output and diff', () => {
    const s = land(working(), verdict(true));
    expect(taskOf(s, 'TASK_001')).toMatchObject({
      status: 'completed',
      outcome: 'Pricing page built',
      artifacts: ['ART_notes'],
      verifying: undefined,
      verification: { passed: true, gates: [{ name: 'test', passed: true }], falseClaims: [], review: 'claims hold (rules)', artifacts: ['ART_gate', 'ART_diff'] },
    });
    expect(s.agents[0]).toMatchObject({ status: 'completed', transcript: 'ART_tx' });
    expect(s.roster.Forge?.tasksCompleted).toBe(1);
    expect(s.metrics).toMatchObject({ total_verifications: 1, total_tasks_completed: 1 });
    expect(reworkRate(s.metrics)).toBe(0);
  });

  it("charges the review to the task and objective, and only the agent's own work to the agent", () => {
    const s = land(working(), verdict(true, { usage: usageOf({ inputTokens: 1000, outputTokens: 0 }) }));
    expect(taskOf(s, 'TASK_001').spent.tokens).toBe(1150);
    expect(s.objectives[0]?.spent.tokens).toBe(1150);
    expect(s.agents[0]?.spent.tokens).toBe(150);
  });
});

describe('applyVerification: failed', () => {
  it('sends the work back to the same agent with what failed, and counts the rework', () => {
    const s = land(working(), verdict(false));
    expect(taskOf(s, 'TASK_001')).toMatchObject({
      status: 'pending',
      agentId: undefined,
      rework: 1,
      feedback: [GATE_FAILED],
      preferredAgent: 'Forge',
      verifying: undefined,
      verification: { passed: false, gates: [{ name: 'test', passed: false }] },
    });
    expect(s.agents[0]).toMatchObject({ status: 'completed', finished: minute(3), summary: `sent back for rework: ${GATE_FAILED}` });
    expect(s.metrics).toMatchObject({ total_verifications: 1, total_reworks: 1, total_tasks_completed: 0, total_tasks_failed: 0 });
    expect(reworkRate(s.metrics)).toBe(1);
    expect(s.roster.Forge?.tasksCompleted).toBe(0);
  });

  it("keeps the sent-back agent's transcript, model and spend", () => {
    const s = land(working(), verdict(false));
    expect(s.agents[0]).toMatchObject({ transcript: 'ART_tx', model: 'claude-test', spent: { tokens: 150 } });
  });

  it('gives the rework to the same agent even when another has more related experience, with the failures in its input', () => {
    let s = working();
    s = { ...s, roster: { ...s.roster, Byte: { ...(s.roster.Forge as NonNullable<typeof s.roster.Forge>), name: 'Byte', tasksCompleted: 9 } } };
    s = sendBack(s);
    expect(s.agents.map((a) => a.name)).toEqual(['Forge', 'Forge']);
    const agent = s.agents[1];
    if (!agent) throw new Error('test: no agent');
    expect(agentInput(s, agent, taskOf(s, 'TASK_001')).rework).toEqual({ round: 1, failures: [GATE_FAILED] });
    expect(verifyInput(s, taskOf(s, 'TASK_001'), agent, built)?.round).toBe(1);
  });

  it('says which claims do not hold, and cuts long failures and claims short', () => {
    const long = 'x'.repeat(900);
    const s = land(working(), verdict(false, { review: { passed: false, by: 'llm', falseClaims: [long], notes: [] }, failures: [long] }));
    expect(taskOf(s, 'TASK_001').verification).toMatchObject({ review: 'claims do not hold (llm)', falseClaims: ['x'.repeat(300)] });
    expect(taskOf(s, 'TASK_001').feedback).toEqual(['x'.repeat(500)]);
  });

  it('past the rework limit, hands the task to the recovery policy (skip by default)', () => {
    let s = sendBack(working({ maxRework: 1 }));
    s = land(s, verdict(false), built, minute(5));
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'failed', skipped: `verification failed 2 time(s): ${GATE_FAILED}` });
    expect(s.agents[1]).toMatchObject({ status: 'failed', summary: `verification failed 2 time(s): ${GATE_FAILED}`, transcript: 'ART_tx' });
    expect(s.metrics).toMatchObject({ total_verifications: 2, total_reworks: 1, total_tasks_failed: 1 });
    expect(reworkRate(s.metrics)).toBe(0.5);
  });

  it('past the rework limit under retry, a fresh agent starts over without the rework', () => {
    let s = working({ maxRework: 0, recovery: { policy: 'retry' } });
    s = land(s, verdict(false));
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'pending', rework: 0, preferredAgent: undefined, excludeAgents: ['Forge'], freshAgents: 1 });
    s = spawnChosen(s, 'TASK_001', minute(4));
    expect(s.agents.map((a) => a.name)).toEqual(['Forge', 'Byte']);
  });
});

describe('a stale verdict', () => {
  it('is ignored for another agent, or once the task moved on', () => {
    const s = working();
    expect(applyVerification(s, 'TASK_001', 'AGENT_0009', built, verdict(true), minute(3))).toBe(s);
    const sentBack = land(s, verdict(false));
    expect(applyVerification(sentBack, 'TASK_001', 'AGENT_0001', built, verdict(true), minute(4))).toBe(sentBack);
  });
});

describe('reworkRate', () => {
  it('is 0 when nothing was verified', () => {
    expect(reworkRate(freshState().metrics)).toBe(0);
  });
});

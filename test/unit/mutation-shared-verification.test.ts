import { agentOn, agentReport, freshState, minute, plannedTask, planStreams, spawnChosen, target, taskOf } from '../support/reducers';
import type { AgentReport, VerifyWorkResult } from '../../src/shared/activity-types';
import type { OrchestrationState } from '../../src/shared/schemas';
import { applyVerification, markVerifying, verifyInput, verifySummary } from '../../src/shared/verification';

// Exact-result tests for verification: what goes to the verifier, what a verdict leaves on the task and its agent.

const gates = [{ name: 'test', command: 'npm test' }];
const built = (): AgentReport => agentReport('built', { claims: ['tests pass'], transcript: 'ART_tx' });

/** A failed verdict with these failures (no gate output, no diff unless given). */
const failed = (failures: string[], extra: Partial<VerifyWorkResult> = {}): VerifyWorkResult => ({
  passed: false,
  gates: [{ name: 'test', command: 'npm test', passed: false, exitCode: 1, timedOut: false, durationMs: 5, tail: '' }],
  review: { passed: true, by: 'rules', falseClaims: [], notes: [] },
  failures,
  changedFiles: [],
  ...extra,
});

/** TASK_001 works site:1.2 (an agent on it, being verified), TASK_002 free work with its own running agent. */
function working(config: Record<string, unknown> = {}, mission = 'do s12'): OrchestrationState {
  const s = planStreams(freshState({ targets: [target('site', { gates })], ...config }), [plannedTask('s12', { stream: 'site:1.2', mission }), plannedTask('free')]);
  return markVerifying(spawnChosen(spawnChosen(s, 'TASK_001'), 'TASK_002'), 'TASK_001');
}

const land = (s: OrchestrationState, result: VerifyWorkResult) => applyVerification(s, 'TASK_001', agentOn(s, 'TASK_001'), built(), result, minute(3));
const otherAgent = (s: OrchestrationState) => s.agents.find((a) => a.taskId === 'TASK_002');

describe('verifyInput', () => {
  it('sends at most 2000 characters of the mission', () => {
    const s = working({}, 'm'.repeat(2500));
    const input = verifyInput(s, taskOf(s, 'TASK_001'), s.agents[0]!, built());
    expect(input?.mission).toBe('m'.repeat(2000));
  });

  it("sends the objective's budget when it has one, and none otherwise", () => {
    const s = working();
    expect(verifyInput(s, taskOf(s, 'TASK_001'), s.agents[0]!, built())).not.toHaveProperty('budget');
    const budgeted = { ...s, objectives: s.objectives.map((o) => ({ ...o, budget: { maxTokens: 1000 } })) };
    expect(verifyInput(budgeted, taskOf(budgeted, 'TASK_001'), budgeted.agents[0]!, built())?.budget).toEqual({ spentTokens: 0, spentUsd: 0, maxTokens: 1000 });
  });
});

describe('verifySummary', () => {
  it('names the task, its stream in brackets, and the round', () => {
    const s = working();
    expect(verifySummary(taskOf(s, 'TASK_001'), 2)).toBe('verify TASK_001 (site:1.2) · round 2');
    expect(verifySummary(taskOf(s, 'TASK_002'), 0)).toBe('verify TASK_002 · round 0');
  });
});

describe('markVerifying', () => {
  it('flags the task as being verified', () => {
    const s = working();
    expect(taskOf(s, 'TASK_001').verifying).toBe(true);
    expect(taskOf(s, 'TASK_002').verifying).toBeUndefined();
  });
});

describe('applyVerification: the verdict kept on the task', () => {
  it('keeps only gate outputs and the diff that exist as artifacts', () => {
    const s = working();
    expect(taskOf(land(s, failed(['x'])), 'TASK_001').verification?.artifacts).toEqual([]);
    const withBoth = failed(['x'], { diff: 'ART_diff', gates: [{ name: 'test', command: 'npm test', passed: false, exitCode: 1, timedOut: false, durationMs: 5, tail: '', output: 'ART_gate' }] });
    expect(taskOf(land(s, withBoth), 'TASK_001').verification?.artifacts).toEqual(['ART_gate', 'ART_diff']);
  });
});

describe('applyVerification: sent back for rework', () => {
  it('cuts each failure to 500 characters in the feedback and the agent summary', () => {
    const long = 'f'.repeat(600);
    const s = land(working(), failed([long, 'second']));
    expect(taskOf(s, 'TASK_001').feedback).toEqual(['f'.repeat(500), 'second']);
    const summary = s.agents.find((a) => a.taskId === 'TASK_001')?.summary;
    expect(summary).toBe(`sent back for rework: ${'f'.repeat(500)}`.slice(0, 500));
    expect(summary).toHaveLength(500);
  });

  it('keeps the first 20 failures as feedback', () => {
    const failures = Array.from({ length: 25 }, (_, i) => `failure ${i + 1}`);
    const s = land(working(), failed(failures));
    expect(taskOf(s, 'TASK_001').feedback).toEqual(failures.slice(0, 20));
  });

  it('says only that the work was sent back when the verdict lists no failure', () => {
    const s = land(working(), failed([]));
    expect(s.agents.find((a) => a.taskId === 'TASK_001')?.summary).toBe('sent back for rework: ');
  });

  it("leaves every other agent's status, summary and transcript alone", () => {
    const s = working();
    const before = otherAgent(s);
    const after = land(s, failed(['x']));
    expect(otherAgent(after)).toEqual(before);
    expect(before?.status).toBe('running');
  });
});

describe('applyVerification: out of rework rounds', () => {
  it('fails the agent with the failures joined by "; "', () => {
    const s = land(working({ maxRework: 0 }), failed(['gate test failed', 'claim does not hold']));
    expect(s.agents.find((a) => a.taskId === 'TASK_001')?.summary).toBe('verification failed 1 time(s): gate test failed; claim does not hold');
  });

  it('cuts the failure reason to 1000 characters', () => {
    const s = land(working({ maxRework: 0 }), failed(['a'.repeat(500), 'b'.repeat(500), 'c'.repeat(500)]));
    const summary = s.agents.find((a) => a.taskId === 'TASK_001')?.summary;
    expect(summary).toBe(`verification failed 1 time(s): ${'a'.repeat(500)}; ${'b'.repeat(500)}; ${'c'.repeat(500)}`.slice(0, 1000));
    expect(summary).toHaveLength(1000);
  });
});

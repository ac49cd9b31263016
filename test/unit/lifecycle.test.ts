import * as fs from 'node:fs';
import * as path from 'node:path';
import { decide } from '../../src/shared/decisions';
import * as L from '../../src/shared/lifecycle';
import { resolveRecovery } from '../../src/shared/recovery';
import { OrchestrationInput, OrchestrationState, type Task } from '../../src/shared/schemas';
import { resume } from '../../src/shared/state';
import { statusView } from '../../src/shared/status';
import { renderStatus } from '../../src/client/status-text';

// Written by the reducers before typed holds (commit 1390382): four stopped tasks told apart only by `error` text.
const V1 = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/state/v1-holds.json'), 'utf8')) as Record<string, unknown>;
const at = '2026-12-05T11:00:00.000Z';
const byId = (s: OrchestrationState, id: string): Task => s.tasks.find((t) => t.id === id) as Task;

describe('migrating a version-1 state', () => {
  it('is the fixture it claims to be: version 1, sentinels in error, no holds', () => {
    expect(V1.version).toBe(1);
    const tasks = V1.tasks as Record<string, unknown>[];
    expect(tasks.map((t) => [t.status, t.error ?? null, 'hold' in t])).toEqual([
      ['stopped', 'stopped by a person', false],
      ['stopped', 'budget spent', false],
      ['stopped', 'waiting for a decision: build broke', false],
      ['stopped', 'waiting for a person: Llm.Unauthorized: bad key', false],
      ['pending', null, false],
    ]);
  });

  it('turns each sentinel into its typed hold with the decision that frees it, and drops the sentinel text', () => {
    const s = OrchestrationState.parse(V1);
    expect(s.version).toBe(L.STATE_VERSION);
    const kinds = s.decisions.map((d) => [d.id, d.kind, d.status]);
    expect(kinds).toEqual([
      ['DEC_001', 'budget', 'pending'],
      ['DEC_002', 'recovery', 'pending'],
      ['DEC_003', 'escalation', 'pending'],
    ]);
    expect(s.tasks.map((t) => [t.id, t.status, t.hold ?? null, t.error ?? null])).toEqual([
      ['TASK_001', 'stopped', { kind: 'person', reason: 'stopped by a person' }, null],
      ['TASK_002', 'stopped', { kind: 'budget', reason: 'the budget ran out while its agent worked', decisionId: 'DEC_001' }, null],
      ['TASK_003', 'stopped', { kind: 'recovery', reason: 'build broke', decisionId: 'DEC_002' }, null],
      ['TASK_004', 'stopped', { kind: 'escalation', reason: 'Llm.Unauthorized: bad key', decisionId: 'DEC_003' }, null],
      ['TASK_005', 'pending', null, null],
    ]);
  });

  it('migrates the state carried in a continue-as-new input the same way', () => {
    const input = OrchestrationInput.parse({ project: 'v1holds', state: V1 });
    expect(input.state?.tasks.filter((t) => t.hold).map((t) => t.hold?.kind)).toEqual(['person', 'budget', 'recovery', 'escalation']);
  });

  it('resumes under the new code: resume frees all but the recovery hold; the decisions free the rest', () => {
    const s = OrchestrationState.parse(V1);
    const resumed = resume(s);
    expect(resumed.tasks.map((t) => t.status)).toEqual(['pending', 'pending', 'stopped', 'pending', 'pending']);
    const escalation = decide(s, { decisionId: 'DEC_003', choice: 'retry' }, at);
    expect(byId(escalation, 'TASK_004')).toMatchObject({ status: 'pending', agentId: undefined });
    expect(byId(escalation, 'TASK_004').hold).toBeUndefined();
    expect(byId(escalation, 'TASK_001').status).toBe('stopped');
    const raised = decide(s, { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 100_000 } }, at);
    expect(byId(raised, 'TASK_002')).toMatchObject({ status: 'pending' });
    const recovery = s.decisions.find((d) => d.id === 'DEC_002');
    const skipped = resolveRecovery(s, recovery!, 'skip', 'not needed', at);
    expect(byId(skipped, 'TASK_003')).toMatchObject({ status: 'failed', skipped: 'build broke (skipped: not needed)' });
    expect(byId(skipped, 'TASK_003').hold).toBeUndefined();
  });

  it('leaves a current state, and things that are not states, alone', () => {
    const s = OrchestrationState.parse(V1);
    expect(L.migrateState(s)).toBe(s);
    expect(L.migrateState('nope')).toBe('nope');
    expect(OrchestrationState.safeParse({ ...V1, version: 7 }).success).toBe(false);
  });

  it('reads a stopped task with an unknown error, or none, as stopped by a person', () => {
    expect(L.holdFromV1(undefined, () => undefined)).toEqual({ kind: 'person', reason: 'stopped' });
    expect(L.holdFromV1('orchestration stopped', () => 'DEC_9')).toEqual({ kind: 'person', reason: 'orchestration stopped' });
  });
});

describe('the lifecycle', () => {
  const task = (over: Partial<Task> = {}): Task => ({
    id: 'TASK_001', key: 'a', role: 'developer', mission: 'm', successCriteria: [], dependsOn: [], status: 'pending', attempts: 0,
    created: at, source: 'planner', artifacts: [], spent: { tokens: 0, costUsd: 0 }, ...over,
  }) as Task;

  it('every transition keeps "stopped exactly when held"', () => {
    const held = L.holdTask(L.runTask(task(), 'AGENT_0001', at), { kind: 'budget', reason: 'out' });
    expect([held.status, held.hold?.kind, held.error]).toEqual(['stopped', 'budget', undefined]);
    for (const next of [L.releaseTask(held), L.runTask(held, 'AGENT_0002', at), L.completeTask(held, at, 'done'), L.failTask(held, at, 'x'), L.requeueTask(held, { rework: 1 })]) {
      expect([next.status === 'stopped', next.hold]).toEqual([false, undefined]);
    }
    expect(L.runTask(task({ attempts: 2 }), 'AGENT_0003', at)).toMatchObject({ status: 'running', agentId: 'AGENT_0003', attempts: 3, started: at });
    expect(L.failTask(task({ verifying: true }), at, 'why', 'why')).toMatchObject({ status: 'failed', skipped: 'why', verifying: undefined });
  });

  it('tells what each hold waits for', () => {
    const t = (kind: NonNullable<Task['hold']>['kind']) => L.holdTask(task(), { kind, reason: 'r' });
    expect(['person', 'budget', 'escalation', 'recovery'].map((k) => [L.heldForPerson(t(k as never)), L.freedByResume(t(k as never))])).toEqual([
      [false, true],
      [false, true],
      [true, true],
      [true, false],
    ]);
    expect(L.isHeld(task(), 'person')).toBe(false);
    expect(L.holdText({ kind: 'recovery', reason: 'build broke', decisionId: 'DEC_002' })).toBe('waiting for a decision (DEC_002): build broke');
    expect(L.holdText({ kind: 'person', reason: 'stopped by a person' })).toBe('stopped: stopped by a person');
  });

  it('status text reads the typed hold, not error text', () => {
    const text = renderStatus(statusView(OrchestrationState.parse(V1)));
    expect(text).toContain('waiting for a decision (DEC_002): build broke');
    expect(text).toContain('waiting for a person (DEC_003): Llm.Unauthorized: bad key');
    expect(text).toContain('budget spent (DEC_001)');
  });
});

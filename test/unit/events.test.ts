import { decide, escalate } from '../../src/shared/decisions';
import {
  appendEvents,
  BatonEvent,
  EVENT_LOG_SIZE,
  type EventBody,
  emptyEventLog,
  eventsAfter,
  eventsBetween,
  markPublished,
  recordEvents,
  unpublished,
  withEventLog,
} from '../../src/shared/events';
import { subjectFor, subjectToken } from '../../src/events/subjects';
import { asChild } from '../../src/shared/delegation';
import { leadPath } from '../../src/shared/events';
import type { OrchestrationState } from '../../src/shared/schemas';
import * as S from '../../src/shared/state';
import { applyVerification } from '../../src/shared/verification';
import { agentReport, freshState, minute, plannedTask, spawnChosen } from '../support/reducers';

/** Applies changes the way the workflow's `set()` does, so every transition goes through recordEvents. */
function run(start: OrchestrationState, ...steps: ((s: OrchestrationState) => OrchestrationState)[]): OrchestrationState {
  let s = withEventLog(start, minute(0));
  steps.forEach((step, i) => (s = recordEvents(s, step(s), minute(i + 1))));
  return s;
}
const types = (s: OrchestrationState) => (s.events?.events ?? []).map((e) => e.type);
const ofType = <T extends BatonEvent['type']>(s: OrchestrationState, type: T) =>
  (s.events?.events ?? []).filter((e): e is Extract<BatonEvent, { type: T }> => e.type === type);

const initial = () => S.initialState('bakery', freshState().config, minute(0));
const newSession = (s: OrchestrationState) => S.beginSession(S.setPhase(s, 'context'), minute(1));
const addAndPlan = (s: OrchestrationState) => {
  const added = S.addObjective(s, { description: 'Build the menu page' }, minute(1));
  return S.markPlanning(added.state, [added.objective.id]);
};
const plan = (s: OrchestrationState) => S.applyPlan(s, 'OBJ_001', [plannedTask('menu', { role: 'developer' }), plannedTask('review', { role: 'reviewer', dependsOn: ['menu'] })], minute(1));
const finish = (taskId: string) => (s: OrchestrationState) => S.finishTask(s, taskId, s.tasks.find((t) => t.id === taskId)?.agentId ?? '', agentReport(`${taskId} done`), minute(2));
const phase = (p: OrchestrationState['phase']) => (s: OrchestrationState) => S.setPhase(s, p);

describe('events of a whole session', () => {
  const s = run(
    initial(),
    newSession,
    addAndPlan,
    phase('planning'),
    plan,
    (x) => spawnChosen(x, 'TASK_001'),
    phase('orchestrating'),
    finish('TASK_001'),
    (x) => spawnChosen(x, 'TASK_002'),
    finish('TASK_002'),
    phase('synthesis'),
    phase('preservation'),
    phase('idle'),
  );

  test('are told in the order they happened, with ordinals 1, 2, 3, … and no gaps', () => {
    expect(types(s)).toEqual([
      'orchestration.started',
      'phase.entered', // 1 context
      'objective.added',
      'phase.completed',
      'phase.entered', // 2 planning
      'objective.planned',
      'agent.spawned',
      'phase.completed',
      'phase.entered', // 3 orchestrating
      'agent.completed',
      'agent.spawned',
      'agent.completed',
      'objective.completed',
      'phase.completed',
      'phase.entered', // 4
      'phase.completed',
      'phase.entered', // 5
      'phase.completed',
      'phase.entered', // idle
    ]);
    expect(s.events?.events.map((e) => e.ordinal)).toEqual(s.events?.events.map((_, i) => i + 1));
    expect(s.events?.next).toBe(s.events!.events.length + 1);
  });

  test('match the documented schema and stay small', () => {
    for (const e of s.events!.events) {
      expect(BatonEvent.parse(e)).toEqual(e);
      expect(JSON.stringify(e).length).toBeLessThan(600);
    }
  });

  test('phases: all five entered and completed in order, then idle, each with its number', () => {
    const entered = ofType(s, 'phase.entered').map((e) => e.number ?? e.phase);
    expect(entered).toEqual([1, 2, 3, 4, 5, 'idle']);
    expect(ofType(s, 'phase.completed').map((e) => e.number)).toEqual([1, 2, 3, 4, 5]);
    expect(ofType(s, 'phase.entered').every((e) => e.session === 1)).toBe(true);
  });

  test('agents: who, which task, the mission, and the spend when they finish', () => {
    const [spawned] = ofType(s, 'agent.spawned');
    expect(spawned).toMatchObject({ taskId: 'TASK_001', role: 'developer', mission: 'do menu', simulated: true, attempt: 1, project: 'bakery' });
    expect(ofType(s, 'agent.completed')[0]).toMatchObject({ taskId: 'TASK_001', name: spawned?.name, summary: 'TASK_001 done', costUsd: 0, tokens: 0 });
    expect(ofType(s, 'objective.planned')[0]).toMatchObject({ objectiveId: 'OBJ_001', tasks: 2 });
  });
});

test('a phase the session passes over is still told, as skipped, so a reader sees all five in order', () => {
  const s = run(initial(), newSession, phase('orchestrating'), phase('synthesis'), phase('preservation'), phase('idle'));
  const phases = ofType(s, 'phase.entered').map((e) => `${e.number ?? e.phase}${e.skipped ? ' skipped' : ''}`);
  expect(phases).toEqual(['1', '2 skipped', '3', '4', '5', 'idle']);
});

test('a second session enters phase 1 again, with its own session number', () => {
  const s = run(initial(), newSession, phase('idle'), newSession);
  const last = s.events!.events.at(-1);
  expect(last).toMatchObject({ type: 'phase.entered', phase: 'context', number: 1, session: 2 });
});

test('stop, resume and decisions: raised, answered with the time waited, and a budget decision is also a budget event', () => {
  const planned = run(initial(), newSession, addAndPlan, plan);
  const budgetDecision = (x: OrchestrationState): OrchestrationState => ({
    ...x,
    counters: { ...x.counters, decision: 1 },
    decisions: [{ id: 'DEC_001', question: 'The budget is spent: raise it or stop?', rationale: 'r', status: 'pending', created: minute(3), session: 1, kind: 'budget' }],
  });
  const s = run(
    planned,
    budgetDecision,
    (x) => decide(x, { decisionId: 'DEC_001', choice: 'stop' }, minute(8)),
    (x) => S.resume(x),
    (x) => S.requestStop(x, { graceful: true }, minute(9)).state,
  );
  expect(ofType(s, 'decision.raised')[0]).toMatchObject({ decisionId: 'DEC_001', kind: 'budget' });
  expect(ofType(s, 'budget')).toHaveLength(1);
  expect(ofType(s, 'decision.answered')[0]).toMatchObject({ decisionId: 'DEC_001', choice: 'stop', waitedMs: 5 * 60_000 });
  expect(ofType(s, 'stop').map((e) => e.graceful)).toEqual([false, true]);
  expect(types(s).slice(-2)).toEqual(['orchestration.resumed', 'stop']);
});

test('an escalation is a decision and a blocker; a failed verification is a verification event and a rework', () => {
  let s = run(initial(), newSession, addAndPlan, plan, (x) => spawnChosen(x, 'TASK_001'));
  const agentId = s.tasks[0]?.agentId ?? '';
  const verdict = { passed: false, gates: [{ name: 'test', passed: false, output: undefined }], review: { passed: true, falseClaims: [], by: 'rules' }, failures: ['gate test failed'] };
  s = recordEvents(s, applyVerification(s, 'TASK_001', agentId, agentReport(), verdict as never, minute(5)), minute(5));
  expect(types(s).slice(-3)).toEqual(['verification.failed', 'rework', 'agent.completed']);
  expect(ofType(s, 'rework')[0]).toMatchObject({ taskId: 'TASK_001', round: 1, reason: 'gate test failed' });
  s = recordEvents(s, spawnChosen(s, 'TASK_001', minute(6)), minute(6));
  expect(ofType(s, 'agent.spawned').at(-1)).toMatchObject({ taskId: 'TASK_001', rework: 1, attempt: 2 });
  s = recordEvents(s, escalate(s, 'TASK_001', 'API key rejected', minute(7)), minute(7));
  expect(types(s).slice(-3)).toEqual(['decision.raised', 'blocker', 'agent.failed']);
  expect(ofType(s, 'blocker')[0]?.reason).toContain('API key rejected');
  expect(ofType(s, 'blocker')[0]).toMatchObject({ taskId: 'TASK_001', decisionId: 'DEC_001' });
});

test('a change that moves nothing a reader cares about adds no event', () => {
  const s = run(initial(), newSession);
  expect(eventsBetween(s, { ...s, sessionStarted: minute(9) })).toEqual([]);
  expect(recordEvents(s, s, minute(9))).toBe(s);
  expect(eventsBetween(s, markPublished(s, 1))).toEqual([]);
});

test('a state that already has a log keeps it (continue-as-new); one without starts it with orchestration.started', () => {
  const s = run(initial(), newSession);
  expect(withEventLog(s, minute(5))).toBe(s);
  expect(withEventLog(initial(), minute(0)).events?.events).toEqual([expect.objectContaining({ type: 'orchestration.started', ordinal: 1, session: 0 })]);
  // Objectives it was started with are told too; ones an imported context already finished are not.
  const started = S.addObjective(S.addObjective(initial(), { description: 'first' }, minute(0)).state, { description: 'second' }, minute(0)).state;
  const done = { ...started, objectives: started.objectives.map((o, i) => (i === 0 ? { ...o, status: 'completed' as const } : o)) };
  expect(withEventLog(done, minute(0)).events?.events.map((e) => e.type)).toEqual(['orchestration.started', 'objective.added']);
});

describe('the bounded log', () => {
  const bodies = (n: number): EventBody[] => Array.from({ length: n }, (_, i) => ({ type: 'objective.completed', objectiveId: `OBJ_${i}` }));
  const where = { at: minute(0), project: 'p', session: 1 };
  const log = appendEvents(emptyEventLog(), bodies(EVENT_LOG_SIZE + 50), where);

  test('keeps the last EVENT_LOG_SIZE events and the next ordinal', () => {
    expect(log.events).toHaveLength(EVENT_LOG_SIZE);
    expect(log.events[0]?.ordinal).toBe(51);
    expect(log.next).toBe(EVENT_LOG_SIZE + 51);
  });

  test('a reader that fell behind is told how many it missed; one up to date gets nothing and misses nothing', () => {
    expect(eventsAfter(log, 10)).toMatchObject({ missed: 40 });
    expect(eventsAfter(log, 10).events[0]?.ordinal).toBe(51);
    expect(eventsAfter(log, 100)).toMatchObject({ missed: 0 });
    expect(eventsAfter(log, 100).events[0]?.ordinal).toBe(101);
    expect(eventsAfter(log, log.next - 1)).toEqual({ events: [], next: log.next, missed: 0 });
    expect(eventsAfter(log, 100, 5).events.map((e) => e.ordinal)).toEqual([101, 102, 103, 104, 105]);
    expect(eventsAfter(undefined, 0)).toEqual({ events: [], next: 1, missed: 0 });
  });

  test('the publisher takes unpublished events in batches and marks them', () => {
    const s = { ...run(initial(), newSession), events: log };
    expect(unpublished(s.events, 10).map((e) => e.ordinal)).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    const after = markPublished(s, 60);
    expect(unpublished(after.events, 1)[0]?.ordinal).toBe(61);
    expect(markPublished(after, 30)).toBe(after);
  });
});

describe('NATS subjects', () => {
  const s = run(
    initial(),
    newSession,
    addAndPlan,
    plan,
    (x) => spawnChosen(x, 'TASK_001'),
    finish('TASK_001'),
    (x) => S.requestStop(x, {}, minute(9)).state,
  );
  const subjects = s.events!.events.map(subjectFor);

  test("follow seed 003: baton.<project>.orchestration.started, phase.<n>, agent.<name>.complete, stop", () => {
    const name = ofType(s, 'agent.completed')[0]?.name ?? '';
    expect(subjects).toEqual(
      expect.arrayContaining([
        'baton.bakery.orchestration.started',
        'baton.bakery.phase.1',
        'baton.bakery.objective.added',
        `baton.bakery.agent.${name}.spawned`,
        `baton.bakery.agent.${name}.complete`,
        'baton.bakery.stop',
      ]),
    );
  });

  test('a project or agent name with dots, spaces or wildcards cannot split or widen a subject', () => {
    expect(subjectToken('my.project')).toBe('my_project');
    expect(subjectToken('a b*>')).toBe('a_b__');
    expect(subjectToken('')).toBe('_');
    const e = { ...s.events!.events[0]!, project: 'acme.web' };
    expect(subjectFor(e)).toBe('baton.acme_web.orchestration.started');
  });
});

describe("a lead's child orchestration", () => {
  const child = (workflowId: string, taskId: string, depth: number) =>
    asChild(freshState(), { parent: { workflowId, taskId, depth }, roster: {} });

  test('marks its events with its lead path, from the root down, and the root marks none', () => {
    const root = withEventLog(freshState(), minute(0));
    expect(root.events!.events.every((e) => e.lead === undefined)).toBe(true);
    const project = root.project;
    const first = withEventLog(child(`baton/${project}`, 'TASK_003', 1), minute(0));
    expect(first.events!.events.map((e) => e.lead)).toEqual(first.events!.events.map(() => 'TASK_003'));
    const grand = child(`baton/${project}/TASK_003`, 'TASK_001', 2);
    expect(leadPath(grand)).toBe('TASK_003/TASK_001');
    const later = recordEvents(withEventLog(grand, minute(0)), S.setPhase(grand, 'planning'), minute(1));
    expect(later.events!.events.at(-1)).toMatchObject({ type: 'phase.entered', lead: 'TASK_003/TASK_001' });
    expect(BatonEvent.parse(later.events!.events.at(-1))).toMatchObject({ lead: 'TASK_003/TASK_001' });
  });

  test('publishes below its lead path, so the root\'s subjects stay the root\'s', () => {
    const grand = withEventLog(child(`baton/${freshState().project}/TASK_003`, 'TASK_001', 2), minute(0));
    const started = grand.events!.events[0]!;
    expect(subjectFor({ ...started, project: 'bakery' })).toBe('baton.bakery.lead.TASK_003_TASK_001.orchestration.started');
    const phase = recordEvents(grand, S.setPhase(grand, 'planning'), minute(1)).events!.events.at(-1)!;
    expect(subjectFor({ ...phase, project: 'bakery' })).toBe('baton.bakery.lead.TASK_003_TASK_001.phase.2');
  });
});

import { progressText } from '../../src/client/watch';
import { applyEvent, emptyView, narrate, newNarration, renderView } from '../../src/client/watch-view';
import { type BatonEvent, type EventBody } from '../../src/shared/events';

let ordinal = 0;
const ev = (body: EventBody, at = '2026-01-01T10:00:00.000Z', session = 1): BatonEvent => ({ ordinal: ++ordinal, at, project: 'bakery', session, ...body }) as BatonEvent;
const agent = { agentId: 'AGENT_0001', name: 'Aria', role: 'researcher', taskId: 'TASK_001' };

function tell(events: BatonEvent[]): string[] {
  let n = newNarration();
  return events.flatMap((e) => {
    const r = narrate(n, e);
    n = r.narration;
    return r.lines;
  });
}

beforeEach(() => (ordinal = 0));

test('each phase is announced once per session, in the order entered; a skipped one says so', () => {
  const lines = tell([
    ev({ type: 'phase.entered', phase: 'context', number: 1 }),
    ev({ type: 'phase.completed', phase: 'context', number: 1 }),
    ev({ type: 'phase.entered', phase: 'planning', number: 2 }),
    ev({ type: 'phase.entered', phase: 'orchestrating', number: 3 }),
    ev({ type: 'phase.entered', phase: 'planning', number: 2 }),
    ev({ type: 'phase.entered', phase: 'orchestrating', number: 3 }),
    ev({ type: 'phase.entered', phase: 'context', number: 1 }, undefined, 2),
    ev({ type: 'phase.entered', phase: 'planning', number: 2, skipped: true }, undefined, 2),
  ]);
  expect(lines).toEqual([
    '>>> 1 Context establishment (session 1)',
    '>>> 2 Strategic planning (session 1)',
    '>>> 3 Agent orchestration (session 1)',
    '>>> 1 Context establishment (session 2)',
    '>>> 2 Strategic planning (session 2) — nothing to do',
  ]);
});

test('agents, rework and decisions read the way the demo always printed them', () => {
  const lines = tell([
    ev({ type: 'agent.spawned', ...agent, mission: 'Research the menu', runtime: 'scripted', simulated: true, attempt: 1 }),
    ev({ type: 'verification.failed', taskId: 'TASK_001', reason: 'gate test failed' }),
    ev({ type: 'rework', taskId: 'TASK_001', round: 1, reason: 'gate test failed' }),
    ev({ type: 'agent.completed', ...agent, costUsd: 0, tokens: 0, summary: 'sent back for rework: gate test failed' }),
    ev({ type: 'agent.spawned', ...agent, agentId: 'AGENT_0002', mission: 'Research the menu', runtime: 'scripted', simulated: true, attempt: 2, rework: 1, stream: 'site:1.2' }),
    ev({ type: 'agent.completed', ...agent, agentId: 'AGENT_0002', costUsd: 0.0123, tokens: 1500, summary: 'Menu researched' }),
    ev({ type: 'decision.raised', decisionId: 'DEC_001', kind: 'recovery', question: 'TASK_004 (api:1.2) failed: retry or skip?', taskId: 'TASK_004' }),
    ev({ type: 'decision.answered', decisionId: 'DEC_001', kind: 'recovery', choice: 'skip', waitedMs: 1500 }),
  ]);
  expect(lines).toEqual([
    '▶ Aria (researcher) [simulated] started TASK_001: Research the menu',
    '  TASK_001: verification failed: gate test failed',
    '↺ TASK_001 sent back for rework 1: gate test failed',
    '  Aria (researcher) handed TASK_001 back for rework',
    '▶ Aria (researcher) [simulated] started TASK_001 (site:1.2): Research the menu (rework 1)',
    '✓ Aria (researcher) completed TASK_001: Menu researched [1500 tokens, $0.0123]',
    '? decision DEC_001 waits for a person: TASK_004 (api:1.2) failed: retry or skip?',
    '  decision DEC_001 (recovery): skip — answered after 1.5s',
  ]);
});

test('the live view: phases with start and end, running agents, finished spend, waiting decisions, and gaps in the ordinals', () => {
  let v = emptyView();
  const t = (s: number) => `2026-01-01T10:00:${String(s).padStart(2, '0')}.000Z`;
  v = applyEvent(v, ev({ type: 'phase.entered', phase: 'context', number: 1 }, t(0)));
  v = applyEvent(v, ev({ type: 'phase.completed', phase: 'context', number: 1 }, t(2)));
  v = applyEvent(v, ev({ type: 'phase.entered', phase: 'orchestrating', number: 3 }, t(2)));
  v = applyEvent(v, ev({ type: 'agent.spawned', ...agent, mission: 'Research', runtime: 'anthropic', simulated: false, attempt: 1 }, t(3)));
  v = applyEvent(v, ev({ type: 'agent.spawned', ...agent, agentId: 'AGENT_0002', name: 'Byte', mission: 'Build', runtime: 'anthropic', simulated: false, attempt: 1 }, t(3)));
  v = applyEvent(v, ev({ type: 'agent.completed', ...agent, costUsd: 0.5, tokens: 1000, summary: 'ok' }, t(9)));
  v = applyEvent(v, ev({ type: 'decision.raised', decisionId: 'DEC_001', kind: 'budget', question: 'Raise the budget?' }, t(9)));
  ordinal += 3;
  v = applyEvent(v, ev({ type: 'objective.added', objectiveId: 'OBJ_002', description: 'More' }, t(10)));
  expect(v.phases).toEqual([
    { phase: 'context', number: 1, started: t(0), ended: t(2) },
    { phase: 'orchestrating', number: 3, started: t(2) },
  ]);
  expect(Object.keys(v.running)).toEqual(['AGENT_0002']);
  expect(v.spent).toEqual({ costUsd: 0.5, tokens: 1000 });
  expect(Object.keys(v.pendingDecisions)).toEqual(['DEC_001']);
  expect(v.missed).toBe(3);
  const screen = renderView({ ...v, running: { AGENT_0002: { ...v.running.AGENT_0002!, progress: 'turn 3, 4200 tokens so far' } } }, Date.parse(t(20)));
  expect(screen).toContain('session 1 · event 11 · 3 missed');
  expect(screen).toMatch(/1 Context establishment\s+10:00:00 → 10:00:02\s+2\.0s/);
  expect(screen).toMatch(/3 Agent orchestration\s+10:00:02 → …\s+running 18\.0s/);
  expect(screen).toContain('Byte (researcher) AGENT_0002 on TASK_001, 17.0s · turn 3, 4200 tokens so far: Build');
  expect(screen).toContain('Spent by finished agents: $0.5000, 1000 tokens');
  expect(screen).toContain('DEC_001 (budget): Raise the budget?');
  expect(screen).toContain('+ objective OBJ_002: More');
});

test('heartbeat details in a few words, per runtime', () => {
  expect(progressText({ task: 'menu', doneMs: 250, totalMs: 1000 })).toBe('25% done');
  expect(progressText({ turn: 3, inputTokens: 4000, outputTokens: 200 }, 2)).toBe('turn 3, 4200 tokens so far (attempt 2)');
  expect(progressText({ step: 'diff' })).toBe('diff');
  expect(progressText(undefined)).toBeUndefined();
  expect(progressText('weird', 3)).toBe('(attempt 3)');
});

test('a worker running code from before events is named as the cause, not a bare rejection', async () => {
  const { BatonError } = await import('../../src/client/baton-client');
  const { waitEvents } = await import('../../src/client/watch');
  const old = { update: () => Promise.reject(new BatonError('waitEvents rejected: No registered handler for update: waitEvents')) };
  await expect(waitEvents(old as never, 'demo', 0, 1000)).rejects.toThrow('the worker running project demo has no event log (it runs Baton code from before events): restart it');
  const other = { update: () => Promise.reject(new BatonError('waitEvents rejected: afterOrdinal: afterOrdinal must be ≥ 0')) };
  await expect(waitEvents(other as never, 'demo', -1, 1000)).rejects.toThrow('afterOrdinal must be ≥ 0');
});

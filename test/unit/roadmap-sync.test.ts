import { agentOn, agentReport, freshState, minute, planObjective, plannedTask, planStreams, spawnChosen, target } from '../support/reducers';
import type { GardenRoadmapResult, VerifyWorkResult } from '../../src/shared/activity-types';
import { recordAgentReport } from '../../src/shared/agent-results';
import { taskFailed } from '../../src/shared/recovery';
import {
  applyGarden,
  devLogEntries,
  gardenFailed,
  gardenInput,
  gardenKey,
  msUntilGarden,
  roadmapUpdates,
} from '../../src/shared/roadmap-sync';
import type { OrchestrationState } from '../../src/shared/schemas';
import { completeTask, recordInsight } from '../../src/shared/state';
import { applyVerification } from '../../src/shared/verification';

const site = (config: Record<string, unknown> = {}) => freshState({ targets: [target('site')], ...config });
const stream = (ref: string, mission = `${ref} work`) => plannedTask(`s${ref.replace(/\D/g, '')}`, { stream: ref, mission });
const finish = (s: OrchestrationState, taskId: string, summary = 'done', now = minute(2)) =>
  recordAgentReport(s, taskId, agentOn(s, taskId), agentReport(summary), now);
const passed: VerifyWorkResult = { passed: true, gates: [], review: { passed: true, by: 'rules', falseClaims: [], notes: [] }, failures: [], changedFiles: [] };
const failedGate: VerifyWorkResult = { ...passed, passed: false, failures: ['gate test failed'] };
const health = (open = 0): GardenRoadmapResult => ({
  targets: [{ target: 'site', file: '/repo/site/ROADMAP.md', issues: [], available: [], inProgress: [], complete: [], blocked: [], changes: [] }],
  open: Array.from({ length: open }, (_, i) => ({ ref: `site:9.${i}`, title: `s${i}`, status: 'available' as const })),
  devLogWritten: 0,
});

/** site:1.1 running (Forge), 1.2 completed by Byte, 1.3 completed by a person, 1.4 skipped, 1.5 pending. */
function everyKind(): OrchestrationState {
  let s = planStreams(site(), ['1.1', '1.2', '1.3', '1.4', '1.5'].map((id) => stream(`site:${id}`)));
  s = spawnChosen(spawnChosen(s, 'TASK_001'), 'TASK_002');
  s = finish(s, 'TASK_002', 'Pricing page live');
  s = completeTask(s, { taskId: 'TASK_003', outcome: 'done by hand' }, minute(3)).state;
  s = spawnChosen(s, 'TASK_004');
  s = taskFailed(s, 'TASK_004', agentOn(s, 'TASK_004'), 'tests crash', minute(4));
  return s;
}

describe('roadmapUpdates', () => {
  it('says in progress with the owner, complete with who did it, and blocked for a skipped stream', () => {
    expect(roadmapUpdates(everyKind())).toEqual([
      { ref: 'site:1.1', status: 'in progress', owner: 'Forge' },
      { ref: 'site:1.2', status: 'complete', owner: 'Byte' },
      { ref: 'site:1.3', status: 'complete', owner: 'a person' },
      { ref: 'site:1.4', status: 'blocked', note: 'skipped: tests crash' },
    ]);
  });

  it('follows the latest task of a stream', () => {
    let s = spawnChosen(planStreams(site(), [stream('site:1.1')]), 'TASK_001');
    s = taskFailed(s, 'TASK_001', agentOn(s, 'TASK_001'), 'tests crash', minute(2));
    expect(roadmapUpdates(s)).toEqual([{ ref: 'site:1.1', status: 'blocked', note: 'skipped: tests crash' }]);
    s = spawnChosen(planStreams(s, [stream('site:1.1')]), 'TASK_002', minute(3));
    expect(roadmapUpdates(s)).toEqual([{ ref: 'site:1.1', status: 'in progress', owner: 'Forge' }]);
  });

  it('says nothing about work outside the roadmaps', () => {
    expect(roadmapUpdates(spawnChosen(planObjective(site(), [plannedTask('free')]), 'TASK_001'))).toEqual([]);
  });
});

describe('devLogEntries', () => {
  it('logs each completed task in a target once, titled without its ref, with who did it and how it was verified', () => {
    let s = planStreams(site({ maxRework: 2 }), [stream('site:1.1', 'site:1.1 Build the pricing page\n\nwith three tiers'), stream('site:1.2'), stream('site:1.3')]);
    s = planObjective(s, [plannedTask('free')]);
    s = spawnChosen(s, 'TASK_001');
    s = applyVerification(s, 'TASK_001', 'AGENT_0001', agentReport('v1'), failedGate, minute(2));
    s = spawnChosen(s, 'TASK_001', minute(3));
    s = applyVerification(s, 'TASK_001', agentOn(s, 'TASK_001'), agentReport('Pricing page live'), passed, minute(4));
    s = completeTask(s, { taskId: 'TASK_002', outcome: 'done by hand' }, minute(5)).state;
    s = finish(spawnChosen(s, 'TASK_004'), 'TASK_004');
    expect(devLogEntries(s)).toEqual([
      {
        target: 'site',
        taskId: 'TASK_001',
        ref: 'site:1.1',
        title: 'Build the pricing page',
        agent: 'Forge',
        completed: minute(4),
        verification: 'verified',
        rework: 1,
        summary: 'Pricing page live',
      },
      {
        target: 'site',
        taskId: 'TASK_002',
        ref: 'site:1.2',
        title: 'work',
        agent: 'a person',
        completed: minute(5),
        verification: 'completed by a person',
        rework: 0,
        summary: 'done by hand',
      },
    ]);
  });
});

describe('gardening', () => {
  it('sends every target, what state says, the held streams and what to log', () => {
    const s = everyKind();
    const input = gardenInput(s);
    expect(input).toMatchObject({ project: 'demo', targets: [{ name: 'site', path: '/repo/site' }], updates: roadmapUpdates(s) });
    expect(input.held).toEqual(['site:1.1', 'site:1.5']);
    expect(input.devLog.map((e) => e.taskId)).toEqual(['TASK_002', 'TASK_003']);
  });

  it('keeps the same key while nothing the roadmaps show changes, and a new one when a stream moves', () => {
    const s = everyKind();
    const key = gardenKey(gardenInput(s));
    expect(gardenKey(gardenInput(recordInsight(s, { text: 'unrelated' }, minute(5))))).toBe(key);
    expect(gardenKey(gardenInput(spawnChosen(s, 'TASK_005', minute(5))))).not.toBe(key);
    expect(gardenKey(gardenInput(finish(s, 'TASK_001', 'done', minute(5))))).not.toBe(key);
  });

  it('marks what was sent as logged, so the next garden has nothing new to do', () => {
    const s = everyKind();
    const sent = gardenInput(s);
    const after = applyGarden(s, sent, health(), minute(6));
    expect(after.tasks.filter((t) => t.logged).map((t) => t.id)).toEqual(['TASK_002', 'TASK_003']);
    expect(devLogEntries(after)).toEqual([]);
    expect(gardenKey(gardenInput(after))).toBe(gardenKey(sent));
  });

  it('logs a task completed while the garden ran on the next call', () => {
    const s = everyKind();
    const sent = gardenInput(s);
    const after = applyGarden(finish(s, 'TASK_001', 'done', minute(5)), sent, health(), minute(6));
    expect(devLogEntries(after).map((e) => e.taskId)).toEqual(['TASK_001']);
    expect(gardenKey(gardenInput(after))).not.toBe(gardenKey(sent));
  });

  it('records the health check, keeping at most 50 open streams, and keeps it when gardening fails', () => {
    const s = applyGarden(everyKind(), gardenInput(everyKind()), health(60), minute(6));
    expect(s.roadmap?.checked).toBe(minute(6));
    expect(s.roadmap?.targets).toEqual(health().targets);
    expect(s.roadmap?.open).toHaveLength(50);
    const failed = gardenFailed(s, 'ROADMAP.md: permission denied', minute(7));
    expect(failed.roadmap).toEqual({ checked: minute(7), targets: health().targets, open: s.roadmap?.open, error: 'ROADMAP.md: permission denied' });
  });
});

describe('msUntilGarden', () => {
  it('is due at once before the first garden, then every gardenEverySeconds; never without targets', () => {
    expect(msUntilGarden(freshState(), Date.parse(minute(1)))).toBeUndefined();
    const s = site({ gardenEverySeconds: 600 });
    expect(msUntilGarden(s, Date.parse(minute(1)))).toBe(0);
    const gardened = applyGarden(s, gardenInput(s), health(), minute(1));
    expect(msUntilGarden(gardened, Date.parse(minute(4)))).toBe(7 * 60_000);
    expect(msUntilGarden(gardened, Date.parse(minute(30)))).toBe(0);
  });
});

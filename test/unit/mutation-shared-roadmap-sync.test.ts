import { devLogEntries, gardenFailed, roadmapUpdates } from '../../src/shared/roadmap-sync';
import type { Task } from '../../src/shared/schemas';
import { minute } from '../support/reducers';
import { agentItem, stateWith, taskItem } from '../support/state-items';

// What the roadmap files are told about each stream and each finished task, built from plain state items inside each test.

const verdict = (passed: boolean): Task['verification'] => ({ passed, gates: [], falseClaims: [], review: '', artifacts: [] });
/** A completed task in target `site` that has not been logged yet, with any fields overridden. */
const doneInSite = (id: string, extra: Partial<Task> = {}): Task => taskItem(id, { target: 'site', status: 'completed', completed: minute(2), outcome: 'done', ...extra });

describe('roadmapUpdates for failed streams', () => {
  it('says nothing about a stream whose task failed without being skipped', () => {
    const s = stateWith({ tasks: [taskItem('TASK_001', { stream: 'site:1.1', status: 'failed' })] });
    expect(roadmapUpdates(s)).toEqual([]);
  });

  it("cuts a skipped stream's note at 200 characters, 'skipped: ' included", () => {
    const s = stateWith({ tasks: [taskItem('TASK_001', { stream: 'site:1.1', status: 'failed', skipped: 'x'.repeat(300) })] });
    expect(roadmapUpdates(s)).toEqual([{ ref: 'site:1.1', status: 'blocked', note: `skipped: ${'x'.repeat(191)}` }]);
  });
});

describe('devLogEntries', () => {
  it('logs a completed task with no completion time or outcome with both empty', () => {
    const s = stateWith({ tasks: [doneInSite('TASK_001', { completed: undefined, outcome: undefined })] });
    expect(devLogEntries(s)).toEqual([
      { target: 'site', taskId: 'TASK_001', title: 'do TASK_001', agent: 'a person', completed: '', verification: 'completed by a person', rework: 0, summary: '' },
    ]);
  });

  it('says verified, not verified, or completed by a person from the last verification', () => {
    const s = stateWith({
      tasks: [doneInSite('TASK_001', { verification: verdict(true) }), doneInSite('TASK_002', { verification: verdict(false) }), doneInSite('TASK_003')],
    });
    expect(devLogEntries(s).map((e) => [e.taskId, e.verification])).toEqual([
      ['TASK_001', 'verified'],
      ['TASK_002', 'not verified'],
      ['TASK_003', 'completed by a person'],
    ]);
  });

  it("cuts the summary at the outcome's first 500 characters", () => {
    const s = stateWith({ tasks: [doneInSite('TASK_001', { outcome: `${'o'.repeat(500)}MORE` })] });
    expect(devLogEntries(s)[0]?.summary).toBe('o'.repeat(500));
  });

  it("names the agent who did it, and a person when the task's agent is unknown", () => {
    const s = stateWith({
      tasks: [doneInSite('TASK_001', { agentId: 'AGENT_0001' }), doneInSite('TASK_002', { agentId: 'AGENT_0009' })],
      agents: [agentItem('AGENT_0001', { name: 'Forge', status: 'completed' })],
    });
    expect(devLogEntries(s).map((e) => e.agent)).toEqual(['Forge', 'a person']);
  });
});

describe('dev-log titles', () => {
  it("keeps a stream task's whole first line when it does not start with the stream's ref", () => {
    const s = stateWith({ tasks: [doneInSite('TASK_001', { stream: 'site:1.2', mission: 'Build the menu listing\nwith prices' })] });
    expect(devLogEntries(s)[0]).toMatchObject({ ref: 'site:1.2', title: 'Build the menu listing' });
  });

  it("drops the ref and the space after it when the first line starts with the stream's ref", () => {
    const s = stateWith({ tasks: [doneInSite('TASK_001', { stream: 'site:1.2', mission: 'site:1.2 Menu listing\ndetails' })] });
    expect(devLogEntries(s)[0]).toMatchObject({ ref: 'site:1.2', title: 'Menu listing' });
  });

  it('cuts a long title at 120 characters', () => {
    const s = stateWith({ tasks: [doneInSite('TASK_001', { stream: 'site:1.2', mission: `site:1.2 ${'t'.repeat(120)}MORE` }), doneInSite('TASK_002', { mission: `${'u'.repeat(120)}MORE` })] });
    expect(devLogEntries(s).map((e) => e.title)).toEqual(['t'.repeat(120), 'u'.repeat(120)]);
  });
});

describe('gardenFailed', () => {
  it('keeps the last health check and cuts the reason at 500 characters', () => {
    const targets = [{ target: 'site', file: '/repo/site/ROADMAP.md', issues: [], available: [], inProgress: [], complete: [], blocked: [], changes: [] }];
    const s = stateWith({ roadmap: { checked: minute(1), targets, open: [{ ref: 'site:1.1', title: 'Menu', status: 'available' }] } });
    expect(gardenFailed(s, `${'e'.repeat(500)}MORE`, minute(5)).roadmap).toEqual({
      checked: minute(5),
      targets,
      open: [{ ref: 'site:1.1', title: 'Menu', status: 'available' }],
      error: 'e'.repeat(500),
    });
  });
});

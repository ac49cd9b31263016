import { MAX_MISSION, streamMission } from '../../src/roadmap/mission';
import type { StreamTask, WorkStream } from '../../src/roadmap/stream-types';

// What an agent working a roadmap stream is told: its mission text and the success criteria it is judged by.
function stream(over: Partial<WorkStream> = {}): WorkStream {
  return { target: 'web', id: '1.2', ref: 'web:1.2', title: 'Wire the parser', status: 'available', dependsOn: [], text: '', line: 3, ...over };
}
const task = (text: string, state: StreamTask['state'] = 'open', marker = ' ', depth = 0): StreamTask => ({ marker, state, text, depth });

describe("a Baton-format stream's mission", () => {
  it('is its ref and title alone when it has no text, judged by the quality gates', () => {
    expect(streamMission(stream())).toEqual({ mission: 'web:1.2 Wire the parser', successCriteria: ['the quality gates of web pass'] });
  });
  it('carries its text after a blank line and takes its checklist (any bullet, either case of x) as criteria', () => {
    const text = 'Parse the file.\n- [ ] reads headings \n* [x] reads fields\n  - [X] nested item\n- [ ]   \n-[ ] not a checklist';
    expect(streamMission(stream({ text }))).toEqual({
      mission: `web:1.2 Wire the parser\n\n${text}`,
      successCriteria: ['reads headings', 'reads fields', 'nested item'],
    });
  });
  it('keeps at most 10 criteria and cuts the mission to its limit', () => {
    const text = Array.from({ length: 12 }, (_, i) => `- [ ] criterion ${i}`).join('\n') + '\n' + 'x'.repeat(3000);
    const result = streamMission(stream({ text }));
    expect(result.successCriteria).toEqual(Array.from({ length: 10 }, (_, i) => `criterion ${i}`));
    expect(result.mission).toHaveLength(MAX_MISSION);
    expect(result.mission.startsWith('web:1.2 Wire the parser\n\n- [ ] criterion 0')).toBe(true);
  });
});

describe("a seed 003 stream's mission", () => {
  const phases = (over: Partial<WorkStream> = {}) => stream({ format: 'phases', ...over });

  it('names its batch (1 when none), tag and effort, and is judged by Done When', () => {
    expect(streamMission(phases({ batch: 2, tag: 'PRIORITY', effort: 'M', doneWhen: ['tests pass'] }))).toEqual({
      mission: 'web:1.2 Wire the parser\nBatch 2 · ⭐ PRIORITY · effort M',
      successCriteria: ['tests pass'],
    });
    expect(streamMission(phases()).mission).toBe('web:1.2 Wire the parser\nBatch 1');
    expect(streamMission(phases()).successCriteria).toEqual(['the quality gates of web pass']);
    expect(streamMission(phases({ phase: 'Phase 1: Foundations', batch: 3 })).mission).toBe('web:1.2 Wire the parser\nPhase 1: Foundations');
  });

  it('lists every task with its state as marked, nested by depth, then the context', () => {
    const tasks = [task('Read headings', 'done', '✅'), task('Read fields', 'in progress', '⚙️', 1), task('Ask legal', 'other', ' ~ ')];
    expect(streamMission(phases({ tasks, text: 'Notes: see spec.' })).mission).toBe(
      [
        'web:1.2 Wire the parser\nBatch 1',
        'Tasks, as the roadmap marks them (finish the open ones; keep what is done):\n- [✅] (done) Read headings\n  - [⚙️] (in progress) Read fields\n- [ ~ ] (marked ~) Ask legal',
        'Notes: see spec.',
      ].join('\n\n'),
    );
  });

  it('cuts long criteria to 300 characters and keeps at most 10', () => {
    const doneWhen = Array.from({ length: 11 }, (_, i) => `${i}`.padEnd(400, 'y'));
    const { successCriteria } = streamMission(phases({ doneWhen }));
    expect(successCriteria).toHaveLength(10);
    expect(successCriteria.every((c) => c.length === 300)).toBe(true);
    expect(successCriteria[9]!.startsWith('9')).toBe(true);
  });

  it('keeps whole task lines that fit and says how many more are in the roadmap, before any context', () => {
    const tasks = Array.from({ length: 200 }, (_, i) => task(`task number ${i} `.padEnd(40, '.')));
    const { mission } = streamMission(phases({ tasks, text: 'context '.repeat(50) }));
    expect(mission.length).toBeLessThanOrEqual(MAX_MISSION);
    const lines = mission.split('\n');
    const more = lines.find((l) => l.startsWith('- … '));
    const shown = lines.filter((l) => l.startsWith('- [ ] (open) task number')).length;
    expect(shown).toBeGreaterThan(10);
    expect(more).toBe(`- … ${200 - shown} more (see the roadmap)`);
    expect(lines[lines.length - 1]).toBe(more);
    // Lines are whole, in order.
    expect(lines.filter((l) => l.startsWith('- [ ]')).every((l, i) => l === `- [ ] (open) ${`task number ${i} `.padEnd(40, '.')}`)).toBe(true);
    expect(mission).not.toContain('context');
  });

  it('cuts long context with a marker saying the rest is in the roadmap', () => {
    const text = 'word '.repeat(1000);
    const { mission } = streamMission(phases({ text, tasks: [task('one')] }));
    expect(mission.endsWith('\n[… cut; the rest is in the roadmap]')).toBe(true);
    expect(mission.length).toBeLessThanOrEqual(MAX_MISSION);
    expect(mission.length).toBeGreaterThan(MAX_MISSION - 60);
    expect(mission).toContain('- [ ] (open) one\n\nword word');
  });

  it('keeps context that fits whole', () => {
    const text = 'x'.repeat(1900);
    const { mission } = streamMission(phases({ text }));
    expect(mission).toBe(`web:1.2 Wire the parser\nBatch 1\n\n${text}`);
  });
});

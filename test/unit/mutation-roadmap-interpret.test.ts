import { interpretGoal } from '../../src/roadmap/interpret';
import type { WorkStream } from '../../src/roadmap/stream-types';

const stream = (id: string, title: string, over: Partial<WorkStream> = {}): WorkStream => ({ target: 's', id, ref: `s:${id}`, title, status: 'available', dependsOn: [], text: '', line: 1, ...over });
const run = (names: string[], streams: WorkStream[], held: string[] = []) => interpretGoal('', streams, { held, explicit: names });

describe('interpretGoal: which streams can be taken', () => {
  it('takes a stream blocked only by Baton\'s dependency wait (or, in Baton\'s format, by nothing), and says a seed 003 stream blocked without a reason has none', () => {
    const streams = [stream('1.1', 'A', { status: 'blocked', note: 'waiting on 1.9' }), stream('1.2', 'B', { status: 'blocked' }), stream('1.3', 'C', { status: 'blocked', format: 'phases' })];
    const result = run(['s:1.1', 's:1.2', 's:1.3'], streams);
    expect(result.selected.map((s) => s.ref)).toEqual(['s:1.1', 's:1.2']);
    expect(result.problems).toEqual(['s:1.3 is blocked (no reason given)']);
  });

  it('names streams by ref or bare id with surrounding blanks, and never reads a ref with a target as a bare id', () => {
    const streams = [stream('1.1', 'A'), stream('1.2', 'B')];
    expect(run([' s:1.1 ', ' 1.2 '], streams).selected.map((s) => s.ref)).toEqual(['s:1.1', 's:1.2']);
    expect(run(['x:1.1'], streams).problems).toEqual(['no stream "x:1.1" on any roadmap']);
  });

  it('does not report finished work that merely matches the goal\'s words, but reports held work', () => {
    const streams = [stream('1.1', 'Menu prices', { status: 'complete' }), stream('1.2', 'Menu photos')];
    const result = interpretGoal('menu', streams, { held: ['s:1.2'] });
    expect(result.problems).toEqual(['s:1.2 is already being worked on']);
    expect(result.selected).toEqual([]);
  });

  it('reports a named stream that is complete', () => {
    expect(interpretGoal('do 1.1', [stream('1.1', 'A', { status: 'complete' })], { held: [] }).problems).toEqual(['s:1.1 is complete already']);
  });

  it('keeps the verb\'s kind when a goal with a verb names a stream, and run-stream for a goal without one', () => {
    expect(interpretGoal('add 1.1', [stream('1.1', 'A')], { held: [] }).interpretation.goalType).toBe('feature');
    expect(interpretGoal('1.1 please', [stream('1.1', 'A')], { held: [] }).interpretation.goalType).toBe('run-stream');
    expect(interpretGoal('tidy the menu', [stream('1.1', 'Menu')], { held: [] }).interpretation.goalType).toBe('other');
  });
});

describe('interpretGoal: closing over dependencies', () => {
  it('pulls in a whole chain of open dependencies and leaves complete ones out', () => {
    const streams = [stream('1.1', 'A', { status: 'complete' }), stream('1.2', 'B', { dependsOn: ['s:1.1'] }), stream('1.3', 'C', { dependsOn: ['s:1.2'] }), stream('1.4', 'D', { dependsOn: ['s:1.3', 's:1.1'] })];
    const result = run(['s:1.4'], streams);
    expect(result.selected.map((s) => s.ref)).toEqual(['s:1.2', 's:1.3', 's:1.4']);
    expect(result.problems).toEqual([]);
  });

  it('drops a stream whose dependency is on no roadmap', () => {
    const result = run(['s:1.1'], [stream('1.1', 'A', { dependsOn: ['s:9.9'] })]);
    expect(result.selected).toEqual([]);
    expect(result.problems).toEqual(['s:1.1 waits on s:9.9, which is not on any roadmap']);
  });

  it('drops every stream down a chain whose root cannot run, each with its own reason', () => {
    const streams = [stream('1.1', 'A', { status: 'blocked', note: 'no key' }), stream('1.2', 'B', { dependsOn: ['s:1.1'] }), stream('1.3', 'C', { dependsOn: ['s:1.2'] })];
    const result = run(['s:1.3'], streams);
    expect(result.selected).toEqual([]);
    expect(result.problems).toEqual(['s:1.2 waits on s:1.1, which is blocked: no key', 's:1.3 waits on s:1.2, which cannot run either']);
  });

  it('drops a dependant that was visited before the dependency it waits on was dropped', () => {
    const streams = [stream('1.3', 'C', { dependsOn: ['s:1.2'] }), stream('1.2', 'B', { dependsOn: ['s:1.1'] }), stream('1.1', 'A', { status: 'blocked', note: 'no key' })];
    const result = run(['s:1.3', 's:1.2'], streams);
    expect(result.selected).toEqual([]);
    expect(result.problems).toHaveLength(2);
  });
});

describe('interpretGoal: the recommendation', () => {
  it('counts one agent per stream that can run side by side, in the singular for one', () => {
    const one = run(['s:1.1'], [stream('1.1', 'Menu')]);
    expect(one.interpretation.recommendation).toBe('Run 1 stream with up to 1 agent at once: s:1.1 (Menu).');
    const wide = run(['s:1.1', 's:1.2', 's:1.3'], [stream('1.1', 'A'), stream('1.2', 'B'), stream('1.3', 'C', { dependsOn: ['s:1.1', 's:1.2'] })]);
    expect(wide.interpretation.recommendation).toBe('Run 3 streams with up to 2 agents at once: s:1.1 (A), s:1.2 (B), s:1.3 (C). s:1.3 waits on s:1.1 and s:1.2.');
  });

  it('lists every wait, separated by semicolons', () => {
    const streams = [stream('1.1', 'A'), stream('1.2', 'B', { dependsOn: ['s:1.1'] }), stream('2.1', 'C'), stream('2.2', 'D', { dependsOn: ['s:2.1'] })];
    expect(run(['s:1.2', 's:2.2'], streams).interpretation.recommendation).toMatch(/ s:1\.2 waits on s:1\.1; s:2\.2 waits on s:2\.1\.$/);
  });

  it('measures width by dependency level, not by count of streams', () => {
    // 1.1 ← 1.2 ← 1.3 and 1.1 ← 1.4: levels 1, 2, 3, 2 → two at once at most.
    const streams = [stream('1.1', 'A'), stream('1.2', 'B', { dependsOn: ['s:1.1'] }), stream('1.3', 'C', { dependsOn: ['s:1.2'] }), stream('1.4', 'D', { dependsOn: ['s:1.1'] })];
    expect(run(['s:1.3', 's:1.4'], streams).interpretation.recommendation).toMatch(/^Run 4 streams with up to 2 agents at once: /);
    const chain = [stream('1.1', 'A'), stream('1.2', 'B', { dependsOn: ['s:1.1'] }), stream('1.3', 'C', { dependsOn: ['s:1.2', 's:1.1'] })];
    expect(run(['s:1.3'], chain).interpretation.recommendation).toMatch(/^Run 3 streams with up to 1 agent at once: /);
  });

  it('ignores complete dependencies when levelling and listing waits', () => {
    const streams = [stream('1.1', 'A', { status: 'complete' }), stream('1.2', 'B', { dependsOn: ['s:1.1'] }), stream('1.3', 'C')];
    expect(run(['s:1.2', 's:1.3'], streams).interpretation.recommendation).toBe('Run 2 streams with up to 2 agents at once: s:1.2 (B), s:1.3 (C).');
  });

  it('calls a stream without a title untitled', () => {
    expect(run(['s:1.1'], [stream('1.1', '')]).interpretation.recommendation).toBe('Run 1 stream with up to 1 agent at once: s:1.1 (untitled).');
  });

  it('clips a recommendation longer than 2000 characters to 2000, ending in an ellipsis', () => {
    const many = Array.from({ length: 40 }, (_, i) => stream(`1.${i + 1}`, 'x'.repeat(60)));
    const text = run(many.map((s) => s.ref), many).interpretation.recommendation;
    expect(text).toHaveLength(2000);
    expect(text.endsWith('...')).toBe(true);
    const fits = Array.from({ length: 2 }, (_, i) => stream(`1.${i + 1}`, 'x'.repeat(60)));
    expect(run(fits.map((s) => s.ref), fits).interpretation.recommendation.endsWith('.')).toBe(true);
    expect(run(fits.map((s) => s.ref), fits).interpretation.recommendation.endsWith('...')).toBe(false);
  });

  it('clips nothing at exactly 2000 characters', () => {
    // Fixed text around the titles: "Run 1 stream with up to 1 agent at once: s:1.1 (" + title + ")."
    const fixed = 'Run 1 stream with up to 1 agent at once: s:1.1 ().'.length;
    const exact = stream('1.1', 'y'.repeat(2000 - fixed));
    const text = run(['s:1.1'], [exact]).interpretation.recommendation;
    expect(text).toHaveLength(2000);
    expect(text.endsWith('y).')).toBe(true);
  });

  it('says none of the requested streams can run for run-all with nothing open', () => {
    expect(interpretGoal('run everything', [stream('1.1', 'A', { status: 'complete' })], { held: [] }).interpretation).toMatchObject({
      goalType: 'run-all',
      matchingStreams: [],
      recommendation: 'None of the requested streams can run now.',
    });
  });
});

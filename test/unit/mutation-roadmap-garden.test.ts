import { planGarden } from '../../src/roadmap/garden';
import type { StreamUpdate, WorkStream } from '../../src/roadmap/stream-types';
import type { GardenRoadmap } from '../../src/roadmap/types';

const stream = (id: string, over: Partial<WorkStream> = {}): WorkStream => ({ target: 's', id, ref: `s:${id}`, title: id, status: 'available', dependsOn: [], text: '', line: 1, ...over });
const phase = (id: string, over: Partial<WorkStream> = {}): WorkStream => stream(id, { format: 'phases', batch: 1, ...over });
const roadmap = (streams: WorkStream[], over: Partial<GardenRoadmap> = {}): GardenRoadmap => ({ target: 's', file: 's/ROADMAP.md', streams, issues: [], ...over });
const plan = (streams: WorkStream[], updates: StreamUpdate[] = [], held: string[] = []) => planGarden([roadmap(streams)], updates, held);

describe('planGarden: Baton\'s updates', () => {
  it('changes nothing when an update says what the roadmap already says', () => {
    const p = plan([stream('1.1', { status: 'in progress', owner: 'Aria', note: 'half way' })], [{ ref: 's:1.1', status: 'in progress', owner: 'Aria' }]);
    expect(p.changes).toEqual([]);
    expect(p.health[0]!.changes).toEqual([]);
  });

  it('says an agent took a stream when the update names nobody, and the owner when it does', () => {
    expect(plan([stream('1.1')], [{ ref: 's:1.1', status: 'in progress' }]).changes).toEqual([{ ref: 's:1.1', target: 's', id: '1.1', status: 'in progress', why: 'an agent is working on it' }]);
    expect(plan([stream('1.1')], [{ ref: 's:1.1', status: 'in progress', owner: 'Bo' }]).changes).toEqual([{ ref: 's:1.1', target: 's', id: '1.1', status: 'in progress', owner: 'Bo', why: 'Bo is working on it' }]);
  });

  it('releases a stream: nobody on it, the old note gone', () => {
    const p = plan([stream('1.1', { status: 'in progress', owner: 'Aria', note: 'half way' })], [{ ref: 's:1.1', status: 'available' }]);
    expect(p.changes).toEqual([{ ref: 's:1.1', target: 's', id: '1.1', status: 'available', owner: null, note: null, why: 'Baton released it' }]);
    expect(p.health[0]!.changes).toEqual(['s:1.1 in progress → available (Baton released it)']);
  });

  it('blocks a seed 003 stream without a note, taking its owner off and saying why', () => {
    expect(plan([phase('1.1', { status: 'in progress', owner: 'A' })], [{ ref: 's:1.1', status: 'blocked' }]).changes).toEqual([{ ref: 's:1.1', target: 's', id: '1.1', status: 'blocked', owner: null, why: 'Baton blocked it' }]);
  });

  it('keeps the owner and note of a stream whose status an update does not move, and changes only the owner', () => {
    const p = plan([stream('1.1', { status: 'in progress', owner: 'Aria', note: 'half way' })], [{ ref: 's:1.1', status: 'in progress', owner: 'Bo' }]);
    expect(p.changes).toEqual([{ ref: 's:1.1', target: 's', id: '1.1', status: 'in progress', owner: 'Bo', why: 'Bo is working on it' }]);
    expect(p.health[0]!.changes).toEqual(['s:1.1 in progress (Bo is working on it)']);
  });

  it('keeps the owner of a stream it completes, and ignores updates for unknown streams', () => {
    const p = plan([stream('1.1', { status: 'in progress', owner: 'Aria' })], [{ ref: 's:1.1', status: 'complete' }, { ref: 's:9.9', status: 'complete' }]);
    expect(p.changes).toEqual([{ ref: 's:1.1', target: 's', id: '1.1', status: 'complete', why: 'its task is done' }]);
  });

  it('joins every reason a stream changed, in order', () => {
    const p = plan([stream('1.1', { status: 'in progress' }), stream('1.2', { dependsOn: ['s:1.1'] })], [{ ref: 's:1.1', status: 'available' }, { ref: 's:1.1', status: 'in progress', owner: 'Bo' }]);
    expect(p.changes[0]).toEqual({ ref: 's:1.1', target: 's', id: '1.1', status: 'in progress', owner: 'Bo', why: 'Baton released it; Bo is working on it' });
  });

  it('ignores updates to a roadmap with issues, and takes the first roadmap\'s copy of a stream listed twice', () => {
    const broken = roadmap([stream('1.1')], { issues: [{ file: 's/ROADMAP.md', line: 2, message: 'bad' }] });
    expect(planGarden([broken], [{ ref: 's:1.1', status: 'in progress' }], []).changes).toEqual([]);
    const other = roadmap([stream('1.1', { status: 'complete' })], { file: 'copy.md' });
    expect(planGarden([roadmap([stream('1.1')]), other], [], []).health.map((h) => [h.available, h.complete])).toEqual([
      [['s:1.1'], []],
      [['s:1.1'], []],
    ]);
  });
});

describe('planGarden: blocking and unblocking', () => {
  it('unblocks a stream with Baton\'s waiting note and nothing to wait on', () => {
    expect(plan([stream('1.1', { status: 'blocked', note: 'waiting on 9.9' })]).changes).toEqual([{ ref: 's:1.1', target: 's', id: '1.1', status: 'available', note: null, why: 'nothing left to wait on' }]);
    expect(plan([stream('1.1', { status: 'blocked' })]).changes[0]!.why).toBe('nothing left to wait on');
  });

  it('leaves a blocked stream that still waits, and notes local refs short and others in full', () => {
    const streams = [stream('1.1', { status: 'in progress', owner: 'A' }), stream('1.2', { dependsOn: ['s:1.1', 'api:2.1'] })];
    const p = planGarden([roadmap(streams), roadmap([stream('2.1', { target: 'api', ref: 'api:2.1' })], { target: 'api', file: 'api.md' })], [], ['s:1.1']);
    expect(p.changes).toEqual([{ ref: 's:1.2', target: 's', id: '1.2', status: 'blocked', note: 'waiting on 1.1, api:2.1', why: 'waiting on s:1.1, api:2.1' }]);
    expect(p.health[0]!.blocked).toEqual([{ ref: 's:1.2', why: 'waiting on 1.1, api:2.1' }]);
  });

  it('keeps the owner of a stream it blocks on dependencies', () => {
    expect(plan([stream('1.1', { owner: 'Aria', dependsOn: ['s:1.2'] }), stream('1.2')]).changes).toEqual([{ ref: 's:1.1', target: 's', id: '1.1', status: 'blocked', note: 'waiting on 1.2', why: 'waiting on s:1.2' }]);
  });

  it('frees an in-progress stream whose agent is gone even in a seed 003 roadmap, but never a frozen one', () => {
    expect(plan([phase('1.1', { status: 'in progress', owner: 'A' })]).changes[0]).toMatchObject({ status: 'available', owner: null, why: 'its agent is gone' });
    const broken = roadmap([stream('1.1', { status: 'in progress' })], { issues: [{ file: 's/ROADMAP.md', line: 1, message: 'x' }] });
    expect(planGarden([broken], [], []).changes).toEqual([]);
  });

  it('in seed 003, leaves a waiting stream not started but shows the wait in its health', () => {
    const p = plan([phase('1.2', { dependsOn: ['s:1.1'] }), phase('1.1', { status: 'in progress', owner: 'A' })], [], ['s:1.1']);
    expect(p.changes).toEqual([]);
    expect(p.health[0]).toMatchObject({ available: [], inProgress: ['s:1.1'], blocked: [{ ref: 's:1.2', why: 'not started, waiting on s:1.1' }] });
  });

  it('in seed 003, unblocks only a stream whose note is Baton\'s own wait', () => {
    expect(plan([phase('1.1', { status: 'blocked', note: 'waiting on 1.0' })]).changes[0]).toMatchObject({ status: 'available', why: 'nothing left to wait on' });
    expect(plan([phase('1.1', { status: 'blocked' })]).changes).toEqual([]);
  });

  it('counts only complete streams of sound roadmaps as done', () => {
    const broken = roadmap([stream('1.1', { target: 'api', ref: 'api:1.1', status: 'complete' })], { target: 'api', file: 'api.md', issues: [{ file: 'api.md', line: 1, message: 'x' }] });
    const p = planGarden([roadmap([stream('1.1', { dependsOn: ['api:1.1'] })]), broken], [], []);
    expect(p.changes[0]).toMatchObject({ status: 'blocked', note: 'waiting on api:1.1', why: 'waiting on api:1.1 (its roadmap has problems)' });
  });
});

describe('planGarden: health', () => {
  it('lists streams by status, with a blocked stream\'s note, its wait, or no reason', () => {
    const streams = [
      stream('1.1', { status: 'complete' }),
      stream('1.2', { status: 'in progress', owner: 'A' }),
      stream('1.3', { status: 'blocked', note: 'no key' }),
      stream('1.4', { status: 'blocked', note: 'waiting on 1.2', dependsOn: ['s:1.2'] }),
      stream('1.5'),
    ];
    const p = plan(streams, [], ['s:1.2']);
    expect(p.health[0]).toEqual({
      target: 's',
      file: 's/ROADMAP.md',
      issues: [],
      available: ['s:1.5'],
      inProgress: ['s:1.2'],
      complete: ['s:1.1'],
      blocked: [
        { ref: 's:1.3', why: 'no key' },
        { ref: 's:1.4', why: 'waiting on 1.2' },
      ],
      changes: [],
    });
  });

  it('reports the stream\'s own status and note for a roadmap with issues, and the wait when a blocked stream has no note', () => {
    const issues = [{ file: 's/ROADMAP.md', line: 9, message: 'later' }, { file: 's/ROADMAP.md', line: 2, message: 'earlier' }];
    const p = planGarden([roadmap([stream('1.1', { status: 'in progress' }), stream('1.2', { status: 'blocked', dependsOn: ['s:1.1'] }), stream('1.3', { status: 'blocked' })], { issues })], [], []);
    expect(p.health[0]!.inProgress).toEqual(['s:1.1']);
    expect(p.health[0]!.blocked).toEqual([
      { ref: 's:1.2', why: 'waiting on s:1.1' },
      { ref: 's:1.3', why: 'blocked, no reason given' },
    ]);
    expect(p.health[0]!.issues.map((i) => i.line)).toEqual([2, 9]);
  });

  it('lists a seed 003 roadmap\'s streams in offer order, and Baton\'s in roadmap order', () => {
    const seed = [phase('2.1', { batch: 2 }), phase('1.2'), phase('1.1', { tag: 'PRIORITY' }), phase('1.10')];
    expect(plan(seed).health[0]!.available).toEqual(['s:1.1', 's:1.2', 's:1.10', 's:2.1']);
    const baton = [stream('2.1', { batch: 2 }), stream('1.2'), stream('1.1', { tag: 'PRIORITY' })];
    expect(plan(baton).health[0]!.available).toEqual(['s:2.1', 's:1.2', 's:1.1']);
  });

  it('lists each target\'s changes in its own health only', () => {
    const api = roadmap([stream('1.1', { target: 'api', ref: 'api:1.1', status: 'in progress' })], { target: 'api', file: 'api.md' });
    const p = planGarden([roadmap([stream('1.1', { status: 'in progress' })]), api], [], []);
    expect(p.health.map((h) => h.changes)).toEqual([['s:1.1 in progress → available (its agent is gone)'], ['api:1.1 in progress → available (its agent is gone)']]);
  });
});

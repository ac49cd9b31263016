import { compareIds, compareOffer, offerOrder, runOrder } from '../../src/roadmap/order';
import type { WorkStream } from '../../src/roadmap/stream-types';

/** A stream of target `t` with only what ordering reads. */
const stream = (id: string, over: Partial<WorkStream> = {}): WorkStream => ({ target: 't', id, ref: `t:${id}`, title: id, status: 'available', dependsOn: [], text: '', line: 1, ...over });
const phase = (id: string, over: Partial<WorkStream> = {}): WorkStream => stream(id, { format: 'phases', ...over });
const ids = (streams: WorkStream[]) => streams.map((s) => s.id);

describe('compareIds', () => {
  it('answers zero for equal ids and the sign of the first differing number otherwise', () => {
    expect(compareIds('1.2', '1.2')).toBe(0);
    expect(compareIds('1.3.4', '1.3.4')).toBe(0);
    expect(compareIds('1.2', '1.10')).toBeLessThan(0);
    expect(compareIds('2.1', '1.9')).toBeGreaterThan(0);
    expect(compareIds('1.2.5', '1.3.1')).toBeLessThan(0);
  });

  it('puts an id before its own sub-ids, even a .0 one', () => {
    expect(compareIds('1.2', '1.2.0')).toBeLessThan(0);
    expect(compareIds('1.2.0', '1.2')).toBeGreaterThan(0);
    expect(compareIds('1.2', '1.2.1')).toBeLessThan(0);
    expect(compareIds('1.2.1', '1.2')).toBeGreaterThan(0);
  });
});

describe('compareOffer and offerOrder', () => {
  it('offers BOOTSTRAP, then PRIORITY, then the rest, keeping roadmap order among equals in Baton\'s format', () => {
    const streams = [stream('3.1'), stream('1.1', { tag: 'PRIORITY' }), stream('2.1'), stream('9.1', { tag: 'BOOTSTRAP' }), stream('0.1')];
    expect(ids(offerOrder(streams))).toEqual(['9.1', '1.1', '3.1', '2.1', '0.1']);
    expect(ids(streams)).toEqual(['3.1', '1.1', '2.1', '9.1', '0.1']);
  });

  it('offers lower batches first, a stream without a batch counting as batch 1', () => {
    expect(ids(offerOrder([stream('a.1', { batch: 2 }), stream('b.1'), stream('c.1', { batch: 1 }), stream('d.1', { batch: 3 })]))).toEqual(['b.1', 'c.1', 'a.1', 'd.1']);
    expect(compareOffer(stream('1.1', { batch: 2 }), stream('1.2'))).toBeGreaterThan(0);
    expect(compareOffer(stream('1.1'), stream('1.2', { batch: 2 }))).toBeLessThan(0);
  });

  it('ranks the tag above the batch', () => {
    expect(ids(offerOrder([stream('1.1', { batch: 1 }), stream('5.1', { batch: 5, tag: 'BOOTSTRAP' })]))).toEqual(['5.1', '1.1']);
  });

  it('sorts seed 003 streams of one batch by id, but never Baton streams or a mix of the two', () => {
    expect(ids(offerOrder([phase('2.10'), phase('2.9'), phase('1.3')]))).toEqual(['1.3', '2.9', '2.10']);
    expect(ids(offerOrder([stream('2.10'), stream('2.9'), stream('1.3')]))).toEqual(['2.10', '2.9', '1.3']);
    expect(compareOffer(phase('2.1'), stream('1.1'))).toBe(0);
    expect(compareOffer(stream('2.1'), phase('1.1'))).toBe(0);
    expect(compareOffer(phase('2.1'), phase('1.1'))).toBeGreaterThan(0);
  });
});

describe('runOrder', () => {
  it('runs each stream after the chosen streams it depends on, whatever the roadmap order', () => {
    const chosen = [stream('3.1', { dependsOn: ['t:2.1'] }), stream('2.1', { dependsOn: ['t:1.1'] }), stream('1.1')];
    expect(ids(runOrder(chosen))).toEqual(['1.1', '2.1', '3.1']);
  });

  it('does not wait for dependencies outside the selection', () => {
    const chosen = [stream('3.1', { dependsOn: ['t:2.1', 'other:1.1'] }), stream('4.1')];
    expect(ids(runOrder(chosen))).toEqual(['3.1', '4.1']);
  });

  it('lifts a bootstrap stream\'s whole dependency chain ahead of ordinary work, however deep', () => {
    // Roadmap order puts the chain's deepest link before its dependant, so urgency needs several rounds to flow down.
    const chosen = [stream('1.1'), stream('2.1'), stream('3.1', { dependsOn: ['t:2.1'] }), stream('4.1', { tag: 'BOOTSTRAP', dependsOn: ['t:3.1'] })];
    expect(ids(runOrder(chosen))).toEqual(['2.1', '3.1', '4.1', '1.1']);
  });

  it('keeps a dependency as urgent as its own tag when its dependant is less urgent', () => {
    const chosen = [stream('1.1'), stream('2.1', { dependsOn: ['t:3.1'] }), stream('3.1', { tag: 'PRIORITY' })];
    expect(ids(runOrder(chosen))).toEqual(['3.1', '1.1', '2.1']);
  });

  it('never makes a dependency less urgent than its most urgent dependant', () => {
    // D is lifted to PRIORITY by P; N (ordinary) also waits on D but must not pull it back behind M.
    const chosen = [stream('1.1', { tag: 'PRIORITY', dependsOn: ['t:1.4'] }), stream('1.2', { dependsOn: ['t:1.4'] }), stream('1.3'), stream('1.4')];
    expect(ids(runOrder(chosen))).toEqual(['1.4', '1.1', '1.2', '1.3']);
  });

  it('orders equally urgent ready streams by offer order (batch, then id in seed 003)', () => {
    const chosen = [phase('2.2', { batch: 2 }), phase('1.9'), phase('1.10'), phase('1.2', { batch: 2 })];
    expect(ids(runOrder(chosen))).toEqual(['1.9', '1.10', '1.2', '2.2']);
  });

  it('returns every stream of a dependency cycle, in offer order, instead of looping', () => {
    const chosen = [stream('1.1', { dependsOn: ['t:2.1'] }), stream('2.1', { dependsOn: ['t:1.1'] }), stream('3.1', { dependsOn: ['t:1.1'] })];
    expect(ids(runOrder(chosen))).toEqual(['1.1', '2.1', '3.1']);
  });

  it('returns nothing for nothing and does not reorder its input', () => {
    expect(runOrder([])).toEqual([]);
    const chosen = [stream('2.1', { dependsOn: ['t:1.1'] }), stream('1.1')];
    runOrder(chosen);
    expect(ids(chosen)).toEqual(['2.1', '1.1']);
  });
});

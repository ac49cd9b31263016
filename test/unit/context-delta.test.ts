import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePersistContext } from '../../src/activities/persist-context';
import type { ActivityKit } from '../../src/activities';
import { dropArchived } from '../../src/shared/archive';
import { toContext } from '../../src/shared/context';
import { applyStateDelta, digest, stateDelta } from '../../src/shared/context-delta';
import { OrchestrationState } from '../../src/shared/schemas';
import { requestStop } from '../../src/shared/state';
import { agentReport, finishRunning, freshState, minute, plannedTask, planObjective, spawnChosen } from '../support/reducers';

/** An orchestration with `n` planned tasks, the first two done. */
function bigState(n: number): OrchestrationState {
  let s = planObjective(freshState(), Array.from({ length: n }, (_, i) => plannedTask(`t${i}`, { mission: `step ${i} of a long plan` })));
  for (const id of ['TASK_001', 'TASK_002']) s = finishRunning(spawnChosen(s, id), id, agentReport(`${id} done`), minute(2));
  return s;
}

/** Two thousand tasks, or four hundred under mutation testing (jest.stryker.config.js), where each reducer mutant runs this again. */
const MANY = process.env.BATON_QUICK_GROWTH ? 400 : 2_000;

/** The state as the activity sees it in the file: through JSON, keys in whatever order they were written. */
const roundTrip = (s: OrchestrationState): Record<string, unknown> => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;

describe('stateDelta / applyStateDelta', () => {
  test('one finished task among two thousand crosses as that task, its agent and the counters, not the state', () => {
    const prev = bigState(MANY);
    const next = finishRunning(spawnChosen(prev, 'TASK_003'), 'TASK_003', agentReport('third done'), minute(3));
    const delta = stateDelta(prev, next);
    expect(JSON.stringify(delta).length).toBeLessThan(JSON.stringify(next).length / 20);
    expect((delta.changes.tasks as unknown as { upsert: { id: string }[] }).upsert.map((t) => t.id)).toEqual(['TASK_003']);
    const applied = applyStateDelta(roundTrip(prev), JSON.parse(JSON.stringify(delta)));
    expect(applied).toEqual(roundTrip(next));
    expect(digest(applied)).toBe(delta.next);
  });

  test('archived (removed) tasks, new tasks, roster entries and an unset field all carry over', () => {
    const prev = requestStop(bigState(30), { agentId: undefined }, minute(2)).state;
    expect(prev.stop).toBeDefined();
    let next = dropArchived({ ...prev, stop: undefined }, { tasks: prev.tasks.slice(0, 2), agents: [] });
    next = planObjective(next, [plannedTask('late')]);
    next = spawnChosen(next, next.tasks[next.tasks.length - 1]!.id);
    const delta = stateDelta(prev, next);
    expect(delta.unset).toContain('stop');
    const applied = applyStateDelta(roundTrip(prev), JSON.parse(JSON.stringify(delta)));
    expect(applied).toEqual(roundTrip(next));
    expect(digest(applied)).toBe(delta.next);
  });

  test('the digest ignores key order (a state re-read through zod) but not content', () => {
    const s = bigState(5);
    const reordered = OrchestrationState.parse(JSON.parse(JSON.stringify(s)));
    expect(Object.keys(reordered)).not.toEqual(Object.keys(s));
    expect(digest(reordered)).toBe(digest(s));
    expect(digest({ ...s, session: s.session + 1 })).not.toBe(digest(s));
    expect(digest({ a: [1, 'x'] })).not.toBe(digest({ a: ['1', 'x'] }));
  });

  test('a capped log crosses as what was appended and how many fell off the front', () => {
    const [a, b, c, d] = [{ o: 1 }, { o: 2 }, { o: 3 }, { o: 4 }];
    const prev = { events: { next: 4, events: [a, b, c] }, insights: [a] };
    const next = { events: { next: 5, events: [b, c, d] }, insights: [] };
    const delta = stateDelta(prev, next);
    expect(delta.changes.events).toEqual({ fields: { next: { set: 5 }, events: { drop: 1, append: [d] } }, dropped: [] });
    expect(delta.changes.insights).toEqual({ drop: 1, append: [] });
    const applied = applyStateDelta(JSON.parse(JSON.stringify(prev)), JSON.parse(JSON.stringify(delta)));
    expect(applied).toEqual(next);
    expect(digest(applied)).toBe(delta.next);
  });

  test('nothing changed is an empty delta', () => {
    const s = bigState(5);
    const delta = stateDelta(s, s);
    expect(delta.changes).toEqual({});
    expect(delta.unset).toEqual([]);
    expect(delta.base).toBe(delta.next);
  });
});

describe('persistContext from a delta', () => {
  const setup = () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-persist-'));
    const persist = makePersistContext({ dataDir } as ActivityKit);
    return { persist, file: path.join(dataDir, 'demo', 'context.json') };
  };

  test('writes the same document as the full state would, from the file plus the delta', async () => {
    const { persist, file } = setup();
    const prev = bigState(50);
    await persist({ project: 'demo', state: prev });
    const next = finishRunning(spawnChosen(prev, 'TASK_003'), 'TASK_003', agentReport('third done'), minute(3));
    const result = await persist({ project: 'demo', delta: stateDelta(prev, next) });
    expect(result.stale).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(toContext(next))));
    expect(result.bytes).toBe(fs.statSync(file).size);
  });

  test('a retried delta finds its own earlier write: answered as written, not stale', async () => {
    const { persist, file } = setup();
    const prev = bigState(20);
    await persist({ project: 'demo', state: prev });
    const next = finishRunning(spawnChosen(prev, 'TASK_003'), 'TASK_003', agentReport('third done'), minute(3));
    const delta = stateDelta(prev, next);
    await persist({ project: 'demo', delta });
    const written = fs.readFileSync(file, 'utf8');
    const again = await persist({ project: 'demo', delta });
    expect(again).toEqual({ path: file, bytes: Buffer.byteLength(written) });
    expect(fs.readFileSync(file, 'utf8')).toBe(written);
  });

  test('a file holding another state (or none) is reported stale and left as it was', async () => {
    const { persist, file } = setup();
    const prev = bigState(10);
    const next = finishRunning(spawnChosen(prev, 'TASK_003'), 'TASK_003', agentReport('third done'), minute(3));
    expect(await persist({ project: 'demo', delta: stateDelta(prev, next) })).toMatchObject({ stale: true, bytes: 0 });
    expect(fs.existsSync(file)).toBe(false);

    const other = { ...prev, session: 7 };
    await persist({ project: 'demo', state: other });
    const before = fs.readFileSync(file, 'utf8');
    expect(await persist({ project: 'demo', delta: stateDelta(prev, next) })).toMatchObject({ stale: true });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  test('a delta that does not reproduce the next state (a reducer reordered tasks) is refused, not written wrong', async () => {
    const { persist, file } = setup();
    const prev = bigState(10);
    await persist({ project: 'demo', state: prev });
    const before = fs.readFileSync(file, 'utf8');
    const next = { ...prev, tasks: [...prev.tasks].reverse() };
    expect(await persist({ project: 'demo', delta: stateDelta(prev, next) })).toMatchObject({ stale: true });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});

import fsp from 'node:fs/promises';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { runActivity } from '../support/fake-anthropic/harness';

const env = () => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });

function setup() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-persist-'));
  return { dataDir, acts: createActivities({ dataDir }) };
}

describe('persistContext', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes <dataDir>/<project>/context.json through a temp file and a rename', async () => {
    const { dataDir, acts } = setup();
    const rename = jest.spyOn(fsp, 'rename');
    const context = { project_name: 'demo', objectives: [{ id: 'OBJ_001' }], metrics: { total_sessions: 1 } };

    const result = await runActivity(env(), acts.persistContext, { project: 'demo', context });

    const file = path.join(dataDir, 'demo', 'context.json');
    expect(result.path).toBe(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(context);
    expect(rename).toHaveBeenCalledTimes(1);
    const [from, to] = rename.mock.calls[0] ?? [];
    expect(String(from)).toMatch(new RegExp(`context\\.json\\.tmp-${process.pid}-\\d+$`));
    expect(to).toBe(file);
    expect(readdirSync(path.dirname(file))).toEqual(['context.json']);
  });

  it('replaces the previous context whole, even with concurrent writers', async () => {
    const { dataDir, acts } = setup();
    const writes = Array.from({ length: 10 }, (_, i) => runActivity(env(), acts.persistContext, { project: 'demo', context: { session: i, pad: 'x'.repeat(50_000) } }));
    await Promise.all(writes);
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'demo', 'context.json'), 'utf8')) as { session: number; pad: string };
    // Exactly one writer's document, whole: never a mix of two nor a torn write.
    expect(Object.keys(saved).sort()).toEqual(['pad', 'session']);
    expect(Array.from({ length: 10 }, (_, i) => i)).toContain(saved.session);
    expect(saved.pad).toBe('x'.repeat(50_000));
    expect(readdirSync(path.join(dataDir, 'demo'))).toEqual(['context.json']);
  });

  it('refuses, without retrying, a context that is not JSON and a project name that escapes', async () => {
    const { acts } = setup();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(runActivity(env(), acts.persistContext, { project: 'demo', context: cyclic })).rejects.toMatchObject({
      type: 'Context.Invalid',
      nonRetryable: true,
    });
    await expect(runActivity(env(), acts.persistContext, { project: '../etc', context: {} })).rejects.toMatchObject({
      type: 'Input.Invalid',
      nonRetryable: true,
    });
  });
});

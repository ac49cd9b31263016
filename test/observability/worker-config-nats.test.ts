import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { closeNatsConnections } from '../../src/nats/bus';
import type { BatonEvent } from '../../src/shared/events';
import { workerConfigFromEnv } from '../../src/workers/config';
import { natsWithSubscriber } from '../support/nats';

// The NATS URL can come from the worker's config file as well as NATS_URL (which wins).

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-wcfg-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

test('the natsUrl of $BATON_WORKER_CONFIG, or of <dataDir>/worker.yaml; NATS_URL wins over both', () => {
  const file = write('w.yaml', '# Baton worker\nnatsUrl: nats://10.0.0.5:4222\nmaxConcurrentAgents: 7\n');
  expect(workerConfigFromEnv({ BATON_DATA_DIR: dir, BATON_WORKER_CONFIG: file })).toMatchObject({ natsUrl: 'nats://10.0.0.5:4222', maxConcurrentAgents: 7 });
  expect(workerConfigFromEnv({ BATON_DATA_DIR: dir, BATON_WORKER_CONFIG: file, NATS_URL: 'nats://127.0.0.1:4222', BATON_MAX_CONCURRENT_AGENTS: '3' })).toMatchObject({
    natsUrl: 'nats://127.0.0.1:4222',
    maxConcurrentAgents: 3,
  });
  write('worker.yaml', '{"natsUrl": "tls://bus.example:4443"}');
  expect(workerConfigFromEnv({ BATON_DATA_DIR: dir }).natsUrl).toBe('tls://bus.example:4443');
  fs.rmSync(path.join(dir, 'worker.yaml'));
  expect(workerConfigFromEnv({ BATON_DATA_DIR: dir }).natsUrl).toBeUndefined();
});

test('a bad config file is an error naming the file and what is wrong', () => {
  const base = { BATON_DATA_DIR: dir };
  expect(() => workerConfigFromEnv({ ...base, BATON_WORKER_CONFIG: path.join(dir, 'nope.yaml') })).toThrow(/BATON_WORKER_CONFIG: no such file .*nope\.yaml/);
  const badUrl = write('a.yaml', 'natsUrl: http://127.0.0.1:4222\n');
  expect(() => workerConfigFromEnv({ ...base, BATON_WORKER_CONFIG: badUrl })).toThrow(/a\.yaml: .*natsUrl.*NATS URL/);
  const typo = write('b.yaml', 'nats_url: nats://127.0.0.1:4222\n');
  expect(() => workerConfigFromEnv({ ...base, BATON_WORKER_CONFIG: typo })).toThrow(/b\.yaml: .*nats_url/);
  const broken = write('c.yaml', 'natsUrl: [unclosed\n');
  expect(() => workerConfigFromEnv({ ...base, BATON_WORKER_CONFIG: broken })).toThrow(/c\.yaml/);
  const empty = write('d.yaml', '# nothing yet\n');
  expect(() => workerConfigFromEnv({ ...base, BATON_WORKER_CONFIG: empty })).toThrow(/d\.yaml is empty/);
  expect(() => workerConfigFromEnv({ ...base, NATS_URL: 'localhost 4222' })).toThrow(/NATS_URL.*natsUrl/);
});

test('a worker configured only by its file publishes events to a real nats-server', async () => {
  const saved = process.env.NATS_URL;
  delete process.env.NATS_URL;
  const bus = await natsWithSubscriber('baton.cfgtest.>');
  try {
    const file = write('w.yaml', `natsUrl: ${bus.server.url}\n`);
    const config = workerConfigFromEnv({ BATON_DATA_DIR: dir, BATON_WORKER_CONFIG: file });
    const { publishEvents } = createActivities({ dataDir: config.dataDir, ...(config.natsUrl ? { natsUrl: config.natsUrl } : {}) });
    const events: BatonEvent[] = [{ ordinal: 1, at: new Date().toISOString(), project: 'cfgtest', session: 0, type: 'orchestration.started' }];
    const mock = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    const r = await mock.run(publishEvents, { project: 'cfgtest', events });
    expect(r).toEqual({ bus: true, published: 1 });
    const deadline = Date.now() + 5000;
    while (bus.received.length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    expect(bus.received).toEqual([{ subject: 'baton.cfgtest.orchestration.started', data: expect.objectContaining({ type: 'orchestration.started', ordinal: 1 }) }]);
  } finally {
    await closeNatsConnections();
    await bus.close();
    if (saved !== undefined) process.env.NATS_URL = saved;
  }
});

import { randomBytes } from 'node:crypto';
import { codecFromEnv } from '../../src/codec/aes-codec';
import { startCodecServer } from '../../src/codec/codec-server';
import { settled, uniqueProject, waitForStatus, workflowEnv, type WorkflowEnv } from '../support/workflow-env';

const saved = process.env.BATON_CODEC_KEY;
let env: WorkflowEnv;

beforeAll(async () => {
  process.env.BATON_CODEC_KEY = randomBytes(32).toString('base64');
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => {
  await env?.close();
  if (saved === undefined) delete process.env.BATON_CODEC_KEY;
  else process.env.BATON_CODEC_KEY = saved;
});

test('with BATON_CODEC_KEY, history at rest is encrypted while Baton and the codec endpoint read it', async () => {
  const project = uniqueProject('sealed');
  await env.baton.start(project, { objectives: ['Plan the secret bakery launch'] });
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(done.objectives[0]!.status).toBe('completed');

  // The raw history (what the server stores) has no plaintext; every payload is sealed.
  const raw = await env.baton.connection.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId: `baton/${project}` },
  });
  const payloads = (raw.history?.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.input?.payloads ?? []);
  expect(payloads.length).toBeGreaterThan(3);
  expect(payloads.every((p) => Buffer.from(p.metadata!.encoding!).toString() === 'binary/encrypted')).toBe(true);
  expect(JSON.stringify(raw.history).includes('secret bakery')).toBe(false);

  // The UI's remote codec endpoint decodes them.
  const server = await startCodecServer(codecFromEnv()!, { port: 0, uiOrigin: 'http://localhost:8233' });
  try {
    const port = (server.address() as { port: number }).port;
    const body = { payloads: payloads.slice(0, 1).map((p) => ({ metadata: { encoding: Buffer.from(p.metadata!.encoding!).toString('base64'), 'encryption-key-id': Buffer.from(p.metadata!['encryption-key-id']!).toString('base64') }, data: Buffer.from(p.data!).toString('base64') })) };
    const res = await fetch(`http://127.0.0.1:${port}/decode`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(200);
    const decoded = (await res.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()).toContain('secret bakery');
  } finally {
    server.close();
  }
});

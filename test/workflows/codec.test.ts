import { randomBytes } from 'node:crypto';
import { codecFromEnv, ENCRYPTED_ENCODING } from '../../src/codec/aes-codec';
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

  // The raw history (what the server stores): every payload in it, wherever it sits, carries the
  // codec's encoding, and its bytes (decoded, not as proto JSON's base64) hold no plaintext.
  const raw = await env.baton.connection.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId: `baton/${project}` },
  });
  const all = payloadsIn(raw.history);
  // Search attributes are indexed by the server, and `patched()` markers (a patch id the SDK core
  // writes itself) never pass through a codec: Temporal's design, and neither holds user data.
  const stored = all.filter((p) => !p.path.includes('.searchAttributes.') && !p.path.includes('.patch-data.'));
  // What is left out holds no user data: each patch marker is just a patch id, and only Baton's search attributes and the SDK's patch list are indexed.
  const patches = all.filter((p) => p.path.includes('.patch-data.')).map((p) => JSON.parse(p.data.toString('utf8')) as Record<string, unknown>);
  expect(patches.length).toBeGreaterThan(0);
  expect(patches.filter((p) => Object.keys(p).sort().join() !== 'deprecated,id' || !/^[a-z0-9-]+$/.test(String(p.id)))).toEqual([]);
  const indexed = all.filter((p) => p.path.includes('.searchAttributes.')).map((p) => p.path.replace(/.*\.searchAttributes\.(indexedFields\.)?/, '').split('.')[0] ?? '');
  expect(indexed.filter((name) => !['BatonPhase', 'BatonProject', 'TemporalChangeVersion'].includes(name))).toEqual([]);
  const activityInputs = stored.filter((p) => p.path.includes('activityTaskScheduledEventAttributes.input'));
  expect(activityInputs.length).toBeGreaterThan(3);
  expect(stored.filter((p) => p.path.includes('activityTaskCompletedEventAttributes.result')).length).toBeGreaterThan(3);
  expect(stored.some((p) => p.path.includes('workflowExecutionStartedEventAttributes.input'))).toBe(true);
  const notSealed = stored.filter((p) => p.encoding !== ENCRYPTED_ENCODING).map((p) => `${p.path}: ${p.encoding}`);
  expect(notSealed).toEqual([]);
  const readable = stored.filter((p) => p.data.toString('utf8').includes('secret bakery') || parsesAsJson(p.data)).map((p) => p.path);
  expect(readable).toEqual([]);
  const payloads = activityInputs.map((p) => p.payload);

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

interface RawPayload {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

/** Every Temporal payload (an object with `metadata` and `data` bytes) anywhere in a raw history, with where it sits. */
function payloadsIn(root: unknown): { path: string; encoding: string; data: Buffer; payload: RawPayload }[] {
  const found: { path: string; encoding: string; data: Buffer; payload: RawPayload }[] = [];
  const walk = (node: unknown, at: string): void => {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
    const maybe = node as RawPayload;
    if (maybe.metadata && typeof maybe.metadata === 'object' && maybe.data instanceof Uint8Array) {
      const encoding = maybe.metadata.encoding ? Buffer.from(maybe.metadata.encoding).toString() : '(none)';
      found.push({ path: at, encoding, data: Buffer.from(maybe.data), payload: maybe });
      return;
    }
    for (const [key, value] of Object.entries(node)) walk(value, `${at}.${key}`);
  };
  walk(root, 'history');
  return found;
}

/** True when the bytes are plain JSON (what an unencrypted json/plain payload holds). */
function parsesAsJson(data: Buffer): boolean {
  try {
    JSON.parse(data.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec, codecFromEnv, ENCRYPTED_ENCODING } from '../../src/codec/aes-codec';

const key = randomBytes(32);
const payload = defaultPayloadConverter.toPayload({ objective: 'Secret launch plan', key: 'sk-' + 'ant-never-in-history' });

test('a payload round-trips, and the sealed form hides the content', async () => {
  const codec = new AesGcmCodec(key, 'k1');
  const [sealed] = await codec.encode([payload]);
  expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
  expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('Secret launch plan');
  const [opened] = await codec.decode([sealed!]);
  expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ objective: 'Secret launch plan', key: 'sk-' + 'ant-never-in-history' });
});

test('a tampered payload or another key is refused, not mis-decoded', async () => {
  const codec = new AesGcmCodec(key, 'k1');
  const [sealed] = await codec.encode([payload]);
  const tampered = { ...sealed!, data: Buffer.from(sealed!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
  await expect(codec.decode([tampered])).rejects.toThrow(/unable to authenticate data/);
  await expect(new AesGcmCodec(randomBytes(32), 'k2').decode([sealed!])).rejects.toThrow(/encrypted with key k1/);
  await expect(new AesGcmCodec(randomBytes(32), 'k1').decode([sealed!])).rejects.toThrow(/unable to authenticate data/);
});

test('unencrypted payloads pass through, and the key comes from the environment', async () => {
  const codec = new AesGcmCodec(key, 'k1');
  expect(await codec.decode([payload])).toEqual([payload]);
  expect(codecFromEnv({})).toBeUndefined();
  expect(codecFromEnv({ BATON_CODEC_KEY: key.toString('base64') })?.keyId).toBe('baton-1');
  expect(() => codecFromEnv({ BATON_CODEC_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
});

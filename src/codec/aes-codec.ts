import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** The encoding a Baton-encrypted payload carries in its metadata. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Environment variable holding the base64 AES-256 key (32 bytes). */
export const CODEC_KEY_ENV = 'BATON_CODEC_KEY';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts every payload with AES-256-GCM so history is unreadable at rest; the whole payload (metadata
 * and data) is sealed, and the key id travels in the clear so a rotated key is reported, not mis-decrypted.
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(
    private readonly key: Buffer,
    readonly keyId: string,
  ) {
    if (key.length !== 32) throw new Error(`${CODEC_KEY_ENV} must be 32 bytes (base64 of 32 random bytes), got ${key.length}`);
  }

  /** Seal each payload. */
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), 'encryption-key-id': encoder.encode(this.keyId) }, data: sealed };
    });
  }

  /** Open each sealed payload; others pass through untouched. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding ? decoder.decode(payload.metadata.encoding) : undefined;
      if (encoding !== ENCRYPTED_ENCODING) return payload;
      const keyId = payload.metadata?.['encryption-key-id'] ? decoder.decode(payload.metadata['encryption-key-id']) : '?';
      if (keyId !== this.keyId) throw new Error(`payload was encrypted with key ${keyId}, but this codec holds key ${this.keyId}`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** The codec configured by `BATON_CODEC_KEY` (and optional `BATON_CODEC_KEY_ID`), or undefined when encryption is off. */
export function codecFromEnv(env: NodeJS.ProcessEnv = process.env): AesGcmCodec | undefined {
  const raw = env[CODEC_KEY_ENV];
  if (!raw) return undefined;
  return new AesGcmCodec(Buffer.from(raw, 'base64'), env.BATON_CODEC_KEY_ID ?? 'baton-1');
}

/** A data converter with the configured codec (empty when encryption is off). */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): { payloadCodecs?: PayloadCodec[] } {
  const codec = codecFromEnv(env);
  return codec ? { payloadCodecs: [codec] } : {};
}

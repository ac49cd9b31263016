import * as http from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** JSON payload as the Temporal UI and CLI send it: metadata values and data in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: p.data !== undefined ? Buffer.from(p.data, 'base64') : undefined,
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
});

/**
 * The remote codec endpoint the Temporal UI uses (`--ui-codec-endpoint`): POST /encode and /decode with
 * `{"payloads": [...]}`. Loopback only; CORS allows the UI's origin to call it from the browser.
 */
export function startCodecServer(codec: PayloadCodec, opts: { port: number; uiOrigin: string }): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', opts.uiOrigin);
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const op = req.url === '/encode' ? 'encode' : req.url === '/decode' ? 'decode' : undefined;
    if (req.method !== 'POST' || !op) return void res.writeHead(404).end();
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payloads?: JsonPayload[] };
      if (!Array.isArray(body.payloads)) throw new Error('body must be {"payloads": [...]}');
      const out = await codec[op](body.payloads.map(fromJson));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ payloads: out.map(toJson) }));
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`codec ${op} failed: ${(err as Error).message}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve(server));
  });
}

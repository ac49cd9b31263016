import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody, failingStreamEvents, messageBody, streamEvents } from './render';
import type { FakeReply, FakeRequest, FakeUsage } from './replies';

/** One scripted agent: requests whose system prompt or first user message contains `match` (or that `match` accepts) take its replies in order. */
export interface FakeScript {
  match: string | RegExp | ((req: FakeRequest) => boolean);
  replies: FakeReply[];
}

/** What drives the fake: a function from request to reply, or queues of scripted replies per agent. */
export type FakeScenario = ((req: FakeRequest) => FakeReply | Promise<FakeReply>) | { scripts: FakeScript[] };

/** Options of the fake server. */
export interface FakeAnthropicOptions {
  /** When set, requests with another key get a 401 authentication_error. */
  apiKey?: string;
  /** Called once a request is answered with a message (its `answered` usage set), before the body is sent. */
  onAnswered?: (req: FakeRequest) => void;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
}

/** A running fake Messages API. */
export interface FakeAnthropic {
  /** Base URL for the SDK (`baseURL`) or `ANTHROPIC_BASE_URL`. */
  url: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  close(): Promise<void>;
}

const text = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((b: { text?: unknown }) => (typeof b?.text === 'string' ? b.text : '')).join('\n')
      : '';

function describe(index: number, req: IncomingMessage, raw: string): FakeRequest {
  let body: FakeRequest['body'];
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  const messages: { role: string; content: unknown }[] = Array.isArray(body?.messages) ? body.messages : [];
  const last = messages.at(-1);
  const lastToolResults =
    last?.role === 'user' && Array.isArray(last.content)
      ? last.content
          .filter((b: { type?: string }) => b?.type === 'tool_result')
          .map((b: { tool_use_id: string; content?: unknown; is_error?: boolean }) => ({ toolUseId: b.tool_use_id, content: text(b.content), isError: b.is_error === true }))
      : [];
  return {
    index,
    method: req.method ?? '',
    path: req.url ?? '',
    headers,
    apiKey: headers['x-api-key'] || bearer,
    raw,
    body,
    stream: body?.stream === true,
    system: text(body?.system),
    firstUserText: text(messages[0]?.content),
    lastToolResults,
    toolNames: Array.isArray(body?.tools) ? body.tools.map((t: { name: string }) => t.name) : [],
  };
}

const matches = (script: FakeScript, req: FakeRequest): boolean => {
  const haystack = `${req.system}\n${req.firstUserText}`;
  if (typeof script.match === 'string') return haystack.includes(script.match);
  if (script.match instanceof RegExp) return script.match.test(haystack);
  return script.match(req);
};

/** The prefix a request marks for caching (everything up to its last cache_control), hashed; undefined when it marks none. */
function cachedPrefix(body: FakeRequest['body']): { hash: string; tokens: number } | undefined {
  const parts: unknown[] = [body?.tools ?? []];
  let marked: unknown[] | undefined;
  for (const block of Array.isArray(body?.system) ? body.system : []) {
    parts.push(block);
    if (block?.cache_control) marked = [...parts];
  }
  const first = body?.messages?.[0];
  for (const block of Array.isArray(first?.content) ? first.content : []) {
    parts.push(block);
    if (block?.cache_control) marked = [...parts];
  }
  if (!marked) return undefined;
  const json = JSON.stringify(marked);
  return { hash: createHash('sha256').update(json).digest('hex'), tokens: Math.ceil(json.length / 4) };
}

/** Starts a fake Messages API on 127.0.0.1 (a free port) that answers POST /v1/messages from `scenario`. */
export async function startFakeAnthropic(scenario: FakeScenario, options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const cache = new Set<string>();
  const queues = typeof scenario === 'function' ? [] : scenario.scripts.map((s) => ({ script: s, replies: [...s.replies] }));

  const choose = async (req: FakeRequest): Promise<FakeReply> => {
    if (typeof scenario === 'function') return scenario(req);
    const queue = queues.find((q) => q.replies.length > 0 && matches(q.script, req));
    const next = queue?.replies.shift();
    if (next) return next;
    return { kind: 'error', status: 400, errorType: 'invalid_request_error', message: `fake-anthropic: no scripted reply left for request #${req.index} (system: ${req.system.slice(0, 60)}…)` };
  };

  const usageFor = (req: FakeRequest, given: Partial<FakeUsage> | undefined): FakeUsage => {
    const prefix = cachedPrefix(req.body);
    const hit = prefix !== undefined && cache.has(prefix.hash);
    if (prefix) cache.add(prefix.hash);
    return {
      input_tokens: 100,
      output_tokens: 50,
      cache_creation_input_tokens: prefix && !hit ? prefix.tokens : 0,
      cache_read_input_tokens: prefix && hit ? prefix.tokens : 0,
      ...given,
    };
  };

  const respond = async (req: FakeRequest, res: ServerResponse): Promise<void> => {
    const id = `req_fake_${req.index}`;
    res.setHeader('request-id', id);
    if (req.method !== 'POST' || !req.path.startsWith('/v1/messages')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody('not_found_error', `fake-anthropic: no route ${req.method} ${req.path}`)));
      return;
    }
    if (options.apiKey !== undefined && req.apiKey !== options.apiKey) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody('authentication_error', 'invalid x-api-key')));
      return;
    }
    const r = await choose(req);
    if (r.kind === 'hang') return; // The client gives up (abort or timeout); close() ends the socket.
    if (r.delayMs) {
      const waited = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), r.delayMs);
        res.on('close', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (!waited || res.destroyed) return;
    }
    if (r.kind === 'error' || (r.kind === 'stream-error' && !req.stream)) {
      const [status, type, message, headers, code] =
        r.kind === 'error' ? [r.status, r.errorType, r.message, r.headers ?? {}, r.errorCode] : [500, r.errorType, r.message, {}, undefined];
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(errorBody(type, message, code)));
      return;
    }
    if (r.kind === 'malformed') {
      res.writeHead(200, { 'content-type': req.stream ? 'text/event-stream' : 'application/json' });
      res.end(req.stream ? 'event: message_start\ndata: {"type":"message_start","message":{"id":\n\n' : '{"id":"msg_broken","type":"message","content":[{"type":');
      return;
    }
    const usage = usageFor(req, r.kind === 'message' ? r.usage : undefined);
    if (r.kind === 'message') {
      req.answered = usage;
      options.onAnswered?.(req);
    }
    const message = messageBody(`msg_${req.index}`, String(req.body?.model ?? 'unknown'), r.kind === 'message' ? r.content : [], r.kind === 'message' ? (r.stopReason ?? 'end_turn') : 'end_turn', usage);
    if (!req.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const events = r.kind === 'stream-error' ? failingStreamEvents(message, r.errorType, r.message) : streamEvents(message);
    for (const event of events) res.write(event);
    res.end();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = describe(requests.length, req, Buffer.concat(chunks).toString('utf8'));
      requests.push(recorded);
      respond(recorded, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(errorBody('api_error', `fake-anthropic scenario threw: ${(err as Error).message}`)));
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

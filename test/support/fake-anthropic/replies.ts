/** What a fake request looked like, as a scenario sees it (and as tests assert on it afterwards). */
export interface FakeRequest {
  /** 0-based arrival order. */
  index: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The key the client sent (`x-api-key` or `Authorization: Bearer`), for asserting it matched the configured one. */
  apiKey?: string;
  /** The raw body, for asserting what was (not) sent. */
  raw: string;
  /** The parsed JSON body the SDK built; typed loosely so tests can read any field. */
  body: any;
  stream: boolean;
  /** System prompt text, blocks joined. */
  system: string;
  /** Text of the first user message, blocks joined (the mission, the task key, the objective). */
  firstUserText: string;
  /** tool_result blocks of the last message, when it is a user turn answering tool calls. */
  lastToolResults: { toolUseId: string; content: string; isError: boolean }[];
  toolNames: string[];
  /** The usage the fake answered with (what this request was billed for), once answered with a message. */
  answered?: FakeUsage;
}

/** A content block the fake model answers with. */
export type FakeBlock = { type: 'text'; text: string } | { type: 'tool_use'; id?: string; name: string; input: unknown };

/** Token counts of a fake reply; omitted fields are filled in (cache fields simulate prompt caching). */
export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** One scripted answer: a message, an HTTP error, a broken body, a stream that fails midway, or no answer at all. */
export type FakeReply =
  | { kind: 'message'; content: FakeBlock[]; stopReason?: string; usage?: Partial<FakeUsage>; delayMs?: number }
  | { kind: 'error'; status: number; errorType: string; message: string; headers?: Record<string, string>; errorCode?: string; delayMs?: number }
  | { kind: 'malformed'; delayMs?: number }
  | { kind: 'stream-error'; errorType: string; message: string; delayMs?: number }
  | { kind: 'hang' };

/** Text block. */
export const say = (text: string): FakeBlock => ({ type: 'text', text });

/** tool_use block. */
export const call = (name: string, input: unknown, id?: string): FakeBlock => ({ type: 'tool_use', name, input, ...(id ? { id } : {}) });

/** A message with `blocks`; stop_reason tool_use when it calls a tool, else end_turn. */
export function reply(...blocks: FakeBlock[]): FakeReply {
  return { kind: 'message', content: blocks, stopReason: blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn' };
}

/** `r` with its usage set (for budget tests). */
export const withUsage = (r: FakeReply, usage: Partial<FakeUsage>): FakeReply => (r.kind === 'message' ? { ...r, usage } : r);

/** `r` answered after `ms`. */
export const slow = (ms: number, r: FakeReply): FakeReply => (r.kind === 'hang' ? r : { ...r, delayMs: ms });

/** A submit_report call with sensible defaults for the fields not given. */
export function submitReport(report: Record<string, unknown> = {}): FakeReply {
  return reply(call('submit_report', { status: 'success', summary: 'Done.', artifacts: [], claims: [], insights: [], followUps: [], reflections: [], ...report }));
}

/** A submit_plan call. */
export const submitPlan = (tasks: unknown[]): FakeReply => reply(call('submit_plan', { tasks }));

/** A submit_synthesis call with empty lists for the fields not given. */
export function submitSynthesis(synthesis: Record<string, unknown> = {}): FakeReply {
  return reply(call('submit_synthesis', { agreements: [], conflicts: [], patterns: [], unknowns: [], insights: [], decisions: [], ...synthesis }));
}

const error = (status: number, errorType: string, message: string, headers?: Record<string, string>): FakeReply => ({ kind: 'error', status, errorType, message, headers });

/** Injected faults. */
export const fault = {
  rateLimited: (headers: Record<string, string> = {}) => error(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', headers),
  spendLimit: () => error(429, 'rate_limit_error', 'You have reached your specified workspace API usage limits (spend limit)'),
  creditBalance: () => error(400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'),
  overloaded: (headers: Record<string, string> = {}) => error(529, 'overloaded_error', 'Overloaded', headers),
  serverError: () => error(500, 'api_error', 'Internal server error'),
  unauthorized: () => error(401, 'authentication_error', 'invalid x-api-key'),
  forbidden: () => error(403, 'permission_error', 'Your API key does not have permission to use the specified resource.'),
  notFound: () => error(404, 'not_found_error', 'model: claude-nonexistent'),
  badRequest: (message = 'messages: roles must alternate between "user" and "assistant"') => error(400, 'invalid_request_error', message),
  malformed: (): FakeReply => ({ kind: 'malformed' }),
  midStream: (errorType = 'overloaded_error', message = 'Overloaded'): FakeReply => ({ kind: 'stream-error', errorType, message }),
  hang: (): FakeReply => ({ kind: 'hang' }),
};

/** Claude Code's `StructuredOutput` call: how a claude-code agent hands over its report, plan or synthesis. */
export const structured = (value: unknown): FakeReply => reply(call('StructuredOutput', value));

/** A claude-code agent's report via StructuredOutput, with sensible defaults for the fields not given. */
export function structuredReport(report: Record<string, unknown> = {}): FakeReply {
  return structured({ status: 'success', summary: 'Done.', artifacts: [], claims: [], insights: [], followUps: [], reflections: [], ...report });
}

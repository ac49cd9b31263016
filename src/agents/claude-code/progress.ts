import type { Usage } from '../../shared/activity-types';
import { costOf, type TokenCounts } from '../prices';
import { addApiUsage, emptyUsage, type ApiUsage } from '../usage';

/** What a running Claude Code session has done so far: heartbeat details, and the usage a failed run still reports. */
export interface SessionProgress {
  runtime: 'claude-code';
  /** Claude Code's session id, once its init message arrived (a retry resumes it). */
  session?: string;
  /** Model requests answered so far. */
  turn: number;
  /** The tool the agent used last. */
  lastTool?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** Message ids already counted: Claude Code sends one assistant message per content block, each with the reply's usage. */
  seen: string[];
  /** The reply being streamed: its usage grows from message_start to message_delta (partial messages). */
  current?: { id: string; counts: TokenCounts };
}

/** A session that has not started. */
export function startProgress(session?: string): SessionProgress {
  return { runtime: 'claude-code', ...(session ? { session } : {}), turn: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, seen: [] };
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose | undefined => (v && typeof v === 'object' ? (v as Loose) : undefined);
const ZERO: TokenCounts = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
const fromApi = (api: ApiUsage): TokenCounts => countsOf(addApiUsage(emptyUsage('-'), api));
const max = (a: TokenCounts, b: TokenCounts): TokenCounts => ({
  inputTokens: Math.max(a.inputTokens, b.inputTokens),
  outputTokens: Math.max(a.outputTokens, b.outputTokens),
  cacheReadTokens: Math.max(a.cacheReadTokens, b.cacheReadTokens),
  cacheWriteTokens: Math.max(a.cacheWriteTokens, b.cacheWriteTokens),
});

/** `p` with reply `id`'s usage counted once: a new reply is a turn; the same reply again only raises its counts. */
function account(p: SessionProgress, id: string, api: ApiUsage, model: string): SessionProgress {
  const same = p.current?.id === id;
  if (!same && p.seen.includes(id)) return p;
  const before = same ? (p.current?.counts ?? ZERO) : ZERO;
  const counts = max(before, fromApi(api));
  const total = countsOf(p);
  const next: TokenCounts = {
    inputTokens: total.inputTokens - before.inputTokens + counts.inputTokens,
    outputTokens: total.outputTokens - before.outputTokens + counts.outputTokens,
    cacheReadTokens: total.cacheReadTokens - before.cacheReadTokens + counts.cacheReadTokens,
    cacheWriteTokens: total.cacheWriteTokens - before.cacheWriteTokens + counts.cacheWriteTokens,
  };
  return {
    ...p,
    ...next,
    costUsd: costOf(model, next).costUsd,
    turn: same ? p.turn : p.turn + 1,
    seen: same ? p.seen : [...p.seen, id].slice(-50),
    current: { id, counts },
  };
}

/** `p` after one SDK message: the session id from init, a turn and its tokens per new reply (growing while it streams), the last tool it called. */
export function advance(p: SessionProgress, message: unknown, model: string): SessionProgress {
  const m = obj(message);
  if (!m) return p;
  const session = typeof m.session_id === 'string' ? m.session_id : p.session;
  const withSession = session === p.session ? p : { ...p, ...(session ? { session } : {}) };
  if (m.type === 'stream_event') {
    const event = obj(m.event);
    const started = obj(event?.message);
    if (event?.type === 'message_start' && typeof started?.id === 'string') return account(withSession, started.id, (obj(started.usage) ?? {}) as ApiUsage, model);
    if (event?.type === 'message_delta' && p.current) return account(withSession, p.current.id, (obj(event.usage) ?? {}) as ApiUsage, model);
    return withSession;
  }
  if (m.type !== 'assistant') return withSession;
  const reply = obj(m.message);
  const content = Array.isArray(reply?.content) ? (reply.content as Loose[]) : [];
  const tool = content.filter((b) => b?.type === 'tool_use').map((b) => String(b.name)).at(-1);
  const next: SessionProgress = { ...withSession, ...(tool ? { lastTool: tool } : {}) };
  return typeof reply?.id === 'string' ? account(next, reply.id, (obj(reply.usage) ?? {}) as ApiUsage, model) : next;
}

const countsOf = (u: TokenCounts): TokenCounts => ({ inputTokens: u.inputTokens, outputTokens: u.outputTokens, cacheReadTokens: u.cacheReadTokens, cacheWriteTokens: u.cacheWriteTokens });

/** The heartbeat details of `p` (no bookkeeping fields), so `baton status` and the Temporal UI show progress. */
export function progressDetails(p: SessionProgress, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { seen: _seen, current: _current, ...shown } = p;
  return { ...shown, costUsd: Math.round(shown.costUsd * 1e6) / 1e6, ...extra };
}

/** The usage streamed so far, priced from the table (what a run that never produced a result message is charged). */
export function progressUsage(p: SessionProgress, model: string): Usage {
  const counts = countsOf(p);
  return { model, ...counts, ...costOf(model, counts) };
}

const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** The spend since the previous result from `model_usage_since_last_result` (per model, with the CLI's `costUSD`), else undefined. */
function sinceLastResult(result: Loose, model: string): Usage | undefined {
  const perModel = obj(result.model_usage_since_last_result);
  const rows = perModel ? Object.values(perModel).map(obj).filter((r): r is Loose => r !== undefined) : [];
  if (!rows.length) return undefined;
  const sum = (field: string) => rows.reduce((total, r) => total + n(r[field]), 0);
  return {
    model,
    inputTokens: Math.round(sum('inputTokens')),
    outputTokens: Math.round(sum('outputTokens')),
    cacheReadTokens: Math.round(sum('cacheReadInputTokens')),
    cacheWriteTokens: Math.round(sum('cacheCreationInputTokens')),
    costUsd: sum('costUSD'),
    priced: true,
  };
}

/**
 * The CLI's own figures from a result message (what the user is billed). A resumed session's `total_cost_usd` carries the
 * earlier turns too, so the spend since the previous result is preferred; else the result's usage and `total_cost_usd`.
 */
export function resultUsage(result: Loose, model: string): Usage | undefined {
  const since = sinceLastResult(result, model);
  if (since) return since;
  const u = obj(result.usage);
  if (!u) return undefined;
  const counts: TokenCounts = {
    inputTokens: Math.round(n(u.input_tokens)),
    outputTokens: Math.round(n(u.output_tokens)),
    cacheReadTokens: Math.round(n(u.cache_read_input_tokens)),
    cacheWriteTokens: Math.round(n(u.cache_creation_input_tokens)),
  };
  const cost = typeof result.total_cost_usd === 'number' && result.total_cost_usd >= 0 ? { costUsd: result.total_cost_usd, priced: true } : costOf(model, counts);
  return { model, ...counts, ...cost };
}

/** `a` plus `b` (same model label as `a`). */
export function sumUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  return {
    model: a.model,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: Math.round((a.costUsd + b.costUsd) * 1e6) / 1e6,
    priced: a.priced && b.priced,
  };
}

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { AgentRuntimeError, type AgentRunContext } from '../agents/runtime';
import { Usage } from '../shared/activity-types';
import { sumUsage } from '../agents/claude-code/progress';

/** Heartbeat field holding what earlier attempts of this activity spent and reported no result for. */
const FIELD = 'earlierAttempts';

/** What earlier attempts spent, from the heartbeat details the previous attempt left (checked), or undefined. */
export function carriedSpend(details: unknown): Usage | undefined {
  const parsed = Usage.safeParse((details as Record<string, unknown> | undefined)?.[FIELD]);
  return parsed.success ? parsed.data : undefined;
}

/** Where a failed attempt leaves its spend for the next one: Temporal does not pass the heartbeat sent just before a failure on. */
export type SpendNote = { file: string } | undefined;

/** The spend note of one activity execution (`<dataDir>/<project>/attempt-spend/<workflow>--<activity>.json`). */
export function spendNote(projectDir: string, workflowId: string, activityId: string): SpendNote {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return { file: path.join(projectDir, 'attempt-spend', `${safe(workflowId)}--${safe(activityId)}.json`) };
}

/** A note's spend and the attempt that wrote it (notes written before attempts were recorded count as the previous one's). */
async function readNote(note: SpendNote): Promise<{ usage: Usage; attempt?: number } | undefined> {
  if (!note) return undefined;
  const text = await readFile(note.file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const usage = Usage.safeParse(json.usage ?? json).data;
    return usage ? { usage, ...(typeof json.attempt === 'number' ? { attempt: json.attempt } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a crashed attempt (worker killed, no failure reported) had streamed by its last heartbeat: the token counts and
 * cost a model runtime heartbeats (the claude-code runtime's progress); undefined when the details hold none.
 */
export function crashedSpend(details: unknown): Usage | undefined {
  const d = (details ?? {}) as Record<string, unknown>;
  if (typeof d.costUsd !== 'number' || typeof d.inputTokens !== 'number') return undefined;
  const parsed = Usage.safeParse({ ...d, model: typeof d.model === 'string' ? d.model : 'unknown', priced: true });
  return parsed.success && (parsed.data.costUsd > 0 || parsed.data.inputTokens > 0) ? parsed.data : undefined;
}

/** Forgets the note once an attempt's outcome (a report, or the last failure) carries the spend to the workflow. */
export async function clearNote(note: SpendNote): Promise<void> {
  if (note) await rm(note.file, { force: true });
}

/** A run context whose heartbeats carry `earlier` along, so a later attempt still learns what this and earlier ones spent. */
export async function carrying(ctx: AgentRunContext, note?: SpendNote): Promise<AgentRunContext & { earlier?: Usage; note?: SpendNote; lastDetails: () => Record<string, unknown> }> {
  const noted = ctx.attempt > 1 ? await readNote(note) : undefined;
  // A note the previous attempt wrote holds everything up to it; with none, that attempt crashed: what it had heartbeated
  // (its own progress, plus what it carried from earlier ones) is all that is left of its spend.
  const earlier =
    ctx.attempt <= 1
      ? undefined
      : noted && (noted.attempt === undefined || noted.attempt === ctx.attempt - 1)
        ? noted.usage
        : sumUsage(carriedSpend(ctx.heartbeatDetails) ?? noted?.usage, crashedSpend(ctx.heartbeatDetails));
  let last: Record<string, unknown> = {};
  const heartbeat = (details?: unknown) => {
    last = details && typeof details === 'object' && !Array.isArray(details) ? { ...(details as Record<string, unknown>) } : details === undefined ? {} : { details };
    ctx.heartbeat(earlier ? { ...last, [FIELD]: earlier } : last);
  };
  return { ...ctx, heartbeat, ...(earlier ? { earlier } : {}), ...(note ? { note } : {}), lastDetails: () => last };
}

/** The usage a runtime's failure carries (AgentRuntimeError, or a cancellation's details). */
function usageOf(err: unknown): Usage | undefined {
  if (err instanceof AgentRuntimeError) return err.usage;
  if (err instanceof CancelledFailure) return Usage.safeParse((err.details[0] as { usage?: unknown } | undefined)?.usage).data;
  return undefined;
}

/**
 * `err` carrying the spend of this attempt plus the earlier ones, so the workflow records it when this attempt is the last;
 * heartbeated too, so the next attempt (when Temporal retries) carries it on instead.
 */
export async function withAttemptSpend(err: unknown, ctx: Awaited<ReturnType<typeof carrying>> | undefined): Promise<unknown> {
  if (!ctx) return err;
  const total = sumUsage(ctx.earlier, usageOf(err));
  if (!total) return err;
  ctx.heartbeat({ ...ctx.lastDetails(), [FIELD]: total });
  if (ctx.note) {
    await mkdir(path.dirname(ctx.note.file), { recursive: true });
    await writeFile(ctx.note.file, JSON.stringify({ usage: total, attempt: ctx.attempt }));
  }
  if (err instanceof AgentRuntimeError) return new AgentRuntimeError(err.type, err.message, err.retryable, err.nextRetryDelayMs, total);
  if (err instanceof CancelledFailure) return new CancelledFailure(err.message, [{ usage: total }]);
  return err;
}

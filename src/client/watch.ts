import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { eventsQuery, type EventsPage, waitEventsUpdate } from '../shared/events';
import { workflowIdFor } from '../shared/messages';
import { type BatonClient, BatonError } from './baton-client';

/** How a reader follows the event log. */
export interface FollowOptions {
  /** Longest a long-poll waits in the workflow for a new event. */
  waitMs?: number;
  /** While nothing happens, poll with the `events` query (no history) this often instead of long-polling. */
  idlePollMs?: number;
  signal?: AbortSignal;
}

/**
 * Every page of events of a project's orchestration, from ordinal `after` on, as they happen. Long-polls with the
 * `waitEvents` update while events flow; once a poll comes back empty it polls with the `events` query until
 * something happens, so a watcher of an idle orchestration adds nothing to its history. A reader of an
 * orchestration that was replaced (ordinals start over) starts again from 1.
 */
export async function* followEvents(baton: BatonClient, project: string, after = 0, opts: FollowOptions = {}): AsyncGenerator<EventsPage> {
  // Under the client's 20 s worker deadline, so a quiet long-poll is an empty page, not a timeout.
  const waitMs = opts.waitMs ?? 15_000;
  const idlePollMs = opts.idlePollMs ?? 1000;
  let quiet = false;
  while (!opts.signal?.aborted) {
    let page: EventsPage;
    try {
      page = quiet ? await queryEvents(baton, project, after) : await waitEvents(baton, project, after, waitMs);
    } catch (err) {
      // Between a replaced orchestration and its successor there may be nothing to ask for a moment.
      if (err instanceof BatonError && /no longer running|completed before the Update completed/.test(err.message)) {
        await sleep(idlePollMs, opts.signal);
        continue;
      }
      throw err;
    }
    if (page.next - 1 < after) {
      after = 0;
      continue;
    }
    if (page.events.length) {
      after = page.events.at(-1)?.ordinal ?? after;
      quiet = false;
      yield page;
    } else {
      if (quiet) await sleep(idlePollMs, opts.signal);
      quiet = true;
    }
  }
}

/** One long-poll of the log with the `waitEvents` update; a worker running code from before events is named as the cause. */
export async function waitEvents(baton: BatonClient, project: string, after: number, waitMs: number): Promise<EventsPage> {
  try {
    return await baton.update(project, waitEventsUpdate, { afterOrdinal: after, waitMs });
  } catch (err) {
    if (err instanceof BatonError && /No registered handler for update/.test(err.message)) {
      throw new BatonError(`the worker running project ${project} has no event log (it runs Baton code from before events): restart it (\`baton down\`, then \`baton demo\` or \`baton worker\`)`);
    }
    throw err;
  }
}

/** One read of the log with the `events` query: immediate, and free of history. */
export async function queryEvents(baton: BatonClient, project: string, after: number): Promise<EventsPage> {
  const handle = baton.client.workflow.getHandle(workflowIdFor(project));
  try {
    return await handle.query(eventsQuery, { afterOrdinal: after });
  } catch (err) {
    if (err instanceof Error && /not found/i.test(err.message)) throw new BatonError(`no orchestration for project ${project}; start one with \`baton new --project ${project}\``);
    if (err instanceof Error && /already completed|not running/i.test(err.message)) throw new BatonError(`the orchestration for project ${project} is no longer running`);
    throw err;
  }
}

/**
 * What each running agent's activity last reported (heartbeat details), by agent id. Best effort: spawnAgent
 * activities and running agents are both in start order, so they are paired only when the counts agree.
 */
export async function agentProgress(baton: BatonClient, project: string, runningAgentIds: string[]): Promise<Record<string, string>> {
  try {
    const described = await baton.client.workflow.getHandle(workflowIdFor(project)).describe();
    const pending = (described.raw.pendingActivities ?? [])
      .filter((a) => a.activityType?.name === 'spawnAgent')
      .sort((a, b) => Number(a.activityId) - Number(b.activityId));
    const ids = [...runningAgentIds].sort();
    if (pending.length !== ids.length) return {};
    const out: Record<string, string> = {};
    for (const [i, a] of pending.entries()) {
      const details = a.heartbeatDetails?.payloads?.length ? await decodeFromPayloadsAtIndex<unknown>(baton.client.options.loadedDataConverter, 0, a.heartbeatDetails.payloads) : undefined;
      const text = progressText(details, a.attempt ?? 1);
      if (text && ids[i]) out[ids[i]] = text;
    }
    return out;
  } catch {
    return {};
  }
}

/** A heartbeat's details in a few words: the scripted runtime's time done, a model loop's turn and tokens. */
export function progressText(details: unknown, attempt = 1): string | undefined {
  const retry = attempt > 1 ? ` (attempt ${attempt})` : '';
  if (!details || typeof details !== 'object') return retry ? retry.trim() : undefined;
  const d = details as Record<string, unknown>;
  if (typeof d.doneMs === 'number' && typeof d.totalMs === 'number' && d.totalMs > 0) return `${Math.min(100, Math.round((100 * d.doneMs) / d.totalMs))}% done${retry}`;
  const tokens = (typeof d.inputTokens === 'number' ? d.inputTokens : 0) + (typeof d.outputTokens === 'number' ? d.outputTokens : 0);
  // The claude-code runtime also says which tool it used last and what the session cost so far.
  const tool = typeof d.lastTool === 'string' ? `, last tool ${d.lastTool}` : '';
  const cost = typeof d.costUsd === 'number' ? `, $${d.costUsd.toFixed(4)}` : '';
  if (typeof d.turn === 'number') return `turn ${d.turn}${tool}, ${tokens} tokens${cost} so far${retry}`;
  if (typeof d.step === 'string') return `${d.step}${retry}`;
  return retry ? retry.trim() : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

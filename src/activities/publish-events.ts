import { log } from '@temporalio/activity';
import { natsConnection, natsUrlFromEnv } from '../nats/bus';
import { subjectFor } from '../events/subjects';
import type { BatonEvent } from '../shared/events';

/** `publishEvents` input: one batch of one orchestration's events, oldest first. */
export interface PublishEventsInput {
  project: string;
  events: BatonEvent[];
}

/** What happened to a batch: `bus` false means none is configured (the workflow rests until the next session). */
export interface PublishEventsResult {
  bus: boolean;
  published: number;
  error?: string;
}

/** How long one batch may wait for the server to acknowledge it. */
const FLUSH_TIMEOUT_MS = 2000;

/** Publish events to NATS when `NATS_URL` is set; best effort, so it reports a problem instead of throwing. */
export function makePublishEvents(env: () => NodeJS.ProcessEnv = () => process.env) {
  return async function publishEvents(input: PublishEventsInput): Promise<PublishEventsResult> {
    const url = natsUrlFromEnv(env());
    if (!url) return { bus: false, published: 0 };
    try {
      const nc = await natsConnection(url);
      const encoder = new TextEncoder();
      for (const e of input.events) nc.publish(subjectFor(e), encoder.encode(JSON.stringify(e)));
      await withTimeout(nc.flush(), FLUSH_TIMEOUT_MS, `NATS at ${url} did not acknowledge within ${FLUSH_TIMEOUT_MS / 1000}s`);
      return { bus: true, published: input.events.length };
    } catch (err) {
      const error = `events ${input.events[0]?.ordinal ?? '?'}–${input.events.at(-1)?.ordinal ?? '?'} of ${input.project} not published to ${url}: ${err instanceof Error ? err.message : String(err)}`;
      log.warn(error);
      return { bus: true, published: 0, error };
    }
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

import { connect, type NatsConnection } from 'nats';

/** How long a publisher waits to reach NATS before giving up on this batch. */
const CONNECT_TIMEOUT_MS = 2000;

const connections = new Map<string, Promise<NatsConnection>>();

/** A shared connection to `url`, opened on first use; a closed or failed one is dropped so the next call reconnects. */
export function natsConnection(url: string): Promise<NatsConnection> {
  let conn = connections.get(url);
  if (!conn) {
    conn = connect({ servers: url, timeout: CONNECT_TIMEOUT_MS, name: 'baton', maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    connections.set(url, conn);
    conn.then(
      (nc) => void nc.closed().finally(() => connections.get(url) === conn && connections.delete(url)),
      () => connections.get(url) === conn && connections.delete(url),
    );
  }
  return conn;
}

/** Close every shared connection (worker shutdown, tests). */
export async function closeNatsConnections(): Promise<void> {
  const all = [...connections.values()];
  connections.clear();
  await Promise.all(all.map((c) => c.then((nc) => nc.drain()).catch(() => undefined)));
}

/** The NATS server URL from the environment (`NATS_URL`), or undefined when no bus is configured. */
export function natsUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.NATS_URL?.trim();
  return url ? url : undefined;
}

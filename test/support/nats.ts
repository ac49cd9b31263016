import { connect, type NatsConnection } from 'nats';
import { type NatsServer, startNatsServer } from '../../src/nats/server';

/** A message a test subscriber received: its subject and JSON body. */
export interface Received {
  subject: string;
  data: Record<string, unknown>;
}

/** A real nats-server on a loopback free port, and a plain subscriber on `subject` that keeps what arrives. */
export async function natsWithSubscriber(subject: string): Promise<{ server: NatsServer; nc: NatsConnection; received: Received[]; close(): Promise<void> }> {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  const received: Received[] = [];
  const sub = nc.subscribe(subject);
  void (async () => {
    for await (const m of sub) received.push({ subject: m.subject, data: JSON.parse(new TextDecoder().decode(m.data)) as Record<string, unknown> });
  })();
  await nc.flush();
  return {
    server,
    nc,
    received,
    async close() {
      await nc.drain().catch(() => undefined);
      await server.stop();
    },
  };
}

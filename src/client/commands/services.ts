import { type Command, Option } from 'commander';
import { startNatsServer } from '../../nats/server';
import { startDevServer } from '../../server/dev-server';
import { localServerOptions, stopLocalServices } from '../local';
import { CODEC_KEY_ENV, codecFromEnv } from '../../codec/aes-codec';
import { startCodecServer } from '../../codec/codec-server';
import { BatonError } from '../baton-client';
import { positiveInt } from '../options';
import { print, type Run } from './orchestration';
import type * as WorkerRun from './worker-run';

const say = (m: string) => process.stderr.write(`${m}\n`);

/** `server`, `worker`, `down`. */
export function registerServiceCommands(program: Command, run: Run): void {
  program
    .command('server')
    .description('run the embedded Temporal dev server (SQLite under the data dir, UI on :8233)')
    .option('--port <n>', 'gRPC port', positiveInt('--port'))
    .option('--ui-port <n>', 'UI port', positiveInt('--ui-port'))
    .option('--headless', 'no UI')
    .option('--ui-codec-endpoint <url>', 'let the UI decrypt payloads through `baton codec-server`, e.g. http://127.0.0.1:8888')
    .option('--detach', 'run in the background and return (stop with `baton down`)')
    .option('--nats', "also run Debian's nats-server on loopback, for events and task intake (foreground only)")
    .option('--nats-port <n>', 'port for --nats (default 4222)', positiveInt('--nats-port'))
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        if (opts.nats && opts.detach) throw new BatonError('--nats runs in the foreground only: drop --detach, or run nats-server yourself and set NATS_URL');
        const options = localServerOptions(session.dataDir, opts.port as number | undefined);
        const server = await startDevServer({
          ...options,
          ...(opts.uiPort !== undefined ? { uiPort: opts.uiPort as number } : {}),
          headless: Boolean(opts.headless),
          detached: Boolean(opts.detach),
          onProgress: say,
          uiCodecEndpoint: opts.uiCodecEndpoint as string | undefined,
        });
        say(`Temporal dev server on ${server.address}${server.uiUrl ? `, UI at ${server.uiUrl}` : ''} (state: ${options.dbFile})`);
        if (opts.detach) return;
        const bus = opts.nats ? await startNatsServer({ port: (opts.natsPort as number | undefined) ?? 4222 }).catch(async (err: Error) => {
          await server.stop();
          throw new BatonError(`--nats: ${err.message}`);
        }) : undefined;
        if (bus) say(`NATS on ${bus.url}: start workers with NATS_URL=${bus.url} to publish events; \`baton intake --nats-url ${bus.url}\` takes objectives`);
        await untilSignal();
        await bus?.stop();
        await server.stop();
      }),
    );

  program
    .command('worker')
    .description('run a Baton worker (workflows and agents) until Ctrl-C')
    .addOption(new Option('--queues <which>', 'which task queues to serve').choices(['all', 'workflows', 'agents']))
    .option('--max-concurrent-agents <n>', 'agent activities at once', positiveInt('--max-concurrent-agents'))
    .option('--metrics-port <n>', "serve Prometheus /metrics on loopback: Baton's metrics and the Temporal runtime's", positiveInt('--metrics-port'))
    .option('--wait-for-server <seconds>', 'wait up to this long for the Temporal server to answer before connecting (default: fail at once)', positiveInt('--wait-for-server'))
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        // Loaded only here: the worker's modules (@temporalio/worker, the activities) take a second or more to load,
        // and every other command, \`demo\` included (its worker is a process of its own), does without them.
        const { runWorker } = require('./worker-run') as typeof WorkerRun;
        await runWorker(session, opts);
      }),
    );

  program
    .command('codec-server')
    .description('serve /encode and /decode for the Temporal UI with the BATON_CODEC_KEY codec (loopback)')
    .option('--port <n>', 'port', positiveInt('--port'), 8888)
    .option('--ui-origin <url>', 'the UI origin allowed to call it', 'http://localhost:8233')
    .action((_o, cmd: Command) =>
      run(cmd, async (_session, opts) => {
        const codec = codecFromEnv();
        if (!codec) throw new BatonError(`set ${CODEC_KEY_ENV} (base64 of 32 random bytes) to run the codec server`);
        const server = await startCodecServer(codec, { port: opts.port as number, uiOrigin: String(opts.uiOrigin) });
        say(`codec server on http://127.0.0.1:${opts.port} (key ${codec.keyId}); start the server with --ui-codec-endpoint http://127.0.0.1:${opts.port}`);
        await untilSignal();
        server.close();
      }),
    );

  program
    .command('down')
    .description('stop the background server and worker that `baton demo` / `baton server --detach` started')
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        const r = await stopLocalServices(session.dataDir);
        print(opts.json ? r : `worker: ${r.worker ? 'stopped' : 'not running'} · server: ${r.server ? 'stopped' : 'not running'}`);
      }),
    );
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

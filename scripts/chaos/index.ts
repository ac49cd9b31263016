/**
 * `npm run chaos`: the kill-and-restart drills at full size, on throwaway loopback dev servers.
 * Prints a markdown table of figures and writes them to bench/results/chaos-<timestamp>.json.
 * `npm run chaos -- --only workers,server,stop --short` runs a subset, or the `npm test` sizes.
 * CHAOS_SEED=<n> replays a run's random kill points; CHAOS_BATON_BIN=<file> runs the workers from another entry point
 * (e.g. a patched build), in place of bin/baton.js.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startDevServer } from '../../src/server/dev-server';
import { resolveTemporalCli } from '../../src/server/temporal-binary';
import { type DrillFigures, markdownTable, writeResults } from './figures';
import { drillPort } from './harness';
import { killEverythingNow } from './processes';
import { IMMEDIATE_STOP_FULL, IMMEDIATE_STOP_SHORT, immediateStopDrill } from './immediate-stop';
import { SERVER_KILLS_FULL, SERVER_KILLS_SHORT, serverKillDrill } from './server-kills';
import { WORKER_KILLS_FULL, WORKER_KILLS_SHORT, workerKillDrill } from './worker-kills';

const DRILLS = ['workers', 'server', 'stop'] as const;
type Drill = (typeof DRILLS)[number];

function parseArgs(argv: string[]): { only: Drill[]; short: boolean } {
  const short = argv.includes('--short');
  const i = argv.indexOf('--only');
  const only = i >= 0 ? (argv[i + 1] ?? '').split(',').filter(Boolean) : [...DRILLS];
  const unknown = only.filter((d) => !(DRILLS as readonly string[]).includes(d));
  if (unknown.length || !only.length) throw new Error(`--only takes a comma-separated list of ${DRILLS.join(', ')}`);
  return { only: only as Drill[], short };
}

async function main(): Promise<number> {
  const { only, short } = parseArgs(process.argv.slice(2));
  const log = (m: string) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cli = await resolveTemporalCli({ onProgress: log });
  const started = Date.now();
  const rows: DrillFigures[] = [];

  if (only.includes('workers') || only.includes('stop')) {
    const server = await startDevServer({ cli, port: await drillPort(), headless: true, logLevel: 'error' });
    log(`dev server for the worker and stop drills on ${server.address}`);
    const target = { address: server.address, namespace: server.namespace };
    try {
      if (only.includes('workers')) {
        log('drill: worker kill -9');
        rows.push(await workerKillDrill(target, short ? WORKER_KILLS_SHORT : WORKER_KILLS_FULL, log));
      }
      if (only.includes('stop')) {
        log('drill: immediate stop with many agents');
        rows.push(await immediateStopDrill(target, short ? IMMEDIATE_STOP_SHORT : IMMEDIATE_STOP_FULL, log));
      }
    } finally {
      await server.stop();
    }
  }
  if (only.includes('server')) {
    log('drill: dev server kill -9');
    rows.push(await serverKillDrill({ cli, port: await drillPort() }, short ? SERVER_KILLS_SHORT : SERVER_KILLS_FULL, log));
  }

  const file = writeResults(rows, { started: new Date(started).toISOString(), wallMs: Date.now() - started, size: short ? 'short' : 'full' });
  process.stdout.write(`\n${markdownTable(rows)}\n\nFigures written to ${file}\n`);
  return rows.some((r) => r.problems.length) ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killEverythingNow();
    // Attached dev servers are killed by their handles' exit hooks.
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { withLongGrowth } from './long';
import { markdownTable, writeReport } from './report';
import { runBench } from './run';
import { BENCHMARKS, FULL, SMOKE, type BenchName } from './sizes';

const USAGE = `usage: npm run bench [-- --smoke | --long] [--only ${BENCHMARKS.join(',')}] [--out DIR]\n  --long: the growth benchmark alone (unless --only says more) at 100,000 tasks`;

async function main(argv: string[]): Promise<number> {
  let values: { smoke?: boolean; long?: boolean; only?: string; out?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { smoke: { type: 'boolean' }, long: { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' } } }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.smoke && values.long) {
    process.stderr.write(`--smoke and --long cannot be combined\n${USAGE}\n`);
    return 2;
  }
  const only = values.only?.split(',').map((s) => s.trim()) ?? (values.long ? ['growth'] : undefined);
  const unknown = only?.filter((b) => !(BENCHMARKS as readonly string[]).includes(b));
  if (unknown?.length) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const t0 = Date.now();
  const log = (m: string) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${m}\n`);
  const report = await runBench({ sizes: values.smoke ? SMOKE : values.long ? withLongGrowth(FULL) : FULL, only: only as BenchName[] | undefined, log });
  const file = writeReport(report, path.resolve(values.out ?? path.join(__dirname, 'results')));
  const each = Object.entries(report.secondsEach).map(([name, s]) => `${name} ${s.toFixed(0)} s`).join(', ');
  process.stdout.write(`${markdownTable(report)}\nJSON: ${path.relative(process.cwd(), file)} · total ${(report.durationMs / 1000).toFixed(0)} s (${each})\n`);
  return Object.keys(report.errors).length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);

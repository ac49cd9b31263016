import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { markdownTable, writeReport } from '../../bench/report';
import { runBench } from '../../bench/run';
import { BENCHMARKS, SMOKE } from '../../bench/sizes';
import { testServerInfo } from '../support/test-server';

// Keeps `npm run bench` working: every benchmark at toy size, once. Timings are never asserted here.
test('the benchmark harness runs every benchmark at toy size and reports each one', async () => {
  const report = await runBench({ sizes: SMOKE, server: testServerInfo() });

  expect(report.errors).toEqual({});
  const { overhead, parallel, chain, growth, idle, coldStart } = report.results;
  expect(overhead?.tasks).toBe(SMOKE.overhead.tasks);
  expect(Number.isFinite(overhead?.ratio)).toBe(true);
  expect(parallel?.batonEfficiency.n).toBe(SMOKE.parallel.repeats);
  expect(chain?.depth).toBe(SMOKE.chain.depth);
  expect(growth?.completed).toBeGreaterThanOrEqual(SMOKE.growth.target);
  expect(growth?.runs.count).toBeGreaterThan(1);
  expect(growth?.checkpoints).toHaveLength(SMOKE.growth.checkpoints.length);
  expect(idle?.orchestrations).toBe(SMOKE.idle.orchestrations);
  expect(coldStart?.milestonesMs.firstAgent).toBeGreaterThan(0);
  expect(report.results.landing?.sequential.batonMs.n).toBe(SMOKE.landing.repeats);
  expect(Number.isFinite(report.results.landing?.parallel.ratio)).toBe(true);
  expect(report.results.delegation?.tasks).toBe(SMOKE.delegation.leads * SMOKE.delegation.tasksPerLead);
  expect(report.results.delegation?.treeMs.n).toBe(SMOKE.delegation.repeats);
  // Delegation runs on Baton's own server settings and again on the plain dev server, each row naming its server.
  expect(report.results.delegation?.server).toContain('history.transferProcessorMaxPollRPS=1000');
  expect(report.results.delegationPlain?.treeMs.n).toBe(SMOKE.delegation.repeats);
  // Each benchmark's share of the run's time is reported, and the shares fit in the total.
  expect(Object.keys(report.secondsEach).sort()).toEqual([...BENCHMARKS].sort());
  expect(Object.values(report.secondsEach).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(report.durationMs / 1000 + 1);

  const table = markdownTable(report);
  for (const row of ['1 Overhead', '2 Parallel', '3 Dependency chain', '4 Growth', '5 Idle', '6 Cold start', '7 Landing', '10 Delegation']) expect(table).toContain(row);
  expect(table).toContain('; plain dev server |');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-smoke-'));
  const file = writeReport(report, dir);
  expect(JSON.parse(fs.readFileSync(file, 'utf8')).sizes).toEqual(SMOKE);
  fs.rmSync(dir, { recursive: true, force: true });
}, 600_000);

import * as fs from 'node:fs';
import * as path from 'node:path';

/** What one drill did and found; the row it prints in the table. */
export interface DrillFigures {
  drill: string;
  runs: number;
  /** kill -9s of the process under test. */
  kills: number;
  /** Replacement processes started (workers) or restarts (server). */
  restarts: number;
  orchestrations: number;
  tasks: number;
  lost: number;
  duplicated: number;
  /** Slowest stop, in ms (immediate-stop drill only). */
  maxCancelLatencyMs?: number;
  wallMs: number;
  /** Drill-specific figures (activity retries, agent processes left, per-stop latencies, …). */
  details: Record<string, number | string>;
  /** Every broken promise in words; empty when the drill passed. */
  problems: string[];
}

/** A drill's figures before anything ran. */
export function emptyFigures(drill: string, details: DrillFigures['details'] = {}): DrillFigures {
  return { drill, runs: 0, kills: 0, restarts: 0, orchestrations: 0, tasks: 0, lost: 0, duplicated: 0, wallMs: 0, details, problems: [] };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The figures as a markdown table, with one line per drill-specific detail under it. */
export function markdownTable(rows: DrillFigures[]): string {
  const lines = [
    '| drill | runs | kills / restarts | orchestrations | tasks | lost / duplicated | max cancel latency | wall time | result |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.drill} | ${r.runs} | ${r.kills} / ${r.restarts} | ${r.orchestrations} | ${r.tasks} | ${r.lost} / ${r.duplicated} | ${
          r.maxCancelLatencyMs === undefined ? '–' : seconds(r.maxCancelLatencyMs)
        } | ${seconds(r.wallMs)} | ${r.problems.length ? `FAIL (${r.problems.length})` : 'ok'} |`,
    ),
  ];
  for (const r of rows) {
    const details = Object.entries(r.details).map(([k, v]) => `${k} ${v}`);
    if (details.length) lines.push('', `- ${r.drill}: ${details.join(' · ')}`);
    for (const p of r.problems.slice(0, 10)) lines.push(`  - problem: ${p}`);
  }
  return lines.join('\n');
}

/** Write the figures to `bench/results/chaos-<timestamp>.json`; returns the file. */
export function writeResults(rows: DrillFigures[], extra: Record<string, unknown>): string {
  const dir = path.resolve(__dirname, '../../bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ ...extra, drills: rows }, null, 2)}\n`);
  return file;
}

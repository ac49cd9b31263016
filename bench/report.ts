import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskBreakdown } from './history';
import type { BenchReport } from './run';
import type { Summary } from './stats';

/** One line of the results table. */
interface Row {
  benchmark: string;
  baton: string;
  baseline: string;
  ratio: string;
  target: string;
  met?: boolean;
}

const n = (x: number, digits = 1) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const spread = (s: Summary, unit: string, digits = 1, scale = 1) => {
  const value = unit ? `${n(s.median / scale, digits)} ${unit}` : n(s.median / scale, digits);
  return s.n > 1 ? `${value} (${n(s.min / scale, digits)}–${n(s.max / scale, digits)})` : value;
};
const times = (x: number, paired?: Summary) => `${n(x, 2)}×${paired && paired.n > 1 ? ` (${n(paired.min, 2)}–${n(paired.max, 2)})` : ''}`;
const mark = (met: boolean | undefined) => (met === undefined ? '—' : met ? '✅' : '❌');

function rows(r: BenchReport): Row[] {
  const out: Row[] = [];
  const { overhead, parallel, chain, chainUnthrottled, growth, idle, coldStart } = r.results;
  if (overhead) {
    out.push({
      benchmark: `1 Overhead per agent spawn (${overhead.tasks} zero-latency tasks, ${overhead.objectives} objectives, cap ${overhead.maxAgents})`,
      baton: spread(overhead.batonMsPerTask, 'ms/task'),
      baseline: `floor ${spread(overhead.floorMsPerTask, 'ms/task')}`,
      ratio: times(overhead.ratio, overhead.pairedRatio),
      // Issue 12's targets from here on: overhead ≤ 1.2×, parallel efficiency ≥ 0.97× the floor's, demo to first agent ≤ 3 s.
      target: '≤ 1.2×',
      met: overhead.ratio <= 1.2,
    });
  }
  if (parallel) {
    out.push({
      benchmark: `2 Parallel efficiency (${parallel.tasks} × ${parallel.delayMs} ms, cap ${parallel.cap})`,
      baton: `wall ${spread(parallel.batonWallMs, 's', 2, 1000)}`,
      baseline: `ideal ${n(parallel.idealMs / 1000, 2)} s; floor efficiency ${n(parallel.floorEfficiency.median, 2)}`,
      ratio: `efficiency ${spread(parallel.batonEfficiency, '', 2)}, ${n(parallel.batonEfficiency.median / parallel.floorEfficiency.median, 2)}× the floor's`,
      target: "≥ 0.97× the floor's",
      met: parallel.batonEfficiency.median >= 0.97 * parallel.floorEfficiency.median,
    });
  }
  if (chain) out.push(chainRow(chain, 'embedded dev server'));
  if (chainUnthrottled) {
    const config = Object.entries(chainUnthrottled.dynamicConfig).map(([k, v]) => `${k}=${v}`).join(', ');
    out.push(chainRow(chainUnthrottled, `dev server with ${config}`));
  }
  if (growth) out.push(...growthRows(growth));
  if (idle) {
    const { baton, floor } = idle;
    out.push(
      {
        benchmark: `5 Idle scale: worker RSS with ${idle.orchestrations} idle orchestrations`,
        baton: `${n(baton.rssMiB, 0)} MiB (${n(baton.rssBaselineMiB, 0)} MiB before)`,
        baseline: `floor ${n(floor.rssMiB, 0)} MiB (${n(floor.rssBaselineMiB, 0)} MiB before)`,
        ratio: times(baton.rssMiB / floor.rssMiB),
        // Issue 12: 500 idle orchestrations in at most 1.5 times the bare floor's worker RSS.
        target: '≤ 1.5×',
        met: baton.rssMiB / floor.rssMiB <= 1.5,
      },
      {
        benchmark: '5 Idle scale: worker RSS per resting workflow',
        baton: `${n(idle.workerRssPerOrchestrationKiB, 0)} KiB per orchestration`,
        baseline: `floor ${n(idle.floorRssPerWorkflowKiB, 0)} KiB per bare workflow`,
        ratio: times(idle.workerRssPerOrchestrationKiB / idle.floorRssPerWorkflowKiB),
        target: '—',
      },
      {
        benchmark: `5 Idle scale: dev server CPU with ${idle.orchestrations} idle orchestrations`,
        baton: `${n(baton.serverCpuPct)} % of a core (RSS ${n(baton.serverRssMiB, 0)} MiB)`,
        baseline: `${n(baton.serverCpuBaselinePct)} % with none (RSS ${n(baton.serverRssBaselineMiB, 0)} MiB)`,
        ratio: baton.serverCpuBaselinePct > 0 ? times(baton.serverCpuPct / baton.serverCpuBaselinePct) : '—',
        target: '—',
      },
    );
  }
  if (r.results.events) {
    const e = r.results.events;
    out.push(
      {
        benchmark: `9 Events on NATS: a demo-sized session (${e.tasks} tasks) publishing to a local nats-server (${e.natsMessagesPerRun} of ${e.eventsPerRun} events received)`,
        baton: spread(e.withNatsMs, 's', 2, 1000),
        baseline: `no bus ${spread(e.withoutNatsMs, 's', 2, 1000)}`,
        ratio: times(e.ratio, e.pairedRatio),
        target: '≤ 1.05×',
        met: e.ratio <= 1.05,
      },
      {
        benchmark: `9 \`baton watch\`: from an event to its line (${e.watchDelayMs.n} live events)`,
        baton: `p50 ${n(e.watchDelayMs.p50, 0)} ms, p99 ${n(e.watchDelayMs.p99, 0)} ms`,
        baseline: '—',
        ratio: '—',
        target: '—',
      },
    );
  }
  for (const d of [r.results.delegation, r.results.delegationPlain]) {
    if (!d) continue;
    out.push({
      benchmark: `10 Delegation: ${d.tasks} tasks × ${d.delayMs} ms as ${d.leads} lead tasks of ${d.tasksPerLead} (child orchestrations), cap ${d.maxAgents}${d.server ? `; ${d.server}` : ''}`,
      baton: `tree ${spread(d.treeMs, 's', 2, 1000)}`,
      baseline: `flat (${d.leads} objectives of ${d.tasksPerLead}) ${spread(d.flatMs, 's', 2, 1000)}`,
      ratio: times(d.ratio, d.pairedRatio),
      target: '≤ 1.3×',
      met: d.ratio <= 1.3,
    });
  }
  if (coldStart) {
    out.push({
      benchmark: '6 Cold start: `baton demo` to first agent spawned',
      baton: spread(coldStart.demoToFirstAgentMs, 's', 1, 1000),
      baseline: `dev server alone ${spread(coldStart.bareServerStartMs, 's', 1, 1000)}`,
      ratio: times(coldStart.ratio),
      target: '≤ 3 s',
      met: coldStart.demoToFirstAgentMs.median <= 3_000,
    });
  }
  if (r.results.landing) {
    const l = r.results.landing;
    for (const [label, m] of [
      ['one at a time', l.sequential],
      [`${l.concurrent} agents at once`, l.parallel],
    ] as const) {
      out.push({
        benchmark: `7 Landing ${l.streams} independent streams on one target (worktree, commit, merge, cleanup), ${label}`,
        baton: spread(m.batonMs, 's', 2, 1000),
        baseline: `plain git script ${spread(m.scriptMs, 's', 2, 1000)}`,
        ratio: times(m.ratio, m.pairedRatio),
        target: '≤ 1.5×',
        met: m.ratio <= 1.5,
      });
    }
  }
  if (r.results.claudeCode) {
    const c = r.results.claudeCode;
    out.push(
      {
        benchmark: '8 One claude-code agent (real Claude Code, fake Messages API: a Read, then the report)',
        baton: spread(c.batonMs, 's', 2, 1000),
        baseline: `bare query() of the same mission ${spread(c.bareMs, 's', 2, 1000)}`,
        ratio: times(c.ratio, c.pairedRatio),
        target: '≤ 1.1×',
        met: c.ratio <= 1.1,
      },
      {
        benchmark: '8 Stop of a claude-code agent: cancellation to the Claude Code process gone',
        baton: spread(c.stopToGoneMs, 's', 2, 1000),
        baseline: '—',
        ratio: '—',
        target: '≤ 5 s',
        met: c.stopToGoneMs.max <= 5000,
      },
    );
  }
  return out;
}

function chainRow(chain: NonNullable<BenchReport['results']['chain']>, server: string): Row {
  const capped = chain.depth < chain.requestedDepth ? `; ${chain.requestedDepth} asked, a plan holds ${chain.depth}` : '';
  return {
    benchmark: `3 Dependency chain, ${chain.depth} deep (${server}${capped})`,
    baton: spread(chain.batonMsPerHop, 'ms/hop'),
    baseline: `floor ${spread(chain.floorMsPerHop, 'ms/activity')}`,
    ratio: times(chain.ratio, chain.pairedRatio),
    target: '≤ 1.3×',
    met: chain.ratio <= 1.3,
  };
}

function growthRows(g: NonNullable<BenchReport['results']['growth']>): Row[] {
  const out: Row[] = [
    {
      benchmark: `4 Growth: tasks through one orchestration`,
      baton: `${n(g.completed, 0)} tasks in ${g.runs.count} runs`,
      baseline: `target ${n(g.target, 0)}`,
      ratio: n(g.completed / g.target, 2),
      target: `${n(g.target, 0)}`,
      met: g.reachedTarget,
    },
    {
      benchmark: `4 Growth: events per run (continue-as-new after ${g.continueAsNewAfterEvents ? n(g.continueAsNewAfterEvents, 0) : "Temporal's suggestion"})`,
      baton: `max ${n(g.runs.maxEvents, 0)}, median ${n(g.runs.events.median, 0)}`,
      baseline: 'limit 4,096',
      ratio: times(g.runs.maxEvents / 4096),
      target: '≤ 4,096',
      met: g.runs.maxEvents <= 4096,
    },
  ];
  const first = g.checkpoints[0];
  for (const cp of g.checkpoints.slice(1)) {
    if (!first) break;
    const ratio = cp.statusLatencyMs.median / first.statusLatencyMs.median;
    out.push({
      benchmark: `4 Growth: status query at ${n(cp.tasks, 0)} tasks`,
      baton: `${spread(cp.statusLatencyMs, 'ms', 0)}, ${n(cp.statusBytes / 1024, 0)} KiB; worker RSS ${n(cp.workerRssMiB, 0)} MiB; ${n(cp.msPerTaskSincePrevious)} ms/task`,
      baseline: `at ${n(first.tasks, 0)}: ${n(first.statusLatencyMs.median, 0)} ms, ${n(first.statusBytes / 1024, 0)} KiB; RSS ${n(first.workerRssMiB, 0)} MiB; ${n(first.msPerTaskSincePrevious)} ms/task`,
      ratio: times(ratio),
      target: cp.checkpoint >= 10_000 ? '≤ 2×' : '— (≤ 2× at 10,000)',
      met: cp.checkpoint >= 10_000 ? ratio <= 2 : undefined,
    });
  }
  return out;
}

const BREAKDOWN_HEADER = [
  '| where the time goes (server timestamps; medians over repeats) | start → first task | activity wait | activity run | workflow tasks | workflow task wait | workflow task run |',
  '|---|---|---|---|---|---|---|',
];

/** Queueing versus work for Baton and the floor, per benchmark that has both. */
function breakdownLines(r: BenchReport): string[] {
  const lines: string[] = [];
  const add = (label: string, b: { baton: TaskBreakdown; floor: TaskBreakdown } | undefined) => {
    if (!b) return;
    for (const [side, t] of [['Baton', b.baton], ['floor', b.floor]] as const) {
      lines.push(`| ${label}: ${side} | ${n(t.toFirstTaskMs, 0)} ms | ${n(t.activityWaitMs)} ms | ${n(t.activityRunMs)} ms | ${n(t.workflowTasks, 0)} | ${n(t.workflowTaskWaitMs)} ms | ${n(t.workflowTaskRunMs)} ms |`);
    }
  };
  add('1 Overhead', r.results.overhead?.breakdown);
  add('2 Parallel', r.results.parallel?.breakdown);
  add('3 Chain', r.results.chain?.breakdown);
  add('3 Chain, unthrottled dispatch', r.results.chainUnthrottled?.breakdown);
  return lines.length ? [...BREAKDOWN_HEADER, ...lines] : [];
}

/** The results as a markdown table, followed by notes on anything that failed or stopped short. */
export function markdownTable(r: BenchReport): string {
  const lines = ['| benchmark | Baton | baseline (same run) | ratio | target | met |', '|---|---|---|---|---|---|'];
  for (const row of rows(r)) lines.push(`| ${row.benchmark} | ${row.baton} | ${row.baseline} | ${row.ratio} | ${row.target} | ${mark(row.met)} |`);
  const notes: string[] = [];
  if (r.results.growth?.stoppedBecause) notes.push(`- Growth stopped at ${n(r.results.growth.completed, 0)} tasks: ${r.results.growth.stoppedBecause}`);
  for (const [name, message] of Object.entries(r.errors)) notes.push(`- ${name} failed: ${message.split('\n')[0]}`);
  const m = r.machine;
  notes.push(
    `- Medians with (min–max) over repeats; ratios in brackets are per paired repeat. Machine: ${m.nproc} × ${m.cpuModel}, ${n(m.memoryGiB)} GiB, Node ${m.node}, load average ${m.loadAverageAtStart.map((x) => n(x, 2)).join(' / ')} at start.`,
  );
  for (const d of [r.results.delegation, r.results.delegationPlain]) {
    if (!d) continue;
    const p = d.treePhases;
    notes.push(
      `- 10 Delegation${d.server ? ` (${d.server})` : ''}, where the time goes (medians): flat: plan ${n(d.flatPlanMs, 0)} ms, agents ${n(d.flatAgentsMs, 0)} ms; tree: root plans ${n(p.rootPlanMs, 0)} ms, child starts ${n(p.childStartMs, 0)} ms, child plans ${n(p.childPlanMs, 0)} ms, agents ${n(p.agentsMs, 0)} ms, last child synthesizes and returns ${n(p.childFinishMs, 0)} ms, root takes it in ${n(p.rootSeesMs, 0)} ms. To rest idle: tree ${spread(d.treeSessionMs, 's', 2, 1000)}, flat ${spread(d.flatSessionMs, 's', 2, 1000)}.`,
    );
  }
  const breakdown = breakdownLines(r);
  return `${lines.join('\n')}\n\n${breakdown.length ? `${breakdown.join('\n')}\n\n` : ''}${notes.join('\n')}\n`;
}

/** Write the report as bench-<timestamp>.json in `dir`; returns the file. */
export function writeReport(report: BenchReport, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

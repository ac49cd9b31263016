// Issue 12's carried-state bound, measured through the reducers and archive step the workflow uses: the bytes of
// the continue-as-new input after 1,000 and 100,000 tasks (4-task plans, an answered escalation every 25
// objectives, the carried limits a new orchestration takes). `npx tsx scripts/carried-growth.ts [tasks...]`. Prints one JSON line.
import { CARRIED_LIMITS } from '../src/shared/limits';
import { carriedGrowth } from '../test/support/growth-sim';

const checkpoints = process.argv.slice(2).map(Number).filter((n) => n > 0);
const points = checkpoints.length ? checkpoints : [1_000, 10_000, 100_000];
const t0 = performance.now();
const rows = carriedGrowth(points, { limits: CARRIED_LIMITS }).map((g) => ({
  tasks: g.tasks,
  carriedKiB: Math.round(g.bytes / 102.4) / 10,
  inState: { tasks: g.state.tasks.length, agents: g.state.agents.length, objectives: g.state.objectives.length, decisions: g.state.decisions.length, insights: g.state.insights.length },
}));
const first = rows[0]!;
const last = rows[rows.length - 1]!;
console.log(JSON.stringify({ rows, ratio: Math.round((last.carriedKiB / first.carriedKiB) * 1000) / 1000, seconds: Math.round((performance.now() - t0) / 1000) }));

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { connectBaton, waitFor } from '../../scripts/chaos/harness';
import { Fleet, killEverythingNow, killMarked, processesWith, type WorkerProcess } from '../../scripts/chaos/processes';
import type { BatonClient } from '../../src/client/baton-client';
import { workflowIdFor } from '../../src/shared/messages';
import type { RuntimeName } from '../../src/shared/schemas';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic';
import { testServerInfo } from '../support/test-server';
import { uniqueProject } from '../support/workflow-env';

// The README's contract: "an immediate stop cancels every agent within 5 s". Measured end to end on the suite's
// real dev server, per runtime, with a real `baton worker` process: agents that would run for minutes (a scripted
// delay, a model call that never answers, a command that sleeps) are stopped, and the clock runs until status
// shows every task stopped AND history holds one ActivityTaskCanceled per agent (every cancellation acknowledged
// by the worker). The claude-code runtime's row lives with that runtime (test/workflows/claude-code*).

const AGENTS = 3;
const LIMIT_MS = 5000;
const KEY = 'sk-' + 'ant-test-0000000000000000000000000000000000';
const SLEEPY_AGENT = path.resolve(__dirname, '../../scripts/chaos/sleepy-agent.js');
const marker = `baton-stop-per-runtime-${process.pid}-${Date.now().toString(36)}`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-stop-runtime-'));
const scenario = path.join(dir, 'scenario.yaml');
const fleet = new Fleet();
const measured: { runtime: string; update: number; stopped: number; activities: number; processes?: number }[] = [];
let baton: BatonClient;
let close: () => Promise<void>;
let fake: FakeAnthropic;
let worker: WorkerProcess;

beforeAll(async () => {
  const tasks = Array.from({ length: AGENTS }, (_, i) => ({ key: `long-${i + 1}`, role: 'developer', mission: `Work for a long time (${i + 1})`, dependsOn: [] }));
  // Scripted agents take ten minutes; the other runtimes ignore the delay.
  fs.writeFileSync(scenario, stringify({ name: 'stop-per-runtime', plans: [{ match: 'long work', tasks }], defaults: { delayMs: 600_000 } }));
  // The model never answers an agent: the call is in flight when the stop comes.
  fake = await startFakeAnthropic(() => ({ kind: 'hang' }), { apiKey: KEY });
  ({ baton, close } = await connectBaton(testServerInfo()));
  worker = fleet.startWorker({
    ...testServerInfo(),
    dataDir: path.join(dir, 'data'),
    env: {
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: KEY,
      BATON_COMMAND_AGENT: JSON.stringify({ argv: [process.execPath, SLEEPY_AGENT, `--marker=${marker}`, '--sleep-ms=120000', '{{task}}'], timeoutMs: 150_000 }),
    },
    args: ['--max-concurrent-agents', String(AGENTS * 2)],
  });
  await worker.ready;
}, 150_000);

afterAll(async () => {
  process.stdout.write(
    `immediate stop per runtime (${AGENTS} agents each, limit ${LIMIT_MS} ms):\n${measured
      .map((m) => `  ${m.runtime.padEnd(9)} update ${m.update} ms · status stopped ${m.stopped} ms · activities cancelled ${m.activities} ms${m.processes === undefined ? '' : ` · processes gone ${m.processes} ms`}`)
      .join('\n')}\n`,
  );
  await fleet.stopAll(5000);
  killMarked(marker);
  await fake?.close();
  await close?.();
  killEverythingNow();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.each<{ runtime: RuntimeName; processes?: true }>([{ runtime: 'scripted' }, { runtime: 'anthropic' }, { runtime: 'command', processes: true }])(
  'stop (immediate) on the $runtime runtime: every agent cancelled within 5 s',
  async ({ runtime, processes }) => {
    const project = uniqueProject(`stop-${runtime}`);
    await baton.start(project, { config: { scenario, maxAgents: AGENTS, roles: { developer: { runtime } } }, objectives: ['Long work on every front'] });
    try {
      const requestsBefore = fake.requests.length;
      await waitFor(
        () => baton.status(project),
        (s) => s.runningAgents.length === AGENTS && (!processes || processesWith(marker).length === AGENTS) && (runtime !== 'anthropic' || fake.requests.length >= requestsBefore + AGENTS),
        90_000,
        `${AGENTS} ${runtime} agents at work`,
      );
      // Let the agents settle into their work (a model call in flight, a process asleep).
      await new Promise((r) => setTimeout(r, 500));

      const handle = baton.client.workflow.getHandle(workflowIdFor(project));
      const t0 = Date.now();
      const since = () => Date.now() - t0;
      const cancelledActivities = async () => ((await handle.fetchHistory()).events ?? []).filter((e) => e.activityTaskCanceledEventAttributes).length;
      const [update, stopped, activities, gone] = await Promise.all([
        baton.stop(project, {}).then(since),
        waitFor(() => baton.status(project), (s) => s.runningAgents.length === 0 && s.tasks.length === AGENTS && s.tasks.every((t) => t.status === 'stopped'), 30_000, 'status: every task stopped', 50).then(since),
        // The worker acknowledged every cancellation: history holds one ActivityTaskCanceled per agent.
        waitFor(cancelledActivities, (n) => n === AGENTS, 30_000, `${AGENTS} activities cancelled in history`, 100).then(since),
        processes ? waitFor(async () => processesWith(marker).length, (n) => n === 0, 30_000, 'agent processes gone', 50).then(since) : Promise.resolve(undefined),
      ]);
      measured.push({ runtime, update, stopped, activities, ...(gone === undefined ? {} : { processes: gone }) });

      expect(Math.max(update, stopped, activities, gone ?? 0)).toBeLessThanOrEqual(LIMIT_MS);
      // Each agent activity was cancelled, not completed or failed, and nothing was spawned twice.
      expect(await cancelledActivities()).toBe(AGENTS);
      const state = (await baton.context(project)).baton;
      expect(state.agents.map((a) => a.status)).toEqual(Array(AGENTS).fill('stopped'));
    } finally {
      await baton.client.workflow.getHandle(workflowIdFor(project)).terminate('test finished').catch(() => undefined);
    }
  },
  120_000,
);

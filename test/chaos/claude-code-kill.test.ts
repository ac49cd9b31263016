import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { Fleet, killEverythingNow, pidAlive, type WorkerProcess } from '../../scripts/chaos/processes';
import { connectBaton, settled, waitFor } from '../../scripts/chaos/harness';
import type { BatonClient } from '../../src/client/baton-client';
import { call, fault, reply, startFakeAnthropic, structured, structuredReport, type FakeAnthropic, type FakeReply, type FakeRequest } from '../support/fake-anthropic';
import { claudeProcesses } from '../support/fake-anthropic/claude-code';
import { billedUsd } from '../support/fake-anthropic/generic';
import { testServerInfo } from '../support/test-server';
import { uniqueProject } from '../support/workflow-env';

// A real `baton worker` process is killed -9 while a claude-code agent is mid-session (its first tool call done, the
// next model request in flight). A new worker takes the retry, which must resume the same Claude Code session (the id
// the killed attempt heartbeated) rather than start over, and the task completes.
const KEY = 'sk-' + 'ant-test-claude-kill-000000000000000000000';
let hungOnce = false;
const MARK = 'drill-7f3a';
const isAgent = (r: FakeRequest) => !/Role: (planner|synthesizer)/.test(r.system) && JSON.stringify(r.body?.messages ?? []).includes(MARK);

function model(req: FakeRequest): FakeReply {
  const conversation = JSON.stringify(req.body?.messages ?? []);
  if (req.system.includes('Role: planner')) {
    return structured({ tasks: [{ key: 'menu', role: 'developer', mission: `Write menu.md (${MARK})`, dependsOn: [], successCriteria: ['menu.md exists'] }] });
  }
  if (req.system.includes('Role: synthesizer')) return structured({ agreements: [], conflicts: [], patterns: [], unknowns: [], insights: [], decisions: [] });
  if (!conversation.includes(MARK)) return structuredReport({ status: 'failure', summary: 'unexpected request' });
  if (!conversation.includes('"name":"Write"')) return reply(call('Write', { file_path: 'menu.md', content: '# Menu\n- Sourdough\n' }));
  // The first request after the Write hangs: the worker is killed while it waits. The resumed session gets the report.
  if (!hungOnce) {
    hungOnce = true;
    return fault.hang();
  }
  return structuredReport({ summary: 'Wrote menu.md', artifacts: ['menu.md'], claims: ['menu.md lists sourdough'] });
}

const fleet = new Fleet();
let baton: BatonClient;
let close: () => Promise<void>;
let fake: FakeAnthropic;
const orphans: number[] = [];

beforeAll(async () => {
  ({ baton, close } = await connectBaton(testServerInfo()));
  fake = await startFakeAnthropic(model, { apiKey: KEY });
});
afterAll(async () => {
  await fleet.stopAll(5000);
  for (const pid of orphans) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  await fake?.close();
  await close?.();
  killEverythingNow();
});

/** The claude-code heartbeat details of the project's running spawnAgent activity (attempt and session), if any. */
async function heartbeat(project: string): Promise<{ attempt: number; session?: string; costUsd?: number } | undefined> {
  const described = await baton.client.workflow.getHandle(`baton/${project}`).describe();
  const activity = (described.raw.pendingActivities ?? []).find((a) => a.activityType?.name === 'spawnAgent');
  if (!activity) return undefined;
  const payloads = activity.heartbeatDetails?.payloads ?? [];
  const details = payloads.length ? await decodeFromPayloadsAtIndex<{ session?: string; costUsd?: number }>(baton.client.options.loadedDataConverter, 0, payloads) : undefined;
  return { attempt: activity.attempt ?? 1, ...(details?.session ? { session: details.session } : {}), ...(typeof details?.costUsd === 'number' ? { costUsd: details.costUsd } : {}) };
}

test('a worker killed -9 mid-session: the retry on a new worker resumes the same Claude Code session and the task completes', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-cc-kill-'));
  const env = { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: KEY, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', CLAUDE_CONFIG_DIR: path.join(dataDir, 'claude-config') };
  const start = (): WorkerProcess => fleet.startWorker({ ...testServerInfo(), dataDir, env });

  const first = start();
  await first.ready;
  const project = uniqueProject('cckill');
  await baton.start(project, { config: { runtime: 'claude-code', budget: { maxUsd: 5 } }, objectives: ['Write the bakery menu'] });

  // Wait until the agent's Write is done and its next request hangs, and the attempt has heartbeated its session.
  // A crashed attempt's spend is known up to its last heartbeat that reached Temporal: wait for the one with the Write turn.
  const agentBilled = () => fake.requests.filter((r) => r.answered && isAgent(r)).reduce((sum, r) => sum + billedUsd(r), 0);
  const before = await waitFor(
    () => heartbeat(project),
    (h) => hungOnce && h?.session !== undefined && Math.abs((h.costUsd ?? 0) - agentBilled()) < 1e-6,
    120_000,
    'a claude-code agent mid-session, its Write turn heartbeated',
    200,
  );
  const session = before!.session!;
  expect(before!.attempt).toBe(1);
  expect(fs.readFileSync(path.join(dataDir, project, 'workspace', 'menu.md'), 'utf8')).toContain('Sourdough');
  const requestsBefore = fake.requests.length;

  orphans.push(...claudeProcesses());
  await fleet.kill(first);
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  // The machine is gone: so is the Claude Code process the killed worker had started.
  for (const pid of orphans) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');

  const second = start();
  await second.ready;
  // The heartbeat timeout (30 s) lets Temporal notice the dead worker and retry the attempt on the new one.
  const done = await waitFor(() => baton.status(project), (s) => settled(s) && s.objectives.length === 1, 150_000, 'the objective settled', 500);
  expect(done.objectives[0]!.status).toBe('completed');
  expect(done.tasks.map((t) => t.status)).toEqual(['completed']);

  // The retry resumed the session: its first request carries the killed attempt's Write and its result, and
  // Claude Code sent it under the same session id the killed attempt heartbeated.
  const retried = fake.requests.slice(requestsBefore).filter(isAgent);
  expect(retried.length).toBeGreaterThan(0);
  const resumed = JSON.stringify(retried[0]!.body.messages);
  expect(resumed).toContain('"name":"Write"');
  expect(resumed).toContain('menu.md');
  const sessionOf = (r: FakeRequest) => JSON.stringify(r.body?.metadata ?? '') + JSON.stringify(r.headers);
  expect(sessionOf(retried[0]!)).toContain(session);
  // The Write was not done again: only one request ever came before it.
  const drill = fake.requests.filter(isAgent).map((r) => JSON.stringify(r.body.messages));
  expect(drill.filter((c) => !c.includes('"name":"Write"'))).toHaveLength(1);
  // What the killed attempt spent before the kill is not lost: it is failed spend, and the ledger holds every request
  // answered for this project (planner, both attempts, synthesizer), to the micro-dollar per result.
  const billed = fake.requests.filter((r) => r.answered).reduce((sum, r) => sum + billedUsd(r), 0);
  expect(done.spent.failedUsd).toBeCloseTo(before!.costUsd!, 6);
  expect(Math.abs(done.spent.costUsd - billed)).toBeLessThanOrEqual(fake.requests.length * 1e-6);
}, 300_000);

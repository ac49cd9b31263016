import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../src/server/free-port';
import { runCli } from '../support/cli';
import { natsWithSubscriber } from '../support/nats';

let dataDir: string;
let address: string;
let nats: Awaited<ReturnType<typeof natsWithSubscriber>>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-demo-'));
  let port = await freePort();
  while (port === 7233 || port + 1000 > 65535) port = await freePort();
  address = `127.0.0.1:${port}`;
  nats = await natsWithSubscriber('baton.demo.>');
});
afterAll(async () => {
  await runCli(['down', '--data-dir', dataDir]);
  await nats?.close();
});

test('`baton demo` starts a server and worker, runs the example to a report, and leaves status working', async () => {
  // With NATS_URL set, the demo's background worker publishes its events to a real nats-server.
  const demo = await runCli(['demo', '--address', address, '--data-dir', dataDir], { NATS_URL: nats.server.url }, 300_000);
  expect(demo.stderr).toBe('');
  expect(demo.code).toBe(0);
  const out = demo.stdout;
  expect(out).toContain('Starting the embedded Temporal dev server');
  // Read from the event log, not polled: every phase of the session, even one that lasted a millisecond, once and in order.
  expect(out.split('\n').filter((l) => l.startsWith('>>> '))).toEqual([
    '>>> 1 Context establishment (session 1)',
    '>>> 2 Strategic planning (session 1)',
    '>>> 3 Agent orchestration (session 1)',
    '>>> 4 Synthesis & decision (session 1)',
    '>>> 5 State preservation (session 1)',
    '>>> Idle — waiting for objectives (session 1)',
  ]);
  expect(out).not.toContain('fell out of the log');
  expect(out).toMatch(/▶ \w+ \(researcher\) \[simulated\] started TASK_\d+/);
  expect(out).toContain('+ objective OBJ_002: Run all available work streams');
  expect(out).toContain('+ objective OBJ_003: Publish a launch announcement');
  expect(out).toContain('+ objective OBJ_004: Plan the grand opening week');
  expect(out).toContain('## Orchestration Report');
  expect(out).toContain(`/namespaces/default/workflows/baton%2Fdemo`);

  // Work streams flowed through both targets: one rework (real gates failed, then passed), one escalation.
  expect(out).toMatch(/↺ TASK_\d+ sent back for rework 1: gate test failed/);
  expect(out).toMatch(/\? decision DEC_\d+ waits for a person: TASK_\d+ \(api:1\.2\) failed/);
  expect(out).toContain('| site:1.2 Menu listing with prices | Forge | developer | completed | Verified after 1 rework |');
  expect(out).toMatch(/\| api:1\.1 Orders endpoint \| \w+ \| developer \| completed \| Verified \|/);
  expect(out).toMatch(/\| site:2\.1 Pickup order form \| \w+ \| developer \| completed \| Verified \|/);
  expect(out).toMatch(/\| api:1\.2 Pickup slot rules \| \w+ \| developer \| failed \|/);
  expect(out).toContain('- Verified: 4 · sent back for rework: 1 · rework rate: 25%');
  // Seed 002's success metrics, measured: 12 tasks done or failed, 11 completed; decision time counts the escalation
  // the demo answered, not the consensus its agents settled (nobody waited for a person there).
  expect(out).toContain('### Success Metrics (seed 002)');
  expect(out).toContain('| Task success rate | 92% | > 95% |');
  expect(out).toContain('| Rework rate | 25% | < 10% |');
  expect(out).toMatch(/\| Agents per task \| 1\.\d+ \| 1–3 \|/);
  expect(out).toMatch(/\| Parallel execution rate \| \d+% \| > 60% \|/);
  expect(out).toMatch(/\| Decision time \| mean \d+\.\ds, max \d+\.\ds \(1 answered\) \| < 5 min \|/);

  // Seed 002's patterns 3 and 4: a lead researcher's team of three experts ran as child workflow baton/demo/<task id>,
  // then three advisors agreed on the offer, recorded as a consensus decision. Each objective's pattern is in the report.
  const lead = /✓ \w+ \(researcher\) completed (TASK_\d+): Lead's team of 3: 3 completed, 0 failed\./.exec(out)?.[1];
  expect(lead).toBeDefined();
  expect(out).toContain(`lead of baton/demo/${lead} (3 agents`);
  expect(out).toMatch(/decision DEC_\d+ \(consensus\): \[simulated\] A free cardamom bun with every pre-order in the opening week\./);
  expect(out).toMatch(/- DEC_\d+ \(TASK_\d+\): agreement 100%, quorum 2 of 3 — quorum met; compared deterministically/);
  expect(out).toMatch(/\| OBJ_001 \| Research and write the landing page \| completed \| sequential \(derived\) — /);
  expect(out).toMatch(/\| OBJ_004 \| Plan the grand opening week \| completed \| hierarchical \(planner\) — The opening needs research/);

  // The scripted agents really wrote the site, and the roadmaps and dev logs say what happened.
  const workspace = path.join(dataDir, 'demo', 'workspace');
  for (const file of ['site/index.html', 'site/news.html']) expect(fs.existsSync(path.join(workspace, file))).toBe(true);
  const targets = path.join(dataDir, 'demo', 'targets');
  for (const file of ['site/site/menu.html', 'site/site/order.html', 'api/src/orders.js']) expect(fs.existsSync(path.join(targets, file))).toBe(true);
  const siteRoadmap = fs.readFileSync(path.join(targets, 'site/plans/roadmap.md'), 'utf8');
  expect(siteRoadmap).toMatch(/### 1\.2 Menu listing with prices\n- \*\*Effort:\*\* M\n- \*\*Status:\*\* complete\n/);
  expect(siteRoadmap).toMatch(/### 2\.1 Pickup order form\n- \*\*Effort:\*\* M\n- \*\*Status:\*\* complete\n/);
  const apiRoadmap = fs.readFileSync(path.join(targets, 'api/plans/roadmap.md'), 'utf8');
  expect(apiRoadmap).toMatch(/### 1\.2 Pickup slot rules\n- \*\*Effort:\*\* S\n- \*\*Status:\*\* blocked — skipped: /);
  expect(fs.readFileSync(path.join(targets, 'site/plans/dev-log.md'), 'utf8')).toContain('<!-- baton:');
  expect(fs.readFileSync(path.join(targets, 'api/plans/dev-log.md'), 'utf8')).toContain('Orders endpoint');
  // Each agent worked in its own worktree; its verified work is committed on main (agent as author, Baton-* trailers)
  // and merged; the checkouts are clean and no worktree is left behind (the skipped stream's work waits on its branch).
  const gitIn = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: path.join(targets, repo), encoding: 'utf8' }).trim();
  const trailers = '%an|%(trailers:key=Baton-Task,valueonly,separator=)|%(trailers:key=Baton-Stream,valueonly,separator=)|%(trailers:key=Baton-Agent,valueonly,separator=)|%(trailers:key=Baton-Orchestration,valueonly,separator=)';
  for (const repo of ['site', 'api']) {
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    expect(gitIn(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree '))).toEqual([`worktree ${fs.realpathSync(path.join(targets, repo))}`]);
  }
  const siteLog = gitIn('site', 'log', '--no-merges', `--format=${trailers}`, '--grep=Baton-Task', 'main').split('\n');
  expect(siteLog).toContainEqual(expect.stringMatching(/^Forge \(developer\)\|TASK_\d+\|site:1\.2\|Forge\|baton\/demo$/));
  expect(siteLog).toContainEqual(expect.stringMatching(/^\w+ \(developer\)\|TASK_\d+\|site:2\.1\|\w+\|baton\/demo$/));
  expect(gitIn('api', 'log', '--no-merges', `--format=${trailers}`, '--grep=Baton-Task', 'main')).toMatch(/^\w+ \(developer\)\|TASK_\d+\|api:1\.1\|\w+\|baton\/demo$/m);
  expect(gitIn('site', 'show', 'main:plans/roadmap.md')).toMatch(/### 2\.1 Pickup order form\n- \*\*Effort:\*\* M\n- \*\*Status:\*\* complete\n/);
  // The example files in the repository are copied, never changed.
  expect(fs.readFileSync(path.join(__dirname, '../../examples/demo/targets/site/plans/roadmap.md'), 'utf8')).toContain('- **Status:** available');
  const context = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo', 'context.json'), 'utf8'));
  expect(context.metrics).toMatchObject({ total_sessions: 1, total_tasks_completed: 11, total_tasks_failed: 1 });
  const consensus = context.baton.decisions.filter((d: { kind?: string }) => d.kind === 'consensus');
  expect(consensus.map((d: { status: string; consensus: { agreement: number; answers: unknown[] } }) => [d.status, d.consensus.agreement, d.consensus.answers.length])).toEqual([['made', 1, 3]]);

  // Any NATS subscriber saw the session: every event once, in order, on seed 003's subjects. The lead's child
  // orchestration publishes its own events, with ordinals of its own, marked with its lead task and below
  // baton.demo.lead.<task>: each stream is complete and in order on its own.
  const deadline = Date.now() + 20_000;
  while (!nats.received.some((m) => m.subject === 'baton.demo.phase.idle') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const streams = new Map<string, number[]>();
  for (const m of nats.received) {
    const key = (m.data.lead as string | undefined) ?? 'root';
    streams.set(key, [...(streams.get(key) ?? []), m.data.ordinal as number]);
    if (key !== 'root') expect(m.subject.startsWith(`baton.demo.lead.${lead}.`)).toBe(true);
  }
  expect([...streams.keys()].sort()).toEqual([lead, 'root'].sort());
  for (const ordinals of streams.values()) expect(ordinals).toEqual(ordinals.map((_, i) => i + 1));
  expect(streams.get('root')!.length).toBeGreaterThan(streams.get(lead!)!.length);
  const subjects = nats.received.map((m) => m.subject);
  expect(subjects[0]).toBe('baton.demo.orchestration.started');
  for (const n of [1, 2, 3, 4, 5]) expect(subjects).toContain(`baton.demo.phase.${n}`);
  expect(subjects).toContain('baton.demo.agent.Forge.complete');
  expect(subjects).toEqual(expect.arrayContaining(['baton.demo.rework', 'baton.demo.blocker', 'baton.demo.decision.raised', 'baton.demo.decision.answered']));

  // Server and worker outlive the demo, so status works afterwards.
  const status = await runCli(['status', '--json', '--address', address, '--data-dir', dataDir]);
  expect(status.code).toBe(0);
  const view = JSON.parse(status.stdout);
  expect(view).toMatchObject({ project: 'demo', phase: 'idle', successMetrics: { taskSuccessRate: 0.917, reworkRate: 0.25, decisionTime: { answered: 1 } } });
  expect(view.children).toEqual([expect.objectContaining({ taskId: lead, workflowId: `baton/demo/${lead}`, status: 'completed', agents: 3 })]);
  const text = await runCli(['status', '--address', address, '--data-dir', dataDir]);
  expect(text.stdout).toContain('pattern: hierarchical (planner) — The opening needs research');
}, 300_000);

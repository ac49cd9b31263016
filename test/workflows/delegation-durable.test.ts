import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Fleet, killEverythingNow, type WorkerProcess } from '../../scripts/chaos/processes';
import { connectBaton, settled, waitFor } from '../../scripts/chaos/harness';
import type { BatonClient } from '../../src/client/baton-client';
import type { LeadReport } from '../../src/shared/delegation';
import type { StatusView } from '../../src/shared/status';
import { testServerInfo } from '../support/test-server';
import { uniqueProject } from '../support/workflow-env';

// A lead's child runs two slow specialists when the only worker is killed -9; a new worker carries the tree on.
const SCENARIO = `
name: delegation-kill
plans:
  - match: "survive the kill"
    tasks:
      - { key: lead, role: researcher, mission: "Lead the slow studies", lead: { team: "two slow experts" } }
      - { key: after, role: developer, mission: "Build on the studies", dependsOn: [lead] }
  - match: "lead the slow studies"
    tasks:
      - { key: slow-one, role: researcher, mission: "Slow study one" }
      - { key: slow-two, role: analyst, mission: "Slow study two" }
agents:
  - match: { key: slow-one }
    delayMs: 5000
    files: [{ path: "out/slow-one.md", content: "one" }]
  - match: { key: slow-two }
    delayMs: 5000
    files: [{ path: "out/slow-two.md", content: "two" }]
defaults: { delayMs: 200 }
`;

const fleet = new Fleet();
let baton: BatonClient;
let close: () => Promise<void>;

beforeAll(async () => ({ baton, close } = await connectBaton(testServerInfo())));
afterAll(async () => {
  await fleet.stopAll(5000);
  await close?.();
  killEverythingNow();
});

test('a worker killed -9 while a child orchestration runs its team: a new worker finishes the child and the parent', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-lead-kill-'));
  const scenario = path.join(dataDir, 'scenario.yaml');
  fs.writeFileSync(scenario, SCENARIO);
  const start = (): WorkerProcess => fleet.startWorker({ ...testServerInfo(), dataDir });

  const first = start();
  await first.ready;
  const project = uniqueProject('lead-kill');
  await baton.start(project, { config: { scenario }, objectives: ['Survive the kill'] });
  const child = baton.client.workflow.getHandle(`baton/${project}/TASK_001`);
  await waitFor(
    () => child.query<StatusView>('status').catch(() => undefined),
    (s) => (s?.runningAgents.length ?? 0) === 2,
    60_000,
    'the child running two agents',
  );

  await fleet.kill(first);
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  const second = start();
  await second.ready;

  const done = await waitFor(() => baton.status(project), (s) => settled(s) && s.tasks.every((t) => t.status === 'completed'), 150_000, 'the tree settled', 300);
  expect(done.tasks.map((t) => t.mission)).toEqual(['Lead the slow studies', 'Build on the studies']);
  const report = (await child.result()) as LeadReport;
  expect(report.status).toBe('success');
  // Each study completed once, in the child, and its agents' work is in the shared workspace.
  expect(report.team.map((m) => [m.mission, m.status])).toEqual([
    ['Slow study one', 'completed'],
    ['Slow study two', 'completed'],
  ]);
  const workspace = path.join(dataDir, project, 'workspace');
  expect(fs.readFileSync(path.join(workspace, 'out/slow-one.md'), 'utf8')).toBe('one');
  expect(fs.readFileSync(path.join(workspace, 'out/slow-two.md'), 'utf8')).toBe('two');
  expect(done.children).toEqual([expect.objectContaining({ status: 'completed', agents: 2 })]);
}, 200_000);

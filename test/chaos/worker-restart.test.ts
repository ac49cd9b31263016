import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Fleet, killEverythingNow, type WorkerProcess } from '../../scripts/chaos/processes';
import { connectBaton, settled, waitFor } from '../../scripts/chaos/harness';
import type { BatonClient } from '../../src/client/baton-client';
import { testServerInfo } from '../support/test-server';
import { uniqueProject } from '../support/workflow-env';

// Two slow agents are running when the only worker is killed -9; after the restart a second objective
// is planned by the new worker. Both objectives must be planned, run and completed.
const SCENARIO = `
name: worker-restart
plans:
  - match: "slow"
    tasks:
      - { key: slow-one, role: researcher, mission: "Slow one" }
      - { key: slow-two, role: analyst, mission: "Slow two" }
      - { key: after, role: developer, mission: "After both", dependsOn: [slow-one, slow-two] }
  - match: "alpha"
    tasks:
      - { key: research-a, role: researcher, mission: "Research A" }
      - { key: research-b, role: researcher, mission: "Research B" }
      - { key: build, role: developer, mission: "Build from A and B", dependsOn: [research-a, research-b] }
      - { key: review, role: reviewer, mission: "Review the build", dependsOn: [build] }
agents:
  - match: { key: slow-one }
    delayMs: 6000
  - match: { key: slow-two }
    delayMs: 6000
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

test('a worker killed -9 mid-run and restarted finishes the running objective and plans the next one', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-restart-'));
  const scenario = path.join(dataDir, 'scenario.yaml');
  fs.writeFileSync(scenario, SCENARIO);
  const start = (): WorkerProcess => fleet.startWorker({ ...testServerInfo(), dataDir });

  const first = start();
  await first.ready;
  const project = uniqueProject('restart');
  await baton.start(project, { config: { scenario }, objectives: ['Objective slow'] });
  await waitFor(() => baton.status(project), (s) => s.runningAgents.length === 2, 60_000, 'two running agents');

  await fleet.kill(first);
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

  const second = start();
  await second.ready;
  const restartedAt = new Date().toISOString();
  await baton.addObjective(project, 'Objective alpha');

  const done = await waitFor(() => baton.status(project), (s) => settled(s) && s.objectives.length === 2, 120_000, 'both objectives settled', 300);
  expect(done.objectives.map((o) => o.status)).toEqual(['completed', 'completed']);
  expect(done.tasks).toHaveLength(7);
  expect(done.tasks.every((t) => t.status === 'completed')).toBe(true);

  // The second objective's four tasks were planned by the new worker, after the restart.
  const context = await baton.context(project);
  const alpha = context.baton.tasks.filter((t) => t.objectiveId === done.objectives[1]!.id);
  expect(alpha.map((t) => t.mission).sort()).toEqual(['Build from A and B', 'Research A', 'Research B', 'Review the build']);
  for (const task of alpha) expect(task.created >= restartedAt).toBe(true);
  // The slow agents the kill interrupted ran again to completion on the new worker.
  const slow = context.baton.tasks.filter((t) => t.mission.startsWith('Slow'));
  expect(slow.every((t) => t.status === 'completed' && t.completed! > restartedAt)).toBe(true);
}, 180_000);

import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { temporalCliCacheDir } from '../../src/server/temporal-binary';
import { addObjectiveSignal, stopSignal } from '../../src/shared/messages';
import { MAX_REJECTED_INPUTS } from '../../src/shared/rejected-inputs';
import { testServerInfo } from '../support/test-server';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const run = promisify(execFile);

const SCENARIO = `
name: signals
plans:
  - match: "signal"
    tasks:
      - { key: research, role: researcher, mission: "Research what the signal asked" }
      - { key: build, role: developer, mission: "Build it", dependsOn: [research] }
  - match: "slow"
    tasks:
      - { key: slow, role: researcher, mission: "Slow research" }
agents:
  - match: { key: slow }
    delayMs: 60000
defaults: { delayMs: 100 }
`;

let env: WorkflowEnv;
let scenario: string;

beforeAll(async () => {
  env = await workflowEnv();
  scenario = writeScenario(env.dataDir, SCENARIO);
  await env.startWorkers();
});
afterAll(async () => env?.close());

/** `temporal workflow signal …` with the real CLI binary, against the suite's dev server. */
async function temporalSignal(workflowId: string, name: string, input?: string): Promise<void> {
  const { address, namespace } = testServerInfo();
  const bin = path.join(temporalCliCacheDir(), 'temporal');
  const args = ['workflow', 'signal', '--address', address, '--namespace', namespace, '--workflow-id', workflowId, '--name', name];
  await run(bin, input === undefined ? args : [...args, '--input', input]);
}

test('the real `temporal workflow signal` adds an objective that runs to completion, and a stop signal with no input pauses', async () => {
  const project = uniqueProject('signal-cli');
  const { workflowId } = await env.baton.start(project, { config: { scenario } });
  await waitForStatus(env.baton, project, (s) => s.phase === 'idle');

  await temporalSignal(workflowId, 'addObjective', '{"description":"Objective sent as a signal"}');
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 1);
  expect(done.objectives).toMatchObject([{ id: 'OBJ_001', description: 'Objective sent as a signal', status: 'completed' }]);
  expect(done.tasks.map((t) => t.status)).toEqual(['completed', 'completed']);
  expect(done.rejectedInputs).toEqual([]);

  await temporalSignal(workflowId, 'stop');
  const paused = await waitForStatus(env.baton, project, (s) => s.phase === 'paused');
  expect(paused.paused).toBe(true);
  expect(paused.rejectedInputs).toEqual([]);
});

test('bad signals are recorded with the reason and never fail or wedge the workflow', async () => {
  const project = uniqueProject('signal-bad');
  const { workflowId } = await env.baton.start(project, { config: { scenario } });
  const handle = env.baton.client.workflow.getHandle(workflowId);
  await waitForStatus(env.baton, project, (s) => s.phase === 'idle');

  await temporalSignal(workflowId, 'addObjective', '{"descripton":"typo in the field name"}');
  await handle.signal(addObjectiveSignal, { description: '   ' });
  await handle.signal(addObjectiveSignal, { description: `bell \u0007 inside` });
  await handle.signal(addObjectiveSignal, 'just a string');
  await handle.signal(stopSignal, { agentId: 'AGENT_0099' });
  await handle.signal(stopSignal, { graceful: 'yes' });

  const s = await waitForStatus(env.baton, project, (v) => v.rejectedInputs.length === 6);
  expect(s.rejectedInputs.map((r) => [r.kind, r.name, r.reason])).toEqual([
    ['signal', 'addObjective', expect.stringMatching(/description: description is required.*unknown field\(s\) "descripton"|unknown field\(s\) "descripton".*description is required/)],
    ['signal', 'addObjective', 'description: description must not be empty'],
    ['signal', 'addObjective', expect.stringContaining('description: description must not contain control characters')],
    ['signal', 'addObjective', expect.stringContaining('input:')],
    ['signal', 'stop', `agentId: no agent AGENT_0099 in project ${project}`],
    ['signal', 'stop', 'graceful: graceful must be true or false'],
  ]);
  expect(s.rejectedInputs[0]?.input).toBe('{"descripton":"typo in the field name"}');
  expect(s.objectives).toEqual([]);
  expect(s.paused).toBe(false);

  // Still alive and answering: a good signal after the bad ones runs.
  await handle.signal(addObjectiveSignal, { description: 'A good signal after bad ones' });
  const done = await waitForStatus(env.baton, project, (v) => settled(v) && v.objectives.length === 1);
  expect(done.objectives[0]?.status).toBe('completed');
  expect((await handle.describe()).status.name).toBe('RUNNING');
  const report = await env.baton.context(project);
  expect(report.baton.rejectedInputs).toHaveLength(6);
});

test('a flood of bad signals keeps only the most recent ones', async () => {
  const project = uniqueProject('signal-flood');
  const { workflowId } = await env.baton.start(project, { config: { scenario } });
  const handle = env.baton.client.workflow.getHandle(workflowId);
  for (let i = 0; i < MAX_REJECTED_INPUTS + 5; i++) await handle.signal(addObjectiveSignal, { description: '', n: i });
  const s = await waitForStatus(env.baton, project, (v) => v.rejectedInputs.some((r) => r.input.includes(`"n":${MAX_REJECTED_INPUTS + 4}`)));
  expect(s.rejectedInputs).toHaveLength(MAX_REJECTED_INPUTS);
  expect(s.rejectedInputs[0]?.input).toContain('"n":5');
});

test('a stop signal for one running agent stops just that agent', async () => {
  const project = uniqueProject('signal-stop-agent');
  const { workflowId } = await env.baton.start(project, { config: { scenario }, objectives: ['slow work'] });
  const running = await waitForStatus(env.baton, project, (s) => s.runningAgents.length === 1);
  const agentId = running.runningAgents[0]!.id;
  await temporalSignal(workflowId, 'stop', JSON.stringify({ agentId }));
  const s = await waitForStatus(env.baton, project, (v) => v.tasks[0]?.status === 'stopped');
  expect(s.runningAgents).toEqual([]);
  expect(s.rejectedInputs).toEqual([]);
});

import * as fs from 'node:fs';
import { BatonEvent } from '../../src/shared/events';
import { runCli } from '../support/cli';
import { testServerAddress } from '../support/test-server';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const SCENARIO = `
name: watch
plans:
  - match: "site"
    tasks:
      - { key: research, role: researcher, mission: "Research the site" }
      - { key: build, role: developer, mission: "Build the site", dependsOn: [research] }
agents:
  - match: { key: research }
    delayMs: 3000
defaults: { delayMs: 100 }
`;

let env: WorkflowEnv;
let scenario: string;
let base: string[];

beforeAll(async () => {
  env = await workflowEnv();
  scenario = writeScenario(env.dataDir, SCENARIO);
  base = ['--address', testServerAddress(), '--data-dir', env.dataDir];
  await env.startWorkers();
});
afterAll(async () => env?.close());

test('`baton watch --json` follows a live session: one event per line, every ordinal, all five phases in order, then exits at idle', async () => {
  const project = uniqueProject('watch');
  await env.baton.start(project, { config: { scenario }, objectives: ['Build the site'] });
  // Attached while the first agent still works: what happened before is read from the log, the rest live.
  const watch = await runCli(['watch', '--json', '--until-idle', '--project', project, ...base], {}, 90_000);
  expect(watch.stderr).toBe('');
  expect(watch.code).toBe(0);
  const events = watch.stdout.trim().split('\n').map((line) => BatonEvent.parse(JSON.parse(line)));
  expect(events.map((e) => e.ordinal)).toEqual(events.map((_, i) => i + 1));
  const entered = events.flatMap((e) => (e.type === 'phase.entered' ? [e.number ?? e.phase] : []));
  expect([...new Set(entered)]).toEqual([1, 2, 3, 4, 5, 'idle']);
  expect(events.at(-1)).toMatchObject({ type: 'phase.entered', phase: 'idle' });
  expect(events.filter((e) => e.type === 'agent.completed').map((e) => e.taskId)).toEqual(['TASK_001', 'TASK_002']);
  const final = await waitForStatus(env.baton, project, settled);
  expect(final.metrics.total_tasks_completed).toBe(2);

  // Without --json (and not on a terminal) it tells the story line by line, each phase once.
  const told = await runCli(['watch', '--until-idle', '--project', project, ...base]);
  expect(told.code).toBe(0);
  const phases = told.stdout.split('\n').filter((l) => l.includes('>>> ')).map((l) => l.slice(l.indexOf('>>> ')));
  expect(phases).toEqual([
    '>>> 1 Context establishment (session 1)',
    '>>> 2 Strategic planning (session 1)',
    '>>> 3 Agent orchestration (session 1)',
    '>>> 4 Synthesis & decision (session 1)',
    '>>> 5 State preservation (session 1)',
    '>>> Idle — waiting for objectives (session 1)',
  ]);
  expect(told.stdout).toMatch(/\d\d:\d\d:\d\d ▶ \w+ \(researcher\) \[simulated\] started TASK_001: Research the site/);
  expect(told.stdout).toMatch(/✓ objective OBJ_001 completed/);

  // --from skips what a reader already has.
  const later = await runCli(['watch', '--json', '--until-idle', '--from', String(events.length - 1), '--project', project, ...base]);
  expect(later.stdout.trim().split('\n').map((l) => (JSON.parse(l) as BatonEvent).ordinal)).toEqual([events.length]);
}, 120_000);

test('bad arguments and a project with no orchestration are clear errors', async () => {
  const bad = await runCli(['watch', '--from', 'soon', '--project', 'x', ...base]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--from must be a positive integer, got "soon"');
  const none = await runCli(['watch', '--project', uniqueProject('nobody'), ...base]);
  expect(none.code).toBe(1);
  expect(none.stderr).toMatch(/no orchestration for project nobody-/);
  expect(fs.existsSync(env.dataDir)).toBe(true);
});

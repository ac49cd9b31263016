import type { ChildProcess } from 'node:child_process';
import { freePort } from '../../src/server/free-port';
import { spawnCli } from '../support/cli';
import { testServerAddress } from '../support/test-server';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const SCENARIO = `
name: metrics
plans:
  - match: "menu"
    tasks:
      - { key: research, role: researcher, mission: "Research the menu", }
      - { key: build, role: developer, mission: "Build the menu", dependsOn: [research] }
agents:
  - match: { key: research }
    usage: { tokens: 1200, costUsd: 0.03 }
defaults: { delayMs: 50 }
`;

let env: WorkflowEnv;
let worker: ChildProcess;
let port: number;

beforeAll(async () => {
  // No in-process workers: the CLI worker with --metrics-port runs this orchestration.
  env = await workflowEnv();
  port = await freePort();
  worker = spawnCli(['worker', '--metrics-port', String(port), '--address', testServerAddress(), '--data-dir', env.dataDir]);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${log}`)), 90_000);
    worker.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Baton worker')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  expect(log).toContain(`metrics at http://127.0.0.1:${port}/metrics`);
});
afterAll(async () => {
  worker?.kill('SIGTERM');
  await env?.close();
});

test("`baton worker --metrics-port` serves Baton's metrics per project and the Temporal runtime's, for Prometheus to scrape", async () => {
  const project = uniqueProject('metrics');
  await env.baton.start(project, { config: { scenario: writeScenario(env.dataDir, SCENARIO) }, objectives: ['The menu'] });
  await waitForStatus(env.baton, project, (s) => settled(s) && s.metrics.total_tasks_completed === 2);
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const text = await res.text();
  const line = (metric: string, labels: string) => text.split('\n').find((l) => l.startsWith(`${metric}{project="${project}"${labels}} `));
  expect(line('baton_tasks', ',state="completed"')).toBe(`baton_tasks{project="${project}",state="completed"} 2`);
  expect(line('baton_tasks', ',state="failed"')).toBe(`baton_tasks{project="${project}",state="failed"} 0`);
  expect(line('baton_agents_running', '')).toBe(`baton_agents_running{project="${project}"} 0`);
  expect(line('baton_tokens_total', ',role="researcher",model="default"')).toBe(`baton_tokens_total{project="${project}",role="researcher",model="default"} 1200`);
  expect(line('baton_cost_usd_total', ',role="researcher",model="default"')).toBe(`baton_cost_usd_total{project="${project}",role="researcher",model="default"} 0.03`);
  expect(line('baton_success_task_success_rate', '')).toBe(`baton_success_task_success_rate{project="${project}"} 1`);
  expect(line('baton_success_agents_per_task', '')).toBe(`baton_success_agents_per_task{project="${project}"} 1`);
  expect(text).toContain('# TYPE baton_tasks gauge');
  // The Temporal runtime's own worker metrics come through the same endpoint.
  expect(text).toMatch(/^temporal_[a-z_]+(\{[^}]*\})? [\d.e+-]+$/m);
  expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
});

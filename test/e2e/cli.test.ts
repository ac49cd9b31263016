import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveTemporalCli } from '../../src/server/temporal-binary';
import { runCli, spawnCli } from '../support/cli';
import { testServerAddress } from '../support/test-server';
import { uniqueProject } from '../support/workflow-env';

const SCENARIO = `
name: cli
plans:
  - match: "website"
    tasks:
      - { key: research, role: researcher, mission: "Research the website" }
      - { key: build, role: developer, mission: "Build the website", dependsOn: [research] }
      - { key: manual, role: executor, mission: "Wait for a person", dependsOn: [build] }
agents:
  - match: { key: manual }
    delayMs: 60000
defaults: { delayMs: 200 }
`;

let dataDir: string;
let worker: ChildProcess;
let base: string[];
const project = uniqueProject('cli');

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-cli-'));
  fs.writeFileSync(path.join(dataDir, 'scenario.yaml'), SCENARIO);
  base = ['--address', testServerAddress(), '--data-dir', dataDir, '--project', project];
  worker = spawnCli(['worker', ...base]);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker did not start')), 90_000);
    worker.stderr!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Baton worker')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});
afterAll(() => worker?.kill('SIGTERM'));

async function statusJson() {
  const r = await runCli(['status', '--json', ...base]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
}

test('a person drives an orchestration from the CLI', async () => {
  const started = await runCli(['new', '--scenario', path.join(dataDir, 'scenario.yaml'), '--max-agents', '2', ...base]);
  expect(started.stderr).toBe('');
  expect(started.stdout).toContain(`baton/${project}`);

  const added = await runCli(['objective', 'Build the website', '--json', ...base]);
  expect(JSON.parse(added.stdout)).toMatchObject({ id: 'OBJ_001', description: 'Build the website' });

  const waiting = await until(statusJson, (s) => s.runningAgents.length === 1 && s.runningAgents[0].role === 'executor');
  expect(waiting.tasks.map((t: { status: string }) => t.status)).toEqual(['completed', 'completed', 'running']);

  expect((await runCli(['insight', 'Visitors want opening hours first', ...base])).stdout).toContain('Recorded insight');

  // A person finishes the manual task; its agent is stopped and the objective completes.
  const manual = waiting.tasks[2].id;
  const completed = await runCli(['complete', manual, 'Done by hand', '--json', ...base]);
  expect(JSON.parse(completed.stdout)).toEqual({ taskId: manual, stoppedAgents: [waiting.runningAgents[0].id] });
  const done = await until(statusJson, (s) => s.phase === 'idle');
  expect(done.objectives[0].status).toBe('completed');
  expect(done.tasks[2]).toMatchObject({ status: 'completed', outcome: 'Done by hand' });

  const stop = await runCli(['stop', '--graceful', '--json', ...base]);
  expect(JSON.parse(stop.stdout)).toEqual({ stoppedAgents: [], graceful: true });
  expect((await statusJson()).phase).toBe('paused');

  const report = await runCli(['report', ...base]);
  expect(report.stdout).toContain('## Orchestration Report');
  expect(report.stdout).toMatch(/\| TASK_003 Wait for a person \| .* \| executor \| completed \| — \| Done by hand \|/);
  expect(report.stdout).toContain('Visitors want opening hours first');
  const reportJson = JSON.parse((await runCli(['report', '--json', ...base])).stdout);
  expect(reportJson.metrics.total_tasks_completed).toBe(3);

  // `new` opened session 1 and the objective session 2; resume opens the next one.
  const before = (await statusJson()).session;
  const resumed = await runCli(['resume', '--json', ...base]);
  expect(JSON.parse(resumed.stdout)).toEqual({ session: before + 1 });
});

test('bad input gets a clear error and a non-zero exit, and the orchestration carries on', async () => {
  const badTask = await runCli(['complete', 'TASK_42', 'x', ...base]);
  expect(badTask.code).toBe(1);
  expect(badTask.stderr).toContain('taskId');

  const unknownTask = await runCli(['complete', 'TASK_777', 'x', ...base]);
  expect(unknownTask.code).toBe(1);
  expect(unknownTask.stderr).toContain('completeTask rejected: taskId: no task TASK_777');

  const badAgent = await runCli(['stop', '--agent', 'AGENT_9999', ...base]);
  expect(badAgent.code).toBe(1);
  expect(badAgent.stderr).toContain('no agent AGENT_9999');

  const badFlag = await runCli(['new', '--max-agents', 'many', ...base]);
  expect(badFlag.code).toBe(2);
  expect(badFlag.stderr).toContain('--max-agents must be a positive integer');

  const again = await runCli(['new', ...base]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('already has a running orchestration');

  const missing = await runCli(['status', '--address', testServerAddress(), '--data-dir', dataDir, '--project', 'no-such-project']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('no orchestration for project no-such-project');

  expect((await statusJson()).project).toBe(project);
});

test('resume --from imports a seed-002 context file into a new orchestration', async () => {
  const file = path.join(dataDir, 'seed.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      project_name: 'alpha',
      objectives: [{ id: 'OBJ_001', description: 'Migrate authentication to OAuth2', status: 'active' }],
      completed_tasks: [{ id: 'TASK_001', description: 'Research OAuth providers', outcome: 'Selected Auth0' }],
      active_tasks: [{ id: 'TASK_025', description: 'Implement Auth0 integration' }],
      key_insights: ['Auth0 provides best enterprise features'],
      metrics: { total_sessions: 12 },
    }),
  );
  const imported = uniqueProject('imported');
  const r = await runCli(['resume', '--from', file, '--json', '--address', testServerAddress(), '--data-dir', dataDir, '--project', imported]);
  expect(r.stderr).toBe('');
  const status = await until(
    async () => JSON.parse((await runCli(['status', '--json', '--address', testServerAddress(), '--data-dir', dataDir, '--project', imported])).stdout),
    (s) => s.phase === 'idle',
  );
  expect(status.metrics.total_sessions).toBe(13);
  expect(status.tasks.map((t: { mission: string; status: string; role: string }) => [t.mission, t.status, t.role])).toEqual([
    ['Research OAuth providers', 'completed', 'researcher'],
    ['Implement Auth0 integration', 'completed', 'developer'],
  ]);

  const broken = path.join(dataDir, 'broken.json');
  fs.writeFileSync(broken, JSON.stringify({ objectives: [{ status: 'active' }] }));
  const bad = await runCli(['resume', '--from', broken, '--address', testServerAddress(), '--data-dir', dataDir, '--project', uniqueProject('broken')]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('objectives.0.description');
});

test('the plain Temporal CLI can send the same updates and queries', async () => {
  const temporal = await resolveTemporalCli({ onProgress: () => undefined });
  const wf = ['--address', testServerAddress(), '--workflow-id', `baton/${project}`];
  const run = (args: string[]) =>
    new Promise<{ code: number; out: string }>((resolve) =>
      execFile(temporal, args, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr })),
    );

  const ok = await run(['workflow', 'update', 'execute', ...wf, '--name', 'recordInsight', '--input', '{"text":"from the temporal CLI"}']);
  expect(ok.code).toBe(0);
  const bad = await run(['workflow', 'update', 'execute', ...wf, '--name', 'addObjective', '--input', '{"description":42}']);
  expect(bad.code).toBe(1);
  expect(bad.out).toContain('description: description must be a string');
  const query = await run(['workflow', 'query', ...wf, '--type', 'context', '--output', 'json']);
  expect(query.code).toBe(0);
  expect(query.out).toContain('from the temporal CLI');
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../src/server/free-port';
import { runCli } from '../support/cli';

let dataDir: string;
let address: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-demo-'));
  let port = await freePort();
  while (port === 7233 || port + 1000 > 65535) port = await freePort();
  address = `127.0.0.1:${port}`;
});
afterAll(async () => {
  await runCli(['down', '--data-dir', dataDir]);
});

test('`baton demo` starts a server and worker, runs the example to a report, and leaves status working', async () => {
  const demo = await runCli(['demo', '--address', address, '--data-dir', dataDir], {}, 300_000);
  expect(demo.stderr).toBe('');
  expect(demo.code).toBe(0);
  const out = demo.stdout;
  expect(out).toContain('Starting the embedded Temporal dev server');
  expect(out).toContain('>>> 3 Agent orchestration (session 1)');
  expect(out).toMatch(/▶ \w+ \(researcher\) \[simulated\] started TASK_\d+/);
  expect(out).toContain('+ objective OBJ_003: Publish a launch announcement');
  expect(out).toContain('## Orchestration Report');
  expect(out).toContain('- Tasks completed: 9 · failed: 0');
  expect(out).toContain(`/namespaces/default/workflows/baton%2Fdemo`);

  // The scripted agents really wrote the site.
  const workspace = path.join(dataDir, 'demo', 'workspace');
  for (const file of ['site/index.html', 'site/order.html', 'site/news.html', 'tests/order-checklist.md']) {
    expect(fs.existsSync(path.join(workspace, file))).toBe(true);
  }
  const context = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo', 'context.json'), 'utf8'));
  expect(context.metrics).toMatchObject({ total_sessions: 1, total_agents_spawned: 9, total_tasks_completed: 9 });

  // Server and worker outlive the demo, so status works afterwards.
  const status = await runCli(['status', '--json', '--address', address, '--data-dir', dataDir]);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ project: 'demo', phase: 'idle' });
}, 300_000);

import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../src/server/free-port';
import { connect, type NatsConnection } from 'nats';
import { type NatsServer, startNatsServer } from '../../src/nats/server';
import { runCli, spawnCli } from '../support/cli';
import { testServerAddress } from '../support/test-server';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const SCENARIO = `
name: intake
plans:
  - match: "menu"
    tasks:
      - { key: menu, role: developer, mission: "Write the menu" }
defaults: { delayMs: 50 }
`;

let env: WorkflowEnv;
let nats: NatsServer;
let nc: NatsConnection;
let intake: ChildProcess;
let log = '';
const project = uniqueProject('intake');

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  env = await workflowEnv();
  await env.startWorkers();
  await env.baton.start(project, { config: { scenario: writeScenario(env.dataDir, SCENARIO) } });
  intake = spawnCli(['intake', '--nats-url', nats.url, '--address', testServerAddress(), '--data-dir', env.dataDir]);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`intake did not start: ${log}`)), 60_000);
    intake.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Baton intake on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});
afterAll(async () => {
  intake?.kill('SIGTERM');
  await nc?.drain().catch(() => undefined);
  await nats?.stop();
  await env?.close();
});

const ask = async (subject: string, body: string) => JSON.parse(new TextDecoder().decode((await nc.request(subject, new TextEncoder().encode(body), { timeout: 30_000 })).data)) as Record<string, unknown>;

test('objectives published on baton.<project>.intake become objectives; bad ones are dropped with a reason and nothing crashes', async () => {
  expect(await ask(`baton.${project}.intake`, 'Write the menu page')).toEqual({ ok: true, project, objectiveId: 'OBJ_001' });
  expect(await ask(`baton.${project}.intake`, JSON.stringify({ description: 'The menu in French', budget: { maxUsd: 1 } }))).toMatchObject({ ok: true, objectiveId: 'OBJ_002' });
  expect(await ask(`baton.${project}.intake`, '{"descripton":"typo"}')).toEqual({ ok: false, error: 'description: description is required; input: unknown field(s) "descripton"' });
  expect(await ask(`baton.${project}.intake`, '{oops')).toMatchObject({ ok: false, error: expect.stringContaining('not valid JSON') });
  expect(await ask('baton.no-such-project.intake', 'Anything')).toMatchObject({ ok: false, error: expect.stringContaining('no orchestration for project no-such-project') });
  // A plain publish (no reply wanted) works the same way.
  nc.publish(`baton.${project}.intake`, new TextEncoder().encode('Publish the menu'));

  const final = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length === 3);
  expect(final.objectives.map((o) => o.description)).toEqual(['Write the menu page', 'The menu in French', 'Publish the menu']);
  expect(final.objectives[1]?.budget).toEqual({ maxUsd: 1 });
  expect(intake.exitCode).toBeNull();
  expect(log).toContain(`intake: dropped a message on baton.${project}.intake: description: description is required; input: unknown field(s) "descripton"`);
  expect(log).toMatch(/intake: dropped a message on baton.no-such-project.intake for no-such-project: no orchestration/);
});

test('intake without a NATS server configured says how to get one', async () => {
  const r = await runCli(['intake', '--address', testServerAddress()], { NATS_URL: '' });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('no NATS server: pass --nats-url');
});

test('`baton server --nats` runs nats-server beside the dev server, and stops both on Ctrl-C', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-nats-server-'));
  const detached = await runCli(['server', '--nats', '--detach', '--data-dir', dataDir]);
  expect(detached.code).toBe(1);
  expect(detached.stderr).toContain('--nats runs in the foreground only');

  const [port, natsPort] = [await freePort(), await freePort()];
  const server = spawnCli(['server', '--headless', '--port', String(port), '--nats', '--nats-port', String(natsPort), '--data-dir', dataDir]);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 90_000);
    server.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('NATS on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  expect(out).toContain(`NATS on nats://127.0.0.1:${natsPort}`);
  const client = await connect({ servers: `nats://127.0.0.1:${natsPort}` });
  await client.close();
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  server.kill('SIGINT');
  expect(await exited).toBe(0);
  await expect(connect({ servers: `nats://127.0.0.1:${natsPort}`, timeout: 1000, reconnect: false })).rejects.toThrow();
}, 120_000);

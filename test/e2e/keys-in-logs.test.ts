import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectBaton, settled, waitFor } from '../../scripts/chaos/harness';
import { freePort } from '../../src/server/free-port';
import { startDevServer, type DevServerHandle } from '../../src/server/dev-server';
import { resolveTemporalCli } from '../../src/server/temporal-binary';
import { startFakeAnthropic, submitPlan, submitReport, submitSynthesis, type FakeAnthropic, type FakeReply, type FakeRequest } from '../support/fake-anthropic';
import { scanServer, scanText, suiteSecretRules, type TextFinding } from '../support/secret-scan';
import { uniqueProject } from '../support/workflow-env';

// "Secrets never enter workflow history, logs or artifacts." The suite scans every history; this test scans the
// logs too. Its own dev server (info-level log to a file) and a `baton worker` process (stdout and stderr) run
// an anthropic orchestration with the key set, through success, a provider error the SDK retries and a reply
// that fails an agent, so error paths are logged. Then every log line, and every file Baton wrote, is scanned for
// the key as histories are.

const KEY = 'sk-' + 'ant-test-0123456789abcdef';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-keys-in-logs-'));
const BIN = path.resolve(__dirname, '../../bin/baton.js');
let stopWorker: () => Promise<void> = async () => undefined;
let server: DevServerHandle;
let fake: FakeAnthropic;
let failedOnce = false;

function model(req: FakeRequest): FakeReply {
  if (req.toolNames.includes('submit_plan')) {
    return submitPlan([
      { key: 'good', role: 'researcher', mission: 'Research the opening hours', dependsOn: [], successCriteria: ['hours'] },
      { key: 'bad', role: 'analyst', mission: 'Analyse the broken feed', dependsOn: [], successCriteria: ['analysis'] },
    ]);
  }
  if (req.toolNames.includes('submit_synthesis')) return submitSynthesis({ agreements: ['Hours first'], decisions: [] });
  if (req.firstUserText.includes('Research the opening hours')) {
    // One overloaded answer first: the error path is logged, then the retry succeeds.
    if (!failedOnce) {
      failedOnce = true;
      return { kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' };
    }
    return submitReport({ summary: 'Open 7 to 15' });
  }
  // The analyst's model answers garbage every time: the agent fails after its retries, which the worker logs.
  return { kind: 'malformed' };
}

beforeAll(async () => {
  fake = await startFakeAnthropic(model, { apiKey: KEY });
  server = await startDevServer({
    cli: await resolveTemporalCli({ onProgress: () => undefined }),
    port: await freePort(),
    headless: true,
    detached: true,
    pidFile: path.join(root, 'temporal.pid'),
    logFile: path.join(root, 'temporal.log'),
    logLevel: 'info',
  });
}, 180_000);

afterAll(async () => {
  await stopWorker();
  await server?.stop();
  await fake?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every regular file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

test('the API key never appears in the worker’s or the server’s log, nor in any file Baton wrote', async () => {
  const target = { address: server.address, namespace: server.namespace };
  const dataDir = path.join(root, 'data');
  // The worker's whole output goes to a file, as an operator would run it (`baton worker > worker.log 2>&1`).
  const workerLogFile = path.join(root, 'worker.log');
  const out = fs.openSync(workerLogFile, 'a');
  const worker = spawn(process.execPath, [BIN, 'worker', '--address', target.address, '--namespace', target.namespace, '--data-dir', dataDir], {
    env: { ...process.env, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: KEY },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  stopWorker = async () => {
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    worker.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    worker.kill('SIGKILL');
  };
  await waitFor(async () => fs.readFileSync(workerLogFile, 'utf8'), (text) => text.includes('Baton worker (pid'), 120_000, 'the worker to start');
  const { baton, close } = await connectBaton(target);
  try {
    const project = uniqueProject('keys');
    await baton.start(project, { config: { runtime: 'anthropic', maxAttempts: 2 }, objectives: ['Put the opening hours on the site'] });
    const done = await waitFor(() => baton.status(project), settled, 120_000, 'the orchestration to settle', 300);
    // The run took the paths whose logs matter: a success after a provider error, and an agent failure.
    expect(done.tasks.map((t) => [t.mission, t.status])).toEqual([
      ['Research the opening hours', 'completed'],
      ['Analyse the broken feed', 'failed'],
    ]);
    expect(failedOnce).toBe(true);
    expect(fake.requests.every((r) => r.apiKey === KEY)).toBe(true);

    // Histories too, on this server (the suite's own scan covers only its shared server).
    const histories = await scanServer(baton.connection, { namespaces: [target.namespace] });
    expect(histories.histories).toBeGreaterThan(0);
    expect(histories.findings).toEqual([]);
  } finally {
    await close();
  }
  await stopWorker();

  const workerLog = fs.readFileSync(workerLogFile, 'utf8');
  const serverLog = fs.readFileSync(server.logFile!, 'utf8');
  // Both logs really hold what happened: the worker's start and its failed activity, the server's activity.
  expect(workerLog).toContain('Baton worker (pid');
  expect(workerLog).toMatch(/Activity failed|activity.*fail/i);
  expect(serverLog.split('\n').length).toBeGreaterThan(20);
  const written = filesUnder(dataDir);
  expect(written.some((f) => f.endsWith('context.json'))).toBe(true);

  const rules = suiteSecretRules({ ANTHROPIC_API_KEY: KEY });
  const findings: TextFinding[] = [
    ...scanText('worker log', workerLog, rules),
    ...scanText('server log', serverLog, rules),
    ...written.flatMap((f) => scanText(path.relative(root, f), fs.readFileSync(f, 'utf8'), rules)),
  ];
  expect(findings).toEqual([]);
}, 240_000);

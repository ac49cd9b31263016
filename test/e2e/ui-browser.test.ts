import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDevServer, type DevServerHandle } from '../../src/server/dev-server';
import { freePort } from '../../src/server/free-port';
import { resolveTemporalCli } from '../../src/server/temporal-binary';
import { runCli, spawnCli } from '../support/cli';
import { uniqueProject } from '../support/workflow-env';

// The Temporal UI in a real browser (Debian's chromium, driven by playwright-core): what an operator sees of an
// orchestration. This test starts its own dev server WITH the UI on loopback (the suite's shared one is headless).

const CHROMIUM = '/usr/bin/chromium';
const SCENARIO = `
name: ui
plans:
  - match: "homepage"
    tasks:
      - { key: research, role: researcher, mission: "Research the bakery homepage" }
      - { key: build, role: developer, mission: "Build the bakery homepage", dependsOn: [research] }
agents:
  - match: { key: build }
    delayMs: 600000
defaults: { delayMs: 100 }
`;

let server: DevServerHandle;
let worker: ChildProcess | undefined;
let browser: BrowserContext | undefined;
let dataDir: string;
let profileDir: string;
let base: string[];
const project = uniqueProject('ui');

/** A dev server whose UI sits at port + 1000, where the CLI's printed links point. */
async function serverWithUi(cli: string): Promise<DevServerHandle> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startDevServer({ cli, ip: '127.0.0.1', port, uiPort: port + 1000, headless: false, logLevel: 'error' });
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

beforeAll(async () => {
  expect(fs.existsSync(CHROMIUM)).toBe(true);
  server = await serverWithUi(await resolveTemporalCli());
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-ui-'));
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-chromium-'));
  fs.writeFileSync(path.join(dataDir, 'scenario.yaml'), SCENARIO);
  base = ['--address', server.address, '--data-dir', dataDir, '--project', project];
  const w = spawnCli(['worker', ...base]);
  worker = w;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker did not start')), 90_000);
    w.stderr!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Baton worker')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  // A fresh profile each run (playwright hands it to chromium as --user-data-dir); the machine has no network.
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await server?.stop();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

/** Wait until `text` is visible (the UI fills in from API calls after load). */
async function waitForText(page: Page, text: string | RegExp, timeout = 30_000): Promise<void> {
  await page.getByText(text).filter({ visible: true }).first().waitFor({ state: 'visible', timeout });
}

/** Wait until `text` shows in one of the page's frames: the UI renders summary and details (markdown) in sandboxed iframes. */
async function waitForFrameText(page: Page, text: RegExp, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const texts = await Promise.all(page.frames().map((f) => f.locator('body').innerText({ timeout: 1000 }).catch(() => '')));
    if (texts.some((t) => text.test(t))) return;
    if (Date.now() > deadline) throw new Error(`no frame shows ${text}; frames: ${JSON.stringify(texts.filter(Boolean))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('the workflow page shows the summary, current details, named activities, and a CLI update', async () => {
  const started = await runCli(['new', 'Build the bakery homepage', '--scenario', path.join(dataDir, 'scenario.yaml'), ...base]);
  expect(started.stderr).toBe('');
  // The CLI prints the UI link; the test follows it as a person would.
  const link = started.stdout.split('\n').find((l) => l.startsWith('http'))!;
  expect(link).toContain(encodeURIComponent(`baton/${project}`));

  // Wait until the developer agent is running (it is scripted to take ten minutes), so details show a live agent.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = JSON.parse((await runCli(['status', '--json', ...base])).stdout) as { tasks: { status: string; role: string }[] };
    if (s.tasks.some((t) => t.role === 'developer' && t.status === 'running')) break;
    if (Date.now() > deadline) throw new Error(`developer never ran: ${JSON.stringify(s.tasks)}`);
    await new Promise((r) => setTimeout(r, 300));
  }

  const page = await browser!.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await page.goto(link.replace('localhost', '127.0.0.1'), { waitUntil: 'domcontentloaded' });
    // Named activities: the planner's and the agents' activity summaries, on the history tab's timeline.
    await waitForText(page, /planObjective • planner · OBJ_001: Build the bakery homepage/);
    await waitForText(page, /spawnAgent • Aria \(researcher\) \[simulated\] · TASK_001/);
    await waitForText(page, /spawnAgent • Forge \(developer\) \[simulated\] · TASK_002/);
    expect(await page.locator('body').innerText()).not.toMatch(/addObjective/);

    // Summary, static details and current details live on the User Metadata tab.
    await page.getByText('User Metadata', { exact: true }).first().click();
    await waitForText(page, 'Current Details');
    await waitForFrameText(page, new RegExp(`^\\s*Baton orchestration · ${project}\\s*$`));
    await waitForFrameText(page, new RegExp(`Project ${project} · mode parallel · up to 3 agents · runtime scripted`));
    // Current details: session and phase, task counts, and the running developer agent with its task.
    await waitForFrameText(page, new RegExp(`${project} · session 1 · \\d Agent orchestration`));
    await waitForFrameText(page, /Forge \(AGENT_\d+\)\s+developer\s+TASK_002/);

    // An update sent from the CLI shows up in the history once the page is loaded again.
    const added = await runCli(['objective', 'Write the opening hours page', '--json', ...base]);
    expect(added.code).toBe(0);
    await page.goto(link.replace('localhost', '127.0.0.1'), { waitUntil: 'domcontentloaded' });
    await waitForText(page, /addObjective/);
    // ... and so does the planning it set off.
    await waitForText(page, /planObjective • planner · OBJ_002: Write the opening hours page/);
  } catch (err) {
    fs.writeFileSync(path.join(dataDir, 'page.txt'), await page.locator('body').innerText().catch(() => ''));
    await page.screenshot({ path: path.join(dataDir, 'page.png'), fullPage: true }).catch(() => undefined);
    throw new Error(`${(err as Error).message}\n(page text and screenshot in ${dataDir})`);
  } finally {
    await page.close();
  }
});

import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../src/server/free-port';
import { runCli } from '../support/cli';

// The Done-When, offline: `baton demo --runtime claude-code` with the real Claude Code binary for planner,
// agents and synthesizer, against the Messages API stand-in run as its own process (scripts/fake-messages-api.ts),
// as a user would try it by hand. The stand-in writes what it billed for every answered request to a ledger file.
const ROOT = path.resolve(__dirname, '../..');
const KEY = 'sk-' + 'ant-fake-demo-0000000000000000000000';

interface Billed {
  index: number;
  model: string;
  role: string | null;
  costUsd: number;
}

let dataDir: string;
let address: string;
let ledger: string;
let standIn: ChildProcess;
let url: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-demo-cc-'));
  ledger = path.join(dataDir, 'billed.jsonl');
  let port = await freePort();
  while (port === 7233 || port + 1000 > 65535) port = await freePort();
  address = `127.0.0.1:${port}`;
  standIn = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/fake-messages-api.ts', '--ledger', ledger], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the stand-in did not start: ${out}`)), 60_000);
    standIn.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    standIn.stderr!.resume();
    standIn.on('exit', (code) => reject(new Error(`the stand-in exited with ${code}: ${out}`)));
  });
}, 90_000);
afterAll(async () => {
  await runCli(['down', '--data-dir', dataDir]);
  standIn?.kill('SIGTERM');
});

test('`baton demo --runtime claude-code` finishes offline, and the report costs exactly what the stand-in billed', async () => {
  const env = {
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: KEY,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CONFIG_DIR: path.join(dataDir, 'claude-config'),
  };
  const demo = await runCli(['demo', '--runtime', 'claude-code', '--address', address, '--data-dir', dataDir], env, 420_000);
  expect(demo.stderr).toBe('');
  expect(demo.code).toBe(0);
  const out = demo.stdout;
  expect(out).toContain('Orchestration baton/demo started (agents: claude-code)');
  expect(out).toContain('>>> Idle — waiting for objectives (session 1)');
  expect(out).toContain('## Orchestration Report');
  expect(out).not.toContain('[simulated]');
  // Every objective of the demo (the planned one, the roadmap streams, the two added mid-run) completed on Claude Code.
  expect(out).toMatch(/\| OBJ_001 \| Research and write the landing page \| completed \|/);
  expect(out).toMatch(/\| OBJ_002 \| Run all available work streams \| completed \|/);
  expect(out).toMatch(/\| OBJ_003 \| Publish a launch announcement \| completed \|/);
  expect(out).toMatch(/\| OBJ_004 \| Plan the grand opening week \| completed \|/);

  // Planner, agents and synthesizer all reached the stand-in, and every request carried the key it was given.
  const billed: Billed[] = fs.readFileSync(ledger, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Billed);
  const roles = new Set(billed.map((b) => b.role));
  for (const role of ['planner', 'developer', 'synthesizer']) expect(roles).toContain(role);
  expect(billed.every((b) => b.costUsd > 0)).toBe(true);
  const total = billed.reduce((sum, b) => sum + b.costUsd, 0);

  // The report's cost is the sum of what was billed: every Claude Code result's total_cost_usd, nothing lost or doubled.
  // Baton keeps each result's cost to the micro-dollar: at most 1e-6 apart per result, and each result answers a request.
  const rounding = billed.length * 1e-6;
  const status = await runCli(['status', '--json', '--address', address, '--data-dir', dataDir]);
  expect(status.code).toBe(0);
  const view = JSON.parse(status.stdout);
  expect(Math.abs(view.spent.costUsd - total)).toBeLessThanOrEqual(rounding);
  expect(out).toMatch(new RegExp(`^- Cost: [\\d,]+ tokens · \\$${view.spent.costUsd.toFixed(4).replace('.', '\\.')}`, 'm'));
  expect(view.spent.costUsd).toBeGreaterThan(0.01);
  expect(view.team.length).toBeGreaterThan(0);

  // The stand-in's builders really wrote in their worktrees, and the verified work was committed and merged into main.
  const targets = path.join(dataDir, 'demo', 'targets');
  const notes = ['site', 'api'].flatMap((t) => (fs.existsSync(path.join(targets, t, 'notes')) ? fs.readdirSync(path.join(targets, t, 'notes')) : []));
  expect(notes.length).toBeGreaterThan(0);
  // The key went to the stand-in only: not into the worker's log.
  expect(fs.readFileSync(path.join(dataDir, 'worker.log'), 'utf8')).not.toContain(KEY);
}, 480_000);

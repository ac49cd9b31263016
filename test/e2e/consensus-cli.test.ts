import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, spawnCli } from '../support/cli';
import { testServerAddress } from '../support/test-server';
import { uniqueProject } from '../support/workflow-env';

// A person's scenario: the plan has no consensus of its own; the objective asks for it on the command line.
const SCENARIO = `
name: consensus-cli
plans:
  - match: "hosting"
    tasks:
      - { key: pick-host, role: researcher, mission: "Where should the bakery shop be hosted?" }
agents:
  - match: { agent: Quinn }
    summary: "A VPS at Hetzner"
  - match: { key: pick-host }
    summary: "Fly.io"
defaults: { delayMs: 100 }
`;

let worker: ChildProcess;
let base: string[];

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-consensus-cli-'));
  fs.writeFileSync(path.join(dataDir, 'scenario.yaml'), SCENARIO);
  base = ['--address', testServerAddress(), '--data-dir', dataDir, '--project', uniqueProject('consensus-cli')];
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
  const started = await runCli(['new', '--scenario', path.join(dataDir, 'scenario.yaml'), ...base]);
  expect(started.code).toBe(0);
}, 120_000);
afterAll(() => worker?.kill('SIGTERM'));

async function until(ok: (status: { pendingDecisions: { id: string }[]; phase: string; tasks: { status: string }[] }) => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const r = await runCli(['status', '--json', ...base]);
    if (r.code === 0 && ok(JSON.parse(r.stdout))) return;
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error('status never matched');
}

test('baton objective --consensus 3 --quorum 3 --below-quorum escalate, then status, decide with an agent name, and report', async () => {
  const bad = await runCli(['objective', 'Choose hosting', '--consensus', '9', ...base]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('--consensus: consensus.agents must be at most 5');

  const added = await runCli(['objective', 'Choose hosting', '--consensus', '3', '--quorum', '3', '--below-quorum', 'escalate', ...base]);
  expect(added.code).toBe(0);
  await until((s) => s.phase === 'idle' && s.pendingDecisions.length === 1);

  const status = await runCli(['status', ...base]);
  expect(status.stdout).toMatch(/consensus of 3: Aria completed, Sage completed, Quinn completed · agreement 67% \(quorum 3 of 3\) · waiting for a person \(DEC_\d+\)/);
  const decisionId = /waiting for a person \((DEC_\d+)\)/.exec(status.stdout)![1]!;

  const decided = await runCli(['decide', decisionId, 'Quinn', ...base]);
  expect(decided.code).toBe(0);
  await until((s) => s.phase === 'idle' && s.tasks.every((t) => t.status === 'completed'));

  const report = await runCli(['report', ...base]);
  expect(report.stdout).toContain('### Consensus decisions');
  expect(report.stdout).toContain(`- ${decisionId} (TASK_001): agreement 67%, quorum 3 of 3 — resolved by a person; compared deterministically (scripted)`);
  expect(report.stdout).toContain('Resolution: [simulated] A VPS at Hetzner');
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentsOn, gitTarget, read, taskFor, waitForFile, waitForState } from '../support/git-targets';
import { runCli } from '../support/cli';
import { testServerInfo } from '../support/test-server';
import { settled, uniqueProject, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

// A target whose roadmap is written in seed 003's format (`## Batch N`, `### Phase X.Y: Name ⭐ TAG`, emoji statuses,
// `Assigned To`, `Depends On: Phase 1.2 ✅`) driven from the CLI: `baton roadmap --targets`, `baton new`, `baton run --all`,
// with scripted agents (declared as simulated) on the real dev server.

const ROADMAP = fs.readFileSync(path.join(__dirname, '../fixtures/seed003/e2e-roadmap.md'), 'utf8');

let env: WorkflowEnv;
let dir: string;
let connection: string[];
beforeAll(async () => {
  env = await workflowEnv();
  dir = env.dataDir;
  const { address, namespace } = testServerInfo();
  connection = ['--address', address, '--namespace', namespace, '--data-dir', dir];
  await env.startWorkers();
});
afterAll(async () => env?.close());

/** A targets.yaml (Baton's shape) naming one target folder under the test's data dir. */
function targetsFile(name: string, folder: string): string {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, `targets:\n  aurora:\n    path: ./${folder}\n`);
  return file;
}

/** The values of one phase's `- **Field:**` lines, by field name. */
function fieldsOf(text: string, id: string): Record<string, string> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`### Phase ${id}:`));
  if (start < 0) throw new Error(`no phase ${id}`);
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    const m = /^- \*\*([^*]+):\*\*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** The roadmap without the lines Baton may write: everything else must stay byte for byte. */
const withoutBatonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => !/^- \*\*(Status|Assigned To|Completed):\*\*/.test(l))
    .join('\n');

test('`baton roadmap --targets` reads a seed 003 roadmap: offer order, waits decided by dependencies, a person’s block kept; an empty one is an issue', async () => {
  gitTarget(dir, 'aurora-check', ROADMAP);
  const health = await runCli([...connection, 'roadmap', '--targets', targetsFile('check', 'aurora-check')]);
  expect(health).toMatchObject({ code: 0, stderr: '' });
  expect(health.stdout).toContain('  available: aurora:2.3, aurora:1.2, aurora:1.4, aurora:2.9, aurora:2.10');
  expect(health.stdout).toContain('  complete: aurora:1.1');
  // `Depends On: Phase 1.2 ✅` is a hint: 1.2 is not complete, so 1.3 waits.
  expect(health.stdout).toContain('    aurora:1.3: not started, waiting on aurora:1.2');
  expect(health.stdout).toContain('    aurora:2.1: not started, waiting on aurora:1.4');
  expect(health.stdout).toContain('    aurora:3.1: vendor contract not signed');
  expect(health.stdout).not.toContain('gardening would change');

  const empty = gitTarget(dir, 'aurora-empty', '# Aurora Roadmap\n\n## Batch 1\n\n### Phase One: Everything\n\nTBD\n');
  const silent = await runCli([...connection, 'roadmap', '--targets', targetsFile('empty', 'aurora-empty')]);
  expect(silent.code).toBe(1);
  expect(silent.stdout).toContain(`${empty.roadmap}:1: no work streams found`);
  expect(silent.stdout).toContain(`${empty.roadmap}:5: heading "Phase One: Everything" looks like a work stream but has no dotted id`);
});

test('`baton run --all` works a seed 003 roadmap in dependency and bootstrap order and writes statuses and owners back in its own spelling', async () => {
  const project = uniqueProject('seed003');
  const target = gitTarget(dir, 'aurora-run', ROADMAP);
  const scenario = writeScenario(dir, 'name: seed003\ndefaults: { delayMs: 50 }\n');
  const args = [...connection, '--project', project];
  const started = await runCli([...args, 'new', '--targets', targetsFile('run', 'aurora-run'), '--scenario', scenario, '--mode', 'sequential', '--confirm-above', '20']);
  expect(started).toMatchObject({ code: 0, stderr: '' });
  const run = await runCli([...args, 'run', '--all']);
  expect(run).toMatchObject({ code: 0, stderr: '' });

  const done = await waitForState(env.baton, project, (s) => settled(s) && s.objectives.length === 1, 120_000);
  expect(done.objectives[0]!.status).toBe('completed');
  // The BOOTSTRAP phase first, after the phase it needs; then PRIORITY; then by batch and number (2.9 before 2.10).
  // 3.1 is blocked by a person and 3.2 waits on it: neither runs.
  const order = ['1.4', '2.1', '2.3', '1.2', '1.3', '2.9', '2.10'].map((id) => `aurora:${id}`);
  expect(done.objectives[0]!.interpretation).toMatchObject({ goalType: 'run-all', matchingStreams: order });
  const tasks = order.map((ref) => taskFor(done, ref));
  expect(tasks.every((t) => t.status === 'completed')).toBe(true);
  expect(done.tasks.map((t) => t.stream)).not.toContain('aurora:3.1');
  expect(done.tasks.map((t) => t.stream)).not.toContain('aurora:3.2');
  const byStart = [...tasks].sort((a, b) => a.started!.localeCompare(b.started!)).map((t) => t.stream);
  expect(byStart).toEqual(order);
  // `Depends On: Phase 1.2 ✅` did not let 1.3 start before 1.2 was done.
  expect(taskFor(done, 'aurora:1.3').started! >= taskFor(done, 'aurora:1.2').completed!).toBe(true);
  // The agent was given its tasks with their state and Done When as success criteria.
  const harness = taskFor(done, 'aurora:2.1');
  expect(harness.mission).toContain('- [BLOCKED: waiting for the CI image] (blocked) Run in CI');
  expect(taskFor(done, 'aurora:2.3').successCriteria).toEqual(['every error has a code', 'errors are logged once']);

  const text = await waitForFile(target.roadmap, (t) => fieldsOf(t, '2.10').Status === '✅ Complete', 30_000);
  const today = /^\d{4}-\d\d-\d\d/.exec(taskFor(done, 'aurora:2.10').completed!)![0];
  for (const [i, ref] of order.entries()) {
    const id = ref.slice('aurora:'.length);
    const agent = agentsOn(done, tasks[i]!.id).at(-1);
    expect(fieldsOf(text, id)).toMatchObject({ Status: '✅ Complete', 'Assigned To': agent, Completed: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
  }
  expect(fieldsOf(text, '2.10').Completed).toBe(today);
  expect(fieldsOf(text, '1.1')).toMatchObject({ Status: '✅ Complete', 'Assigned To': 'Aria', Completed: '2025-11-12' });
  expect(fieldsOf(text, '3.1')).toMatchObject({ Status: '🔴 Blocked - vendor contract not signed', 'Assigned To': '-' });
  expect(fieldsOf(text, '3.2')).toMatchObject({ Status: '⚪ Not Started', 'Assigned To': '-' });
  // Everything else is as the team wrote it; the only new lines are the seven Completed dates.
  expect(withoutBatonLines(text)).toBe(withoutBatonLines(ROADMAP));
  expect(text.split('\n').length).toBe(ROADMAP.split('\n').length + 7);
  expect(read(target.roadmap)).toBe(text);
  await env.baton.client.workflow.getHandle(`baton/${project}`).terminate('test done');
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import type { AgentReport, SpawnAgentInput, TaskInput } from '../../src/shared/activity-types';
import type { Role } from '../../src/shared/schemas';
import { runActivity } from '../support/fake-anthropic/harness';

const DEMO = path.resolve(__dirname, '../../examples/demo/scenario.yaml');

function setup() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-spawn-'));
  return { dataDir, acts: createActivities({ dataDir }), workspace: path.join(dataDir, 'demo', 'workspace') };
}

const env = (attempt = 1) => new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') });

function spawn(key: string, role: Role, opts: { scenario?: string; inputs?: TaskInput[] } = {}): SpawnAgentInput {
  return {
    runtime: 'scripted',
    scenario: opts.scenario,
    project: 'demo',
    agent: { id: `AGENT_${key}`, name: `Agent ${key}`, role },
    task: { id: `TASK_${key}`, key, mission: `Mission of ${key}`, successCriteria: ['done well'] },
    objective: { id: 'OBJ_001', description: 'Research and write the landing page' },
    inputs: opts.inputs ?? [],
  };
}

const asInput = (key: string, role: Role, report: AgentReport): TaskInput => ({ taskId: `TASK_${key}`, role, summary: report.summary, artifacts: report.artifacts });

function scenarioFile(yaml: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'baton-scenario-')), 'scenario.yaml');
  writeFileSync(file, yaml);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the activity to fail');
    },
    (e: unknown) => e,
  );
}

describe('spawnAgent (scripted runtime)', () => {
  it('without a scenario writes a note into the workspace and labels the report simulated', async () => {
    const { acts, workspace } = setup();
    const report = await runActivity(env(), acts.spawnAgent, spawn('research-options', 'researcher'));
    expect(report).toMatchObject({ status: 'success', simulated: true, runtime: 'scripted', artifacts: ['notes/research-options.md'] });
    expect(report.summary.startsWith('[simulated] ')).toBe(true);
    const note = readFileSync(path.join(workspace, 'notes/research-options.md'), 'utf8');
    expect(note).toContain('Mission of research-options');
    expect(note).toContain('Agent research-options (researcher)');
  });

  it('passes files between agents: the developer reads both research notes and says so', async () => {
    const { acts, workspace } = setup();
    const [audience, competitors] = await Promise.all([
      runActivity(env(), acts.spawnAgent, spawn('research-audience', 'researcher', { scenario: DEMO })),
      runActivity(env(), acts.spawnAgent, spawn('research-competitors', 'researcher', { scenario: DEMO })),
    ]);
    expect(audience.artifacts).toEqual(['research/audience.md']);
    expect(competitors.artifacts).toEqual(['research/competitors.md']);

    const inputs = [asInput('research-audience', 'researcher', audience), asInput('research-competitors', 'researcher', competitors)];
    const page = await runActivity(env(), acts.spawnAgent, spawn('write-page', 'developer', { scenario: DEMO, inputs }));
    expect(page.artifacts).toEqual(['site/index.html']);
    expect(page.summary).toContain('research/audience.md, research/competitors.md');
    expect(page.claims).toEqual(['index.html works without JavaScript']);
    const html = readFileSync(path.join(workspace, 'site/index.html'), 'utf8');
    expect(html).toContain('<h1>Crumb &amp; Co.</h1>');
    expect(html).toContain('from: research/audience.md, research/competitors.md');
    expect(html).not.toContain('{{');
  });

  it('fails clearly, without retrying, when an input artifact is missing from the workspace', async () => {
    const { acts } = setup();
    const inputs: TaskInput[] = [{ taskId: 'TASK_001', role: 'researcher', summary: 's', artifacts: ['research/nowhere.md'] }];
    const err = await failure(runActivity(env(), acts.spawnAgent, spawn('write-page', 'developer', { scenario: DEMO, inputs })));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'Input.Invalid', nonRetryable: true });
    expect((err as Error).message).toContain('"research/nowhere.md" from TASK_001');
  });

  it('heartbeats once per slice of at most 200 ms', async () => {
    const { acts } = setup();
    const scenario = scenarioFile('name: t\ndefaults: { delayMs: 650 }\n');
    const mock = env();
    const beats: unknown[] = [];
    mock.on('heartbeat', (d: unknown) => beats.push(d));
    await runActivity(mock, acts.spawnAgent, spawn('slow', 'analyst', { scenario }));
    expect(beats).toHaveLength(4);
    expect(beats.at(-1)).toEqual({ task: 'slow', doneMs: 650, totalMs: 650 });
  });

  it('rejects promptly with a CancelledFailure when cancelled mid-run, writing nothing', async () => {
    const { acts, workspace } = setup();
    const scenario = scenarioFile('name: t\ndefaults: { delayMs: 10000 }\n');
    const mock = env();
    const started = Date.now();
    const running = runActivity(mock, acts.spawnAgent, spawn('long', 'developer', { scenario }));
    setTimeout(() => mock.cancel(), 250);
    const err = await failure(running);
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(existsSync(path.join(workspace, 'notes/long.md'))).toBe(false);
  });

  it('crashes retryably on attempt 1 when failAttempts is 1, then succeeds on attempt 2', async () => {
    const { acts, workspace } = setup();
    const input = spawn('qa-order-form', 'qa', { scenario: DEMO });
    const crash = await failure(runActivity(env(1), acts.spawnAgent, input));
    expect(crash).toBeInstanceOf(ApplicationFailure);
    expect(crash).toMatchObject({ type: 'Agent.Crashed', nonRetryable: false });
    expect((crash as Error).message).toContain('attempt 1');

    const report = await runActivity(env(2), acts.spawnAgent, input);
    expect(report.status).toBe('success');
    expect(report.artifacts).toEqual(['tests/order-checklist.md']);
    expect(readFileSync(path.join(workspace, 'tests/order-checklist.md'), 'utf8')).toContain('# Order form checklist');
  });

  it('returns a failure report (not an exception) for outcome: failure', async () => {
    const { acts } = setup();
    const scenario = scenarioFile('name: t\nagents:\n  - match: { role: reviewer }\n    delayMs: 0\n    outcome: failure\n    summary: "{{agent}} rejects it"\n');
    const report = await runActivity(env(), acts.spawnAgent, spawn('review', 'reviewer', { scenario }));
    expect(report.status).toBe('failure');
    expect(report.summary).toBe('[simulated] Agent review rejects it');
    expect(report.artifacts).toEqual(['notes/review.md']);
  });

  it('lays the first matching agent entry over the defaults, field by field', async () => {
    const { acts } = setup();
    const scenario = scenarioFile(
      [
        'name: t',
        'agents:',
        '  - match: { role: analyst, key: other }',
        '    summary: not me',
        '  - match: { role: analyst }',
        '    summary: "{{role}} {{agent}} on {{task}}"',
        '  - match: { key: costs }',
        '    summary: not me either',
        'defaults: { delayMs: 0, insights: ["from defaults"] }',
        '',
      ].join('\n'),
    );
    const report = await runActivity(env(), acts.spawnAgent, spawn('costs', 'analyst', { scenario }));
    expect(report.summary).toBe('[simulated] analyst Agent costs on costs');
    expect(report.insights).toEqual(['from defaults']);
  });

  it('matches agent entries on the planned stream and the rework round', async () => {
    const { acts } = setup();
    const scenario = scenarioFile(
      [
        'name: t',
        'agents:',
        '  - match: { stream: "site:1.2", round: 1 }',
        '    summary: fixed the failing gate',
        '  - match: { stream: "site:1.2" }',
        '    summary: first try at the hero',
        '  - match: { round: 1 }',
        '    summary: some other rework',
        'defaults: { delayMs: 0 }',
        '',
      ].join('\n'),
    );
    const base = spawn('hero', 'developer', { scenario });
    const onStream = { ...base, task: { ...base.task, stream: 'site:1.2' } };
    const rework = { round: 1, failures: ['gate test failed'] };
    const summaries = await Promise.all([
      runActivity(env(), acts.spawnAgent, onStream),
      runActivity(env(), acts.spawnAgent, { ...onStream, rework }),
      runActivity(env(), acts.spawnAgent, { ...base, rework }),
      runActivity(env(), acts.spawnAgent, { ...onStream, task: { ...onStream.task, stream: 'site:2.1' } }),
    ]).then((reports) => reports.map((r) => r.summary.replace('[simulated] ', '')));
    expect(summaries).toEqual(['first try at the hero', 'fixed the failing gate', 'some other rework', 'Agent hero (developer) worked on hero and wrote notes/hero.md.']);
  });

  it('refuses an agent match that names no field', async () => {
    const { acts } = setup();
    const scenario = scenarioFile('name: t\nagents:\n  - match: {}\n    summary: everyone\n');
    const err = await failure(runActivity(env(), acts.spawnAgent, spawn('any', 'qa', { scenario })));
    expect(err).toMatchObject({ type: 'Scenario.Invalid', nonRetryable: true });
    expect((err as Error).message).toContain('agents.0.match: give at least one of key, role, stream, round');
  });

  it('refuses a scenario file path that escapes the workspace, naming the file and the field', async () => {
    const { acts, dataDir } = setup();
    const scenario = scenarioFile('name: t\ndefaults:\n  delayMs: 0\n  files:\n    - { path: ../x, content: pwned }\n');
    const err = await failure(runActivity(env(), acts.spawnAgent, spawn('escape', 'developer', { scenario })));
    expect(err).toMatchObject({ type: 'Scenario.Invalid', nonRetryable: true });
    expect((err as Error).message).toContain(scenario);
    expect((err as Error).message).toContain('defaults.files.0.path: must not contain ".."');
    expect(existsSync(path.join(dataDir, 'demo', 'x'))).toBe(false);
  });

  it('refuses an input artifact path that escapes the workspace', async () => {
    const { acts } = setup();
    const inputs: TaskInput[] = [{ taskId: 'TASK_001', role: 'researcher', summary: 's', artifacts: ['../../etc/passwd'] }];
    const err = await failure(runActivity(env(), acts.spawnAgent, spawn('snoop', 'developer', { inputs })));
    expect(err).toMatchObject({ type: 'Input.Invalid', nonRetryable: true });
    expect((err as Error).message).toContain('refused workspace path "../../etc/passwd"');
  });

  it('works in the target repository when the task has a target, leaving the project workspace alone', async () => {
    const { acts, workspace } = setup();
    const site = mkdtempSync(path.join(tmpdir(), 'baton-site-'));
    const report = await runActivity(env(), acts.spawnAgent, { ...spawn('hero', 'developer'), target: { name: 'site', path: site } });
    expect(report.artifacts).toEqual(['notes/hero.md']);
    expect(readFileSync(path.join(site, 'notes/hero.md'), 'utf8')).toContain('Mission of hero');
    expect(existsSync(workspace)).toBe(false);
  });

  it('refuses a target whose folder does not exist, naming it, and does not create it', async () => {
    const { acts } = setup();
    const missing = path.join(mkdtempSync(path.join(tmpdir(), 'baton-site-')), 'gone');
    const err = await failure(runActivity(env(), acts.spawnAgent, { ...spawn('hero', 'developer'), target: { name: 'site', path: missing } }));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'Input.Invalid', nonRetryable: true });
    expect((err as Error).message).toBe(`target site: workspace ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses a project name that would leave the data directory', async () => {
    const { acts } = setup();
    const err = await failure(runActivity(env(), acts.spawnAgent, { ...spawn('x', 'qa'), project: '../elsewhere' }));
    expect(err).toMatchObject({ type: 'Input.Invalid', nonRetryable: true });
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadScenario } from '../../src/agents/scripted/scenario';
import { WorkflowNotFoundError } from '@temporalio/client';
import { main } from '../../src/client/cli';
import { loadDevServerSettings } from '../../src/server/dev-server';
import { runCli, type CliResult } from '../support/cli';
import { gitRepo } from '../support/git-targets';
import { testServerInfo } from '../support/test-server';
import { uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

// Malformed `baton` arguments and config files: exit 2 for bad usage, 1 for a rejected operation, each with a message
// naming what was wrong; an orchestration the command targeted keeps running and answering `status`.

/** One `baton` invocation: its arguments (after the connection flags), extra environment, and what must come back. */
interface CliRow {
  surface: 'baton CLI' | 'temporal.toml' | 'context file';
  input: string;
  /** Built when the row runs: its files live in this file's temp dir. */
  args: () => string[];
  env?: () => NodeJS.ProcessEnv;
  code: 0 | 1 | 2;
  expected: RegExp;
  /** The row is sent to the running orchestration, which must stay running and unchanged. */
  targets?: true;
  /** Run as a separate `baton` process, proving the code and message reach the shell; other rows call the CLI's `main` in-process. */
  process?: true;
}

/** One config file read by its loader (the CLI always reads the repo's dev-server.json; scenarios are read by activities). */
interface FileRow {
  surface: 'dev-server.json' | 'scenario YAML';
  input: string;
  load: () => Promise<unknown>;
  expected: RegExp;
}

const UNICODE = 'Меню на трёх языках · 日本語 · ñandú · 🍞🥐';
const CONTROL = /must not contain control characters/;

let env: WorkflowEnv;
let dir: string;
let base: string[];
const project = uniqueProject('bad-cli');
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
/** A targets.yaml with one target `site` (a real folder) and `extra` lines of YAML under it. */
const targetsFile = (name: string, extra: string) => {
  fs.mkdirSync(path.join(dir, 'site'), { recursive: true });
  return file(name, `targets:\n  site:\n    path: ./site\n${extra}`);
};
const json = (name: string, value: unknown) => file(name, typeof value === 'string' ? value : JSON.stringify(value));
const p = (name: string) => path.join(dir, name);

const CLI_ROWS: CliRow[] = (() => {
  const baton: Omit<CliRow, 'surface'>[] = [
    { input: 'new --max-agents 0', args: () => ['new', '--max-agents', '0'], code: 2, expected: /--max-agents must be a positive integer, got "0"/ },
    { input: 'new --max-agents 1.5', args: () => ['new', '--max-agents', '1.5'], code: 2, expected: /--max-agents must be a positive integer, got "1.5"/ },
    { input: 'new --max-usd -1', args: () => ['new', '--max-usd', '-1'], code: 2, expected: /--max-usd must be a positive number, got "-1"/ },
    { input: 'objective --max-tokens abc', args: () => ['objective', 'x', '--max-tokens', 'abc'], code: 2, expected: /--max-tokens must be a positive integer, got "abc"/ },
    { input: 'worker --max-concurrent-agents 0', args: () => ['worker', '--max-concurrent-agents', '0'], code: 2, expected: /--max-concurrent-agents must be a positive integer/ },
    { input: 'new --mode fast', args: () => ['new', '--mode', 'fast'], code: 2, expected: /argument 'fast' is invalid. Allowed choices are parallel, sequential, batch/, process: true },
    { input: 'new --runtime gpt', args: () => ['new', '--runtime', 'gpt'], code: 2, expected: /Allowed choices are scripted, anthropic, command/ },
    { input: 'insight --kind memo', args: () => ['insight', 'x', '--agent', 'Aria', '--kind', 'memo'], code: 2, expected: /Allowed choices are insight, note, preference, reflection/ },
    { input: 'objective with no text', args: () => ['objective'], code: 2, expected: /missing required argument 'text'/ },
    { input: 'complete with no outcome', args: () => ['complete', 'TASK_001'], code: 2, expected: /missing required argument 'outcome'/ },
    { input: 'decide with no choice', args: () => ['decide', 'DEC_001'], code: 2, expected: /missing required argument 'choice'/ },
    { input: 'an unknown command', args: () => ['frobnicate'], code: 2, expected: /unknown command 'frobnicate'/ },
    { input: 'an unknown option', args: () => ['status', '--verbose'], code: 2, expected: /unknown option '--verbose'/ },
    { input: 'complete TASK_42 (bad id)', args: () => ['complete', 'TASK_42', 'done'], code: 1, expected: /taskId: taskId must look like TASK_001/, targets: true },
    { input: 'complete TASK_999 (no such task)', args: () => ['complete', 'TASK_999', 'done'], code: 1, expected: /completeTask rejected: taskId: no task TASK_999/, targets: true, process: true },
    { input: 'stop --agent AGENT_9999 (no such agent)', args: () => ['stop', '--agent', 'AGENT_9999'], code: 1, expected: /stop rejected: agentId: no agent AGENT_9999/, targets: true },
    { input: 'stop --agent bogus (bad id)', args: () => ['stop', '--agent', 'bogus'], code: 1, expected: /agentId: agentId must look like AGENT_0001/, targets: true },
    { input: 'decide DEC_999 (no such decision)', args: () => ['decide', 'DEC_999', 'retry'], code: 1, expected: /decide rejected: decisionId: no decision DEC_999/, targets: true },
    { input: 'decide nope (bad id)', args: () => ['decide', 'nope', 'retry'], code: 1, expected: /decisionId: decisionId must look like DEC_001/, targets: true },
    { input: 'objective ""', args: () => ['objective', ''], code: 1, expected: /description: description must not be empty/, targets: true },
    { input: 'objective of 2001 chars', args: () => ['objective', 'x'.repeat(2001)], code: 1, expected: /description must be at most 2000 characters/, targets: true },
    { input: 'objective with an ANSI escape', args: () => ['objective', '\u001b[2JAdd a menu'], code: 1, expected: CONTROL, targets: true },
    { input: 'insight --agent Nobody', args: () => ['insight', 'x', '--agent', 'Nobody'], code: 1, expected: /recordInsight rejected: agent: no agent named Nobody/, targets: true },
    { input: 'new while it is running', args: () => ['new'], code: 1, expected: /already has a running orchestration/, targets: true },
    { input: 'new -p "Bad Name"', args: () => ['new', '-p', 'Bad Name'], code: 1, expected: /project must be 1-63 chars/ },
    { input: 'new --scenario that does not exist', args: () => ['new', '-p', uniqueProject('never'), '--scenario', p('missing.yaml')], code: 1, expected: /--scenario: no such file .*missing\.yaml/ },
    { input: 'new --model wizard=…', args: () => ['new', '-p', uniqueProject('never'), '--model', 'wizard=claude-x'], code: 2, expected: /--model <role=model>' argument 'wizard=claude-x' is invalid\. expected ROLE=MODEL with ROLE one of researcher/ },
    { input: 'worker --queues some', args: () => ['worker', '--queues', 'some'], code: 2, expected: /argument 'some' is invalid\. Allowed choices are all, workflows, agents/, process: true },
    { input: 'worker --wait-for-server soon', args: () => ['worker', '--wait-for-server', 'soon'], code: 2, expected: /--wait-for-server must be a positive integer, got "soon"/ },
    { input: 'demo against a server that is not on this machine and does not answer', args: () => ['demo', '--address', '0.0.0.0:9'], code: 1, expected: /cannot reach Temporal at 0\.0\.0\.0:9 \(profile "default"/, process: true },
    { input: 'worker --wait-for-server 1 with no server there', args: () => ['worker', '--wait-for-server', '1', '--address', '127.0.0.1:9'], code: 1, expected: /no Temporal server answered at 127\.0\.0\.1:9 within 1 s \(--wait-for-server\)/, process: true },
    { input: 'status of a project that does not exist', args: () => ['status', '-p', 'no-such-project'], code: 1, expected: /no orchestration for project no-such-project/ },
    { input: 'new --targets that does not exist', args: () => ['new', '-p', uniqueProject('never'), '--targets', p('no-targets.yaml')], code: 1, expected: /--targets: .*no-targets\.yaml/ },
    { input: 'new --targets with an empty gate command', args: () => ['new', '-p', uniqueProject('never'), '--targets', targetsFile('t-gate.yaml', '    gates:\n      - name: test\n        command: ""\n')], code: 1, expected: /--targets: .*t-gate\.yaml:\d+: targets\.site\.gates\.0\.command: gate command must not be empty/ },
    { input: 'new --targets with a misspelt field (gatez)', args: () => ['new', '-p', uniqueProject('never'), '--targets', targetsFile('t-typo.yaml', '    gatez: []\n')], code: 1, expected: /t-typo\.yaml:\d+: targets\.site\.gatez: unknown field/ },
    { input: 'new --targets with a path that does not exist', args: () => ['new', '-p', uniqueProject('never'), '--targets', file('t-path.yaml', 'targets:\n  site:\n    path: ./nowhere\n')], code: 1, expected: /t-path\.yaml:\d+: targets\.site\.path: .*nowhere/ },
    { input: 'new --max-rework -1', args: () => ['new', '--max-rework', '-1'], code: 2, expected: /--max-rework must be a whole number ≥ 0, got "-1"/ },
    { input: 'new --recovery panic', args: () => ['new', '--recovery', 'panic'], code: 2, expected: /Allowed choices are retry, skip, escalate/ },
    { input: 'new --recovery-timeout without escalate', args: () => ['new', '-p', uniqueProject('never'), '--recovery', 'skip', '--recovery-timeout', '60'], code: 1, expected: /--recovery-timeout: only applies with --recovery escalate/ },
    { input: 'run with no stream', args: () => ['run'], code: 1, expected: /run: name at least one work stream \(site:1\.2\) or pass --all/ },
    { input: 'run site-1.2 (not a ref)', args: () => ['run', 'site-1.2'], code: 1, expected: /invalid stream: .*a stream must look like site:1\.2 \(target:id\)/ },
    { input: 'run --all with streams', args: () => ['run', '--all', 'site:1.1'], code: 1, expected: /run: give work streams or --all, not both/ },
    { input: '--address "not an address"', args: () => ['status', '--address', 'not an address'], code: 1, expected: /address: must be host:port with no spaces/ },
  ];
  const toml: Omit<CliRow, 'surface'>[] = [
    { input: 'malformed TOML', args: () => ['status'], env: () => ({ TEMPORAL_CONFIG_FILE: file('broken.toml', '[profile.default\naddress = ') }), code: 1, expected: /could not read Temporal config file .*broken\.toml/, process: true },
    { input: 'a config file that does not exist', args: () => ['status'], env: () => ({ TEMPORAL_CONFIG_FILE: p('nowhere.toml') }), code: 1, expected: /Temporal config file .*nowhere\.toml does not exist/ },
    { input: '--profile that is not in the file', args: () => ['status', '--profile', 'nope'], code: 1, expected: /Temporal profile "nope" not found in .*temporal\.toml \(profiles: default\)/ },
    { input: 'TEMPORAL_PROFILE that is not in the file', args: () => ['status'], env: () => ({ TEMPORAL_CONFIG_FILE: file('one.toml', `[profile.local]\naddress = "${testServerInfo().address}"\n`), TEMPORAL_PROFILE: 'staging' }), code: 1, expected: /Temporal profile "staging" not found in .*one\.toml \(profiles: local\)/ },
    // Today: "could not read Temporal config file …: Cannot convert undefined or null to object" (envconfig throws on an empty file).
    { input: 'an empty config file', args: () => ['status'], env: () => ({ TEMPORAL_CONFIG_FILE: file('empty.toml', '') }), code: 1, expected: /Temporal profile "default" not found in .*empty\.toml \(profiles: none\)/ },
    { input: 'a misspelt key (adress)', args: () => ['status'], env: () => ({ TEMPORAL_CONFIG_FILE: file('typo.toml', '[profile.default]\nadress = "127.0.0.1:7233"\n') }), code: 1, expected: /adress/ },
    { input: 'an address with spaces', args: () => ['status'], env: () => ({ TEMPORAL_CONFIG_FILE: file('spaces.toml', '[profile.default]\naddress = "127.0.0.1 7233"\n') }), code: 1, expected: /address: must be host:port with no spaces/ },
    { input: 'a TLS certificate that does not exist', args: () => ['status'], env: () => ({ TEMPORAL_CONFIG_FILE: file('tls.toml', `[profile.default]\naddress = "${testServerInfo().address}"\n[profile.default.tls]\nclient_cert_path = "${p('no-cert.pem')}"\nclient_key_path = "${p('no-key.pem')}"\n`) }), code: 1, expected: /Temporal profile "default" in .*tls\.toml: .*no-(cert|key)\.pem/ },
  ];
  const resume = (name: string, doc: unknown) => ['resume', '-p', uniqueProject('import'), '--from', json(name, doc)];
  const context: Omit<CliRow, 'surface'>[] = [
    { input: 'a context file that is not JSON', args: () => resume('not-json.json', '{"objectives": ['), code: 1, expected: /context file .*not-json\.json is not JSON/, process: true },
    { input: 'a context file that does not exist', args: () => ['resume', '-p', uniqueProject('import'), '--from', p('gone.json')], code: 1, expected: /cannot read context file .*gone\.json: ENOENT/ },
    { input: 'a JSON array instead of a document', args: () => resume('array.json', []), code: 1, expected: /invalid context file .*array\.json: document: expected a JSON object/ },
    { input: 'objectives that are not a list', args: () => resume('objectives.json', { objectives: 'ship it' }), code: 1, expected: /objectives: .*expected array/ },
    { input: 'an objective without a description', args: () => resume('no-description.json', { objectives: [{ status: 'active' }] }), code: 1, expected: /objectives\.0\.description/ },
    { input: 'a completed task whose description is a number', args: () => resume('task-type.json', { completed_tasks: [{ description: 42 }] }), code: 1, expected: /completed_tasks\.0\.description: description must be a string/ },
    { input: 'key_insights as one string', args: () => resume('insights.json', { key_insights: 'be fast' }), code: 1, expected: /key_insights: .*expected array/ },
    { input: 'a Baton export with a broken state', args: () => resume('state.json', { baton: { version: 2, project: 'x' } }), code: 1, expected: /invalid context file .*state\.json: baton\.created: .*expected string/ },
  ];
  return [
    ...baton.map((r) => ({ ...r, surface: 'baton CLI' as const })),
    ...toml.map((r) => ({ ...r, surface: 'temporal.toml' as const })),
    ...context.map((r) => ({ ...r, surface: 'context file' as const })),
  ];
})();

const devServer = (name: string, text: string) => async () => loadDevServerSettings(file(name, text));
const scenario = (name: string, text: string) => () => loadScenario(file(name, text));

const FILE_ROWS: FileRow[] = [
  { surface: 'dev-server.json', input: 'not JSON', load: devServer('ds-broken.json', '{"port": 7233,'), expected: /could not read dev server settings .*ds-broken\.json: .*JSON/ },
  { surface: 'dev-server.json', input: 'a file that does not exist', load: async () => loadDevServerSettings(p('ds-gone.json')), expected: /could not read dev server settings .*ENOENT/ },
  { surface: 'dev-server.json', input: 'a misspelt field (prot)', load: devServer('ds-typo.json', '{"prot": 7233}'), expected: /unknown field\(s\) "prot"/ },
  { surface: 'dev-server.json', input: 'port 70000', load: devServer('ds-port.json', '{"port": 70000}'), expected: /port: .*65535/ },
  { surface: 'dev-server.json', input: 'ip 0.0.0.0 (not loopback)', load: devServer('ds-ip.json', '{"ip": "0.0.0.0"}'), expected: /ip: .*"127\.0\.0\.1"/ },
  { surface: 'dev-server.json', input: 'logLevel "loud"', load: devServer('ds-log.json', '{"logLevel": "loud"}'), expected: /logLevel: / },
  { surface: 'scenario YAML', input: 'a YAML syntax error', load: scenario('s-syntax.yaml', 'name: x\nplans:\n  - match: "a\n    tasks: [\n'), expected: /scenario .*s-syntax\.yaml: YAML syntax error at line \d+, column \d+/ },
  { surface: 'scenario YAML', input: 'a misspelt top-level key (agnets)', load: scenario('s-key.yaml', 'name: x\nagnets: []\n'), expected: /unknown field\(s\) "agnets"/ },
  { surface: 'scenario YAML', input: 'a task with an unknown role', load: scenario('s-role.yaml', 'name: x\nplans:\n  - match: a\n    tasks: [{ key: k, role: wizard, mission: m }]\n'), expected: /plans\.0\.tasks\.0\.role/ },
  { surface: 'scenario YAML', input: 'a file path escaping the workspace', load: scenario('s-escape.yaml', 'name: x\ndefaults: { files: [{ path: "../escape.txt", content: x }] }\n'), expected: /defaults\.files\.0\.path: must not contain "\.\."/ },
  { surface: 'scenario YAML', input: 'an absolute file path', load: scenario('s-abs.yaml', 'name: x\ndefaults: { files: [{ path: "/etc/passwd", content: x }] }\n'), expected: /must be relative to the workspace/ },
  { surface: 'scenario YAML', input: 'an unknown placeholder', load: scenario('s-placeholder.yaml', 'name: x\ndefaults: { summary: "Did {{objetive}}" }\n'), expected: /unknown placeholder \{\{objetive\}\}/ },
  { surface: 'scenario YAML', input: 'a negative delay', load: scenario('s-delay.yaml', 'name: x\ndefaults: { delayMs: -5 }\n'), expected: /defaults\.delayMs/ },
  { surface: 'scenario YAML', input: 'a relative scenario path', load: () => loadScenario('scenario.yaml'), expected: /the scenario path must be absolute/ },
];

/** Runs `fn` over `items`, `n` at a time, keeping order. */
async function pool<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  }));
  return results;
}

/** `baton …` through the CLI's own `main`, with its output captured and `env` set for the call. */
async function runMain(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const saved = Object.fromEntries(Object.keys(extra).map((k) => [k, process.env[k]]));
  Object.assign(process.env, extra);
  const captured = { stdout: '', stderr: '' };
  const capture = (stream: 'stdout' | 'stderr') =>
    jest.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured[stream] += String(chunk);
      return true;
    });
  const spies = [capture('stdout'), capture('stderr')];
  try {
    const code = await main(['node', 'baton', ...args]);
    return { code, ...captured };
  } finally {
    spies.forEach((s) => s.mockRestore());
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const handle = () => env.baton.client.workflow.getHandle(`baton/${project}`);
const historyLength = async () => (await handle().fetchHistory()).events?.length ?? 0;
/** Whether the server has any workflow (running or not) for `name`. */
const started = (name: string) =>
  env.baton.client.workflow.getHandle(`baton/${name}`).describe().then(() => true, (err: unknown) => (err instanceof WorkflowNotFoundError ? false : Promise.reject(err)));
/** The project a row's own `-p` names, when it is not the running one. */
const otherProject = (args: string[]) => {
  const at = args.indexOf('-p');
  return at >= 0 && args[at + 1] !== project ? args[at + 1] : undefined;
};

interface Ran {
  result: CliResult;
  /** For rows sent to the orchestration: its state right after. */
  after?: { running: boolean; project: string };
  /** For rows naming another project (`-p`): whether the server has a workflow for it right after. */
  touched?: { project: string; started: boolean };
}

const ran = new Map<string, Ran>();
let historyBefore: number;
let historyAfter: number;

beforeAll(async () => {
  env = await workflowEnv();
  dir = env.dataDir;
  const { address, namespace } = testServerInfo();
  base = ['--address', address, '--namespace', namespace, '--data-dir', dir, '--project', project];
  await env.startWorkers();
  await env.baton.start(project, { config: { scenario: writeScenario(dir, 'name: bad-cli\ndefaults: { delayMs: 0 }\n') } });
  await waitForStatus(env.baton, project, (s) => s.phase === 'idle');
  historyBefore = await historyLength();
  // temporal.toml rows get no --address or --namespace, which would override the file under test.
  const local = ['--data-dir', dir, '--project', project];
  const run = async (row: CliRow, via: typeof runCli) => {
    const args = row.args();
    const result = await via([...(row.surface === 'temporal.toml' ? local : base), ...args], row.env?.() ?? {});
    const after = row.targets ? { running: (await handle().describe()).status.name === 'RUNNING', project: (await env.baton.status(project)).project } : undefined;
    const other = otherProject(args);
    const touched = other === undefined ? undefined : { project: other, started: await started(other) };
    ran.set(row.input, { result, after, touched });
  };
  await pool(CLI_ROWS.filter((r) => r.process), 4, (row) => run(row, (args, extra) => runCli(args, extra, 30_000)));
  // In-process rows share process.env and stdout/stderr, so they run one at a time.
  for (const row of CLI_ROWS.filter((r) => !r.process)) await run(row, runMain);
  historyAfter = await historyLength();
});
afterAll(async () => env?.close());

describe.each(['baton CLI', 'temporal.toml', 'context file'] as const)('%s', (surface) => {
  const check = (row: CliRow) => {
    const { result, after, touched } = ran.get(row.input)!;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: row.code, stderr: expect.stringMatching(row.expected) });
    if (after) expect(after).toEqual({ running: true, project });
    // A rejected command naming another project started nothing there.
    if (touched) expect(touched).toEqual({ project: touched.project, started: false });
  };
  test.each(CLI_ROWS.filter((r) => r.surface === surface))('$input', check);
});

test('no rejected command reached the orchestration’s history, nor started the other projects rows named', () => {
  expect(historyAfter).toBe(historyBefore);
  const touched = [...ran.values()].flatMap((r) => (r.touched ? [r.touched] : []));
  expect(touched.length).toBeGreaterThanOrEqual(10);
  expect(touched.filter((t) => t.started)).toEqual([]);
});

describe.each(['dev-server.json', 'scenario YAML'] as const)('%s', (surface) => {
  test.each(FILE_ROWS.filter((r) => r.surface === surface))('$input', async (row) => {
    await expect(row.load()).rejects.toThrow(row.expected);
  });
});

test('valid unicode through the CLI is accepted as it was typed', async () => {
  const r = await runCli([...base, 'insight', UNICODE]);
  expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('Recorded insight') });
  expect((await env.baton.context(project)).key_insights).toContain(UNICODE);
});

test('a seed-002 context in unicode imports as it was written', async () => {
  const imported = uniqueProject('import-unicode');
  const from = json('unicode.json', { objectives: [{ description: UNICODE, status: 'completed' }], key_insights: [`${UNICODE} insight`] });
  const r = await runCli([...base, 'resume', '-p', imported, '--from', from]);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const status = await waitForStatus(env.baton, imported, (s) => s.phase === 'idle');
  expect(status.objectives.map((o) => o.description)).toEqual([UNICODE]);
  expect((await env.baton.context(imported)).key_insights).toEqual([`${UNICODE} insight`]);
});

test('a broken scenario given to `new` is refused at once, naming the file and its line; nothing is started', async () => {
  const broken = uniqueProject('bad-scenario');
  const yaml = file('broken-scenario.yaml', 'name: broken\nplans:\n  - match: "site\n');
  const r = await runCli([...base, 'new', '-p', broken, '--scenario', yaml, 'Build the site']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/--scenario: scenario .*broken-scenario\.yaml: YAML syntax error at line \d+/);
  await expect(env.baton.isRunning(broken)).resolves.toBe(false);
});

test('`baton roadmap --targets` names every roadmap problem with file:line and exits 1; a good roadmap passes', async () => {
  const roadmap = [
    '# Site', '', '## Phase 1', '',
    '### 1.1 Menu', '- **Status:** complete', '',
    '### 1.1 Menu again', '- **Status:** available', '',
    '### 1.2 Prices', '- **Status:** done', '',
    '### 1.3 Order form', '- **Depends on:** 1.4', '',
    '### 1.4 Slots', '- **Depends on:** 1.3, 1.9', '',
  ].join('\n');
  const targets = targetsFile('t-roadmap.yaml', '');
  fs.mkdirSync(path.join(dir, 'site', 'plans'), { recursive: true });
  const roadmapFile = path.join(dir, 'site', 'plans', 'roadmap.md');
  fs.writeFileSync(roadmapFile, roadmap);
  const bad = await runCli([...base, 'roadmap', '--targets', targets]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/roadmap problems found/);
  expect(bad.stdout).toContain(`${roadmapFile}:5: duplicate stream id 1.1`);
  expect(bad.stdout).toContain(`${roadmapFile}:8: duplicate stream id 1.1`);
  expect(bad.stdout).toMatch(new RegExp(`${roadmapFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:12: unknown status "done"`));
  expect(bad.stdout).toMatch(/:14: dependency cycle: site:1\.3 → site:1\.4 → site:1\.3/);
  expect(bad.stdout).toMatch(/:17: site:1\.4 depends on site:1\.9, which is not in site's roadmap/);
  // Nothing is written to a malformed roadmap.
  expect(fs.readFileSync(roadmapFile, 'utf8')).toBe(roadmap);

  fs.writeFileSync(roadmapFile, '# Site\n\n### 1.1 Menu\n- **Status:** complete\n\n### 1.2 Prices\n- **Depends on:** 1.1\n');
  const good = await runCli([...base, 'roadmap', '--targets', targets]);
  expect(good).toMatchObject({ code: 0, stderr: '' });
  expect(good.stdout).toContain('available: site:1.2');
});

test('a goal against a malformed roadmap fails its objective with file:line; the orchestration goes on', async () => {
  const broken = uniqueProject('bad-roadmap');
  // Agents' work lands in git, so a live target is a repository with its roadmap committed.
  const repo = gitRepo(dir, 'site-live', { 'plans/roadmap.md': '# Site\n\n### 1.1 Menu\n- **Status:** complete\n\n### 1.1 Menu again\n' });
  const targets = file('t-live.yaml', 'targets:\n  site:\n    path: ./site-live\n');
  const roadmapFile = path.join(repo, 'plans', 'roadmap.md');
  const started = await runCli([...base, 'new', '-p', broken, '--targets', targets, '--scenario', writeScenario(dir, 'name: t\ndefaults: { delayMs: 0 }\n')]);
  expect(started).toMatchObject({ code: 0, stderr: '' });
  const run = await runCli([...base, '-p', broken, 'run', '--all']);
  expect(run.code).toBe(0);
  const status = await waitForStatus(env.baton, broken, (s) => s.objectives.some((o) => o.status === 'failed'));
  expect(status.objectives[0]?.error).toContain(`${roadmapFile}:6: duplicate stream id 1.1`);
  const after = await runCli([...base, '-p', broken, 'status', '--json']);
  expect(JSON.parse(after.stdout)).toMatchObject({ project: broken });
  await env.baton.client.workflow.getHandle(`baton/${broken}`).terminate('test done');
});

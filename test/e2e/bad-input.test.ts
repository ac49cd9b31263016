import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { resolveTemporalCli } from '../../src/server/temporal-binary';
import type { DecideInput, RecordInsightInput, StopInput } from '../../src/shared/schemas';
import { testServerInfo } from '../support/test-server';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

// Malformed updates through the typed client, the raw client and the plain Temporal CLI: each is rejected with a
// message naming what was wrong, never reaches history, and the orchestration goes on answering `status`.

/** What one attempt did: the value, or the error text (including the cause a client wraps it in). */
type Outcome = { ok: true; value: unknown } | { ok: false; message: string };

/** One malformed (or deliberately valid) input: where it enters, what it is, and the error fragment expected. */
interface Row {
  surface: 'typed client' | 'raw client' | 'temporal CLI';
  input: string;
  send: (project: string) => Promise<Outcome>;
  expected: RegExp | 'accepted';
  /** For accepted rows: what a person would see afterwards. */
  then?: (project: string) => Promise<void>;
  /** The row is sent to this other project (not the surface's running one), which must not have been started. */
  touches?: string;
}

const SCENARIO = `
name: bad-input
defaults: { delayMs: 0 }
`;

const UNICODE = 'Добавить страницу меню · 日本語のメニュー · ñandú · עברית · 🍞🥐 · Ω≈ç√∫';
const LONG = 'x'.repeat(2001);
const FIVE_MB = 5 * 1024 * 1024;
const CONTROL = /must not contain control characters/;

let env: WorkflowEnv;
let temporal: string;
let scenario: string;
const NEVER = uniqueProject('never');
const projects: Record<Row['surface'], string> = { 'typed client': uniqueProject('bad-typed'), 'raw client': uniqueProject('bad-raw'), 'temporal CLI': uniqueProject('bad-tcli') };

async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return { ok: false, message: [e.message, e.cause?.message].filter(Boolean).join(' | ') };
  }
}

const handle = (project: string) => env.baton.client.workflow.getHandle(`baton/${project}`);
/** `executeUpdate(name, { args })` as any program could send it, bypassing the typed client's checks. */
const raw = (name: string, ...args: unknown[]) => (project: string) => outcome(handle(project).executeUpdate(name, { args: args as [unknown] }));
const typed = (fn: (project: string) => Promise<unknown>) => (project: string) => outcome(fn(project));

/** `temporal workflow update execute`; an input too big for a command line goes through `--input-file`. */
function temporalCli(name: string, input?: string | { file: () => string }, workflowId?: string) {
  return (project: string) => {
    const { address, namespace } = testServerInfo();
    const args = ['workflow', 'update', 'execute', '--address', address, '--namespace', namespace, '--workflow-id', workflowId ?? `baton/${project}`, '--name', name];
    if (typeof input === 'string') args.push('--input', input);
    else if (input) args.push('--input-file', input.file());
    return new Promise<Outcome>((resolve) =>
      execFile(temporal, args, { timeout: 30_000, encoding: 'utf8' }, (err, stdout, stderr) => resolve(err ? { ok: false, message: `${stdout}${stderr}` } : { ok: true, value: stdout })),
    );
  };
}

const writeJson = (name: string, value: unknown) => {
  const file = path.join(env.dataDir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
};

const insightsContain = (text: string) => async (project: string) => expect((await env.baton.context(project)).key_insights).toContain(text);

const TYPED: Row[] = ([
  { input: 'addObjective ""', send: typed((p) => env.baton.addObjective(p, '')), expected: /invalid objective: description: description must not be empty/ },
  { input: 'addObjective of only whitespace', send: typed((p) => env.baton.addObjective(p, ' \n\t ')), expected: /description must not be empty/ },
  { input: 'addObjective of 2001 chars', send: typed((p) => env.baton.addObjective(p, LONG)), expected: /description must be at most 2000 characters/ },
  { input: 'addObjective of 5 MB', send: typed((p) => env.baton.addObjective(p, 'z'.repeat(FIVE_MB))), expected: /description must be at most 2000 characters/ },
  { input: 'addObjective with a NUL byte', send: typed((p) => env.baton.addObjective(p, 'Add a menu\u0000page')), expected: CONTROL },
  { input: 'addObjective with an ANSI escape', send: typed((p) => env.baton.addObjective(p, '\u001b[2J\u001b[31mAdd a menu page')), expected: CONTROL },
  { input: 'addObjective budget maxUsd -5', send: typed((p) => env.baton.addObjective(p, 'Add a menu', { maxUsd: -5 })), expected: /budget\.maxUsd/ },
  { input: 'addObjective budget maxTokens 1.5', send: typed((p) => env.baton.addObjective(p, 'Add a menu', { maxTokens: 1.5 })), expected: /budget\.maxTokens/ },
  { input: 'completeTask TASK_1 (bad id)', send: typed((p) => env.baton.completeTask(p, 'TASK_1', 'done')), expected: /taskId: taskId must look like TASK_001/ },
  { input: 'completeTask TASK_999 (no such task)', send: typed((p) => env.baton.completeTask(p, 'TASK_999', 'done')), expected: /completeTask rejected: taskId: no task TASK_999/ },
  { input: 'completeTask with an empty outcome', send: typed((p) => env.baton.completeTask(p, 'TASK_001', '  ')), expected: /outcome: outcome must not be empty/ },
  { input: 'recordInsight kind "memo"', send: typed((p) => env.baton.recordInsight(p, 'x', undefined, { agent: 'Aria', kind: 'memo' as RecordInsightInput['kind'] })), expected: /kind: kind must be insight, note, preference or reflection/ },
  { input: 'recordInsight for an agent that does not exist', send: typed((p) => env.baton.recordInsight(p, 'x', undefined, { agent: 'Nobody' })), expected: /recordInsight rejected: agent: no agent named Nobody/ },
  { input: 'recordInsight with an empty source', send: typed((p) => env.baton.recordInsight(p, 'x', '')), expected: /source: source must not be empty/ },
  { input: 'decide DEC_999 (no such decision)', send: typed((p) => env.baton.decide(p, { decisionId: 'DEC_999', choice: 'retry' })), expected: /decide rejected: decisionId: no decision DEC_999/ },
  { input: 'decide DEC-1 (bad id)', send: typed((p) => env.baton.decide(p, { decisionId: 'DEC-1', choice: 'retry' })), expected: /decisionId: decisionId must look like DEC_001/ },
  { input: 'decide with an extra field', send: typed((p) => env.baton.decide(p, { decisionId: 'DEC_001', choice: 'x', urgent: true } as DecideInput)), expected: /unknown field\(s\) "urgent"/ },
  { input: 'stop AGENT_9999 (no such agent)', send: typed((p) => env.baton.stop(p, { agentId: 'AGENT_9999' })), expected: /stop rejected: agentId: no agent AGENT_9999/ },
  { input: 'stop agent-1 (bad id)', send: typed((p) => env.baton.stop(p, { agentId: 'agent-1' })), expected: /agentId: agentId must look like AGENT_0001/ },
  { input: 'stop graceful "yes"', send: typed((p) => env.baton.stop(p, { graceful: 'yes' } as unknown as StopInput)), expected: /graceful: graceful must be true or false/ },
  { input: 'start again while running', send: typed((p) => env.baton.start(p, { config: { scenario } })), expected: /already has a running orchestration/ },
  { input: 'start with maxAgents 0', send: typed(() => env.baton.start(NEVER, { config: { maxAgents: 0 } })), expected: /invalid config: maxAgents/, touches: NEVER },
  { input: 'start project "Bad Name!"', send: typed(() => env.baton.start('Bad Name!')), expected: /invalid project: .*project must be 1-63 chars/, touches: 'Bad Name!' },
  { input: 'recordInsight in valid unicode', send: typed((p) => env.baton.recordInsight(p, UNICODE)), expected: 'accepted', then: insightsContain(UNICODE) },
  {
    input: 'addObjective in valid unicode',
    send: typed((p) => env.baton.addObjective(p, UNICODE)),
    expected: 'accepted',
    then: async (p) => {
      const done = await waitForStatus(env.baton, p, (s) => settled(s) && s.objectives.length === 1);
      expect(done.objectives[0]).toMatchObject({ description: UNICODE, status: 'completed' });
    },
  },
] satisfies Omit<Row, 'surface'>[]).map((r) => ({ ...r, surface: 'typed client' as const }));

const RAW: Row[] = ([
  { input: 'addObjective {description: 42}', send: raw('addObjective', { description: 42 }), expected: /description: description must be a string/ },
  { input: 'addObjective {}', send: raw('addObjective', {}), expected: /description: description is required/ },
  { input: 'addObjective {descripton} (typo)', send: raw('addObjective', { descripton: 'Add a menu' }), expected: /unknown field\(s\) "descripton"/ },
  { input: 'addObjective with an unknown "priority"', send: raw('addObjective', { description: 'Add a menu', priority: 'high' }), expected: /unknown field\(s\) "priority"/ },
  { input: 'addObjective with "__proto__"', send: raw('addObjective', JSON.parse('{"description":"x","__proto__":{"polluted":true}}')), expected: /unknown field\(s\) "__proto__"/ },
  { input: 'addObjective null', send: raw('addObjective', null), expected: /input: .*expected object, received null/ },
  { input: 'addObjective an array', send: raw('addObjective', ['Add a menu']), expected: /input: .*expected object, received array/ },
  { input: 'addObjective a bare string', send: raw('addObjective', 'Add a menu'), expected: /input: .*expected object, received string/ },
  { input: 'addObjective with no argument', send: raw('addObjective'), expected: /input: .*expected object, received undefined/ },
  { input: 'addObjective of 2001 chars', send: raw('addObjective', { description: LONG }), expected: /description must be at most 2000 characters/ },
  { input: 'addObjective of 1 MB', send: raw('addObjective', { description: 'y'.repeat(1024 * 1024) }), expected: /description must be at most 2000 characters/ },
  { input: 'addObjective with a NUL byte', send: raw('addObjective', { description: 'a\u0000b' }), expected: CONTROL },
  { input: 'addObjective with a terminal title escape', send: raw('addObjective', { description: '\u001b]0;pwned\u0007Add a menu' }), expected: CONTROL },
  { input: 'addObjective with a C1 control (U+009B)', send: raw('addObjective', { description: 'Add \u009b31m a menu' }), expected: CONTROL },
  { input: 'addObjective budget maxUsd "ten"', send: raw('addObjective', { description: 'x', budget: { maxUsd: 'ten' } }), expected: /budget\.maxUsd: .*expected number/ },
  { input: 'addObjective budget {maxUSD} (typo)', send: raw('addObjective', { description: 'x', budget: { maxUSD: 10 } }), expected: /budget: unknown field\(s\) "maxUSD"/ },
  { input: 'completeTask taskId 1 (a number)', send: raw('completeTask', { taskId: 1, outcome: 'x' }), expected: /taskId: taskId must be a string/ },
  { input: 'completeTask without outcome', send: raw('completeTask', { taskId: 'TASK_001' }), expected: /outcome: outcome is required/ },
  { input: 'recordInsight text ["a"]', send: raw('recordInsight', { text: ['a'] }), expected: /text: text must be a string/ },
  { input: 'recordInsight kind "memo"', send: raw('recordInsight', { text: 'x', kind: 'memo' }), expected: /kind: kind must be insight, note, preference or reflection/ },
  { input: 'stop graceful 1', send: raw('stop', { graceful: 1 }), expected: /graceful: graceful must be true or false/ },
  { input: 'stop agentId 7', send: raw('stop', { agentId: 7 }), expected: /agentId: agentId must be a string/ },
  { input: 'decide budget maxTokens -1', send: raw('decide', { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: -1 } }), expected: /budget\.maxTokens/ },
  { input: 'resume {session: 2}', send: raw('resume', { session: 2 }), expected: /unknown field\(s\) "session"/ },
  { input: 'an update name that does not exist', send: raw('addObjectve', { description: 'x' }), expected: /No registered handler for update: addObjectve/ },
  { input: 'recordInsight in unicode, padded', send: raw('recordInsight', { text: `  ${UNICODE}  ` }), expected: 'accepted', then: insightsContain(UNICODE) },
  { input: 'recordInsight with newlines and tabs', send: raw('recordInsight', { text: 'line one\nline two\tindented' }), expected: 'accepted', then: insightsContain('line one\nline two\tindented') },
] satisfies Omit<Row, 'surface'>[]).map((r) => ({ ...r, surface: 'raw client' as const }));

const TEMPORAL_CLI: Row[] = ([
  { input: '--input {"description":42}', send: temporalCli('addObjective', '{"description":42}'), expected: /description: description must be a string/ },
  { input: '--input that is not JSON', send: temporalCli('addObjective', '{description: Add a menu'), expected: /input #1 is not valid JSON/ },
  { input: '--input {"descripton":…} (typo)', send: temporalCli('addObjective', '{"descripton":"Add a menu"}'), expected: /unknown field\(s\) \\?"descripton/ },
  { input: '--input a bare string', send: temporalCli('addObjective', '"Add a menu"'), expected: /expected object, received string/ },
  { input: 'no --input', send: temporalCli('addObjective'), expected: /input: Invalid input: expected object, received undefined/ },
  { input: 'completeTask TASK_1', send: temporalCli('completeTask', '{"taskId":"TASK_1","outcome":"x"}'), expected: /taskId: taskId must look like TASK_001/ },
  { input: 'stop {"graceful":"yes"}', send: temporalCli('stop', '{"graceful":"yes"}'), expected: /graceful: graceful must be true or false/ },
  { input: 'recordInsight with an escaped NUL', send: temporalCli('recordInsight', '{"text":"a\\u0000b"}'), expected: CONTROL },
  { input: 'addObjective of 2001 chars', send: temporalCli('addObjective', JSON.stringify({ description: LONG })), expected: /description must be at most 2000 characters/ },
  // The server refuses it before any worker sees it (the raw TS client would retry RESOURCE_EXHAUSTED for ~40 s first).
  { input: '--input-file of 5 MB', send: temporalCli('addObjective', { file: () => writeJson('five-mb.json', { description: 'z'.repeat(FIVE_MB) }) }), expected: /ResourceExhausted.*received message larger than max/ },
  { input: '--name nosuchUpdate', send: temporalCli('nosuchUpdate', '{}'), expected: /No registered handler for update: nosuchUpdate/ },
  { input: 'a workflow id that does not exist', send: temporalCli('addObjective', '{"description":"x"}', 'baton/no-such-project'), expected: /workflow not found for ID: baton\/no-such-project/, touches: 'no-such-project' },
  { input: 'recordInsight in unicode', send: temporalCli('recordInsight', JSON.stringify({ text: `${UNICODE} (temporal CLI)` })), expected: 'accepted', then: insightsContain(`${UNICODE} (temporal CLI)`) },
] satisfies Omit<Row, 'surface'>[]).map((r) => ({ ...r, surface: 'temporal CLI' as const }));

beforeAll(async () => {
  temporal = await resolveTemporalCli({ onProgress: () => undefined });
  env = await workflowEnv();
  scenario = writeScenario(env.dataDir, SCENARIO);
  await env.startWorkers();
  for (const project of Object.values(projects)) await env.baton.start(project, { config: { scenario } });
  for (const project of Object.values(projects)) await waitForStatus(env.baton, project, (s) => s.phase === 'idle');
});
afterAll(async () => env?.close());

const historyLength = async (project: string) => (await handle(project).fetchHistory()).events?.length ?? 0;
/** Whether the server has any workflow (running or not) for `project`. */
const started = (project: string) => handle(project).describe().then(() => true, (err: unknown) => (err instanceof WorkflowNotFoundError ? false : Promise.reject(err)));

describe.each([
  ['typed client', TYPED],
  ['raw client', RAW],
  ['temporal CLI', TEMPORAL_CLI],
] as const)('%s', (_surface, rows) => {
  test.each(rows)('$input', async (row) => {
    const project = projects[row.surface];
    const before = await historyLength(project);
    const out = await row.send(project);
    if (row.expected === 'accepted') {
      expect(out).toMatchObject({ ok: true });
      await row.then?.(project);
    } else {
      expect(out.ok).toBe(false);
      expect(out.ok ? '' : out.message).toMatch(row.expected);
      // Rejected in the validator: nothing reached history.
      expect(await historyLength(project)).toBe(before);
      // A row aimed at another project started nothing there.
      if (row.touches) expect({ project: row.touches, started: await started(row.touches) }).toEqual({ project: row.touches, started: false });
    }
    expect((await handle(project).describe()).status.name).toBe('RUNNING');
    expect((await env.baton.status(project)).project).toBe(project);
  });
});

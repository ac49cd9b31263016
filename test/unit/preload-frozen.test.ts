import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import * as zodCore from 'zod/v4/core';
import * as activityTypes from '../../src/shared/activity-types';
import * as context from '../../src/shared/context';
import * as eventSchemas from '../../src/shared/event-schemas';
import * as schemas from '../../src/shared/schemas';
import { AuthorTemplate } from '../../src/shared/target-git';
import { Target } from '../../src/shared/targets';
import { preloadWanted } from '../../src/workers/worker';
import { warmSchemas } from '../../src/workflows/preload';

// The worker preloads Baton's schema modules once and deep-freezes them (src/workflows/preload.ts). A schema that
// writes to itself while parsing would then throw inside every workflow task: the orchestration would wedge. Here the
// same modules are warmed, frozen the way the SDK freezes shared modules (own properties, depth first; prototypes and
// closures untouched), and parsed with good and bad input of every kind a workflow sees.

function freezeDeep(value: unknown, seen = new WeakSet<object>()): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  if (typeof value === 'object') {
    for (const key of Reflect.ownKeys(value)) {
      try {
        freezeDeep((value as Record<PropertyKey, unknown>)[key], seen);
      } catch {
        // Like the SDK: what cannot be frozen (typed arrays) is left.
      }
    }
  }
  try {
    Object.freeze(value);
  } catch {
    // Typed arrays with elements refuse; the SDK skips them too.
  }
}

const V1 = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/state/v1-holds.json'), 'utf8')) as Record<string, unknown>;

beforeAll(() => {
  // What the preload module does when the worker loads it; then the freeze.
  expect(warmSchemas([schemas, activityTypes, context, eventSchemas])).toBeGreaterThan(1000);
  for (const m of [schemas, activityTypes, context, eventSchemas, z, zodCore, AuthorTemplate, Target]) freezeDeep(m);
  expect(Object.isFrozen(schemas.OrchestrationInput)).toBe(true);
});

test('a frozen OrchestrationInput parses and migrates a carried state, twice', () => {
  for (let i = 0; i < 2; i++) {
    const parsed = schemas.OrchestrationInput.parse({ project: 'frozen', state: V1 });
    expect(parsed.state?.version).toBe(2);
    expect(parsed.state?.tasks.length).toBeGreaterThan(0);
  }
  expect(() => schemas.OrchestrationInput.parse({ project: 'Not A Project!' })).toThrow(/project must be 1-63 chars/);
});

test('frozen update inputs accept good input and name what is wrong in bad input', () => {
  expect(schemas.AddObjectiveInput.parse({ description: 'Ship the docs' }).description).toBe('Ship the docs');
  expect(schemas.AddObjectiveInput.safeParse({ description: 'bell \u0007' }).error?.issues[0]?.message).toMatch(/control characters/);
  expect(schemas.AddObjectiveInput.safeParse({ streams: ['site-1.2'] }).success).toBe(false);
  expect(schemas.CompleteTaskInput.safeParse({ taskId: 'TASK_001', outcome: 'done' }).success).toBe(true);
  expect(schemas.CompleteTaskInput.safeParse({ taskId: 'T1', outcome: 'done' }).error?.issues[0]?.message).toBe('taskId must look like TASK_001');
  expect(schemas.StopInput.safeParse({ agentId: 'AGENT_0001' }).success).toBe(true);
  expect(schemas.StopInput.safeParse({ agentId: 'A1' }).error?.issues[0]?.message).toBe('agentId must look like AGENT_0001');
  expect(schemas.DecideInput.safeParse({ decisionId: 'DEC_001', choice: 'retry' }).success).toBe(true);
  expect(schemas.DecideInput.safeParse({ decisionId: 'D1', choice: 'retry' }).error?.issues[0]?.message).toBe('decisionId must look like DEC_001');
  expect(schemas.ProjectName.safeParse('demo').success).toBe(true);
});

test('frozen event schemas read events and name a bad query input', () => {
  const event = { ordinal: 1, at: '2026-12-05T10:00:00.000Z', project: 'p', session: 1, type: 'objective.added', objectiveId: 'OBJ_001', description: 'x' };
  expect(eventSchemas.BatonEvent.parse(event)).toEqual(event);
  expect(eventSchemas.BatonEvent.safeParse({ ...event, type: 'nope' }).success).toBe(false);
  expect(eventSchemas.EventsInput.safeParse({ afterOrdinal: -1 }).error?.issues[0]?.message).toBe('afterOrdinal must be ≥ 0');
});

test('frozen targets, authors and planned tasks still check their patterns', () => {
  expect(Target.safeParse({ name: 'Bad Name', path: '/x' }).error?.issues[0]?.message).toMatch(/target name must be lowercase/);
  expect(AuthorTemplate.safeParse('{{agent}} <{{agent}}@baton.invalid>').success).toBe(true);
  expect(AuthorTemplate.safeParse('nobody').error?.issues[0]?.message).toMatch(/Name <email>/);
  const task = { key: 'survey-docs', role: 'researcher', mission: 'Survey the docs' };
  expect(activityTypes.PlannedTask.safeParse(task).success).toBe(true);
  expect(activityTypes.PlannedTask.safeParse({ ...task, key: 'Survey Docs' }).error?.issues[0]?.message).toMatch(/key must be lowercase/);
});

test('the JSON Schema the LLM runtimes send keeps a pattern checked in a closure', () => {
  const json = z.toJSONSchema(activityTypes.PlannedTask, { io: 'input' }) as unknown as { properties: { key: { pattern?: string } } };
  expect(json.properties.key.pattern).toBe('^[a-z0-9][a-z0-9-]{0,40}$');
});

test("no module the worker may preload uses zod's .regex(), which writes to its pattern on every parse", () => {
  const dirs = ['src/shared', 'src/roadmap'];
  const offenders = dirs.flatMap((dir) =>
    fs
      .readdirSync(path.join(__dirname, '../..', dir))
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /\.regex\(/.test(fs.readFileSync(path.join(__dirname, '../..', dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
      .map((f) => `${dir}/${f}`),
  );
  expect(offenders).toEqual([]);
});

test('BATON_NO_PRELOAD turns the preload off (an escape hatch), anything else leaves it on', () => {
  expect(preloadWanted({})).toBe(true);
  expect(preloadWanted({ BATON_NO_PRELOAD: '1' })).toBe(false);
  expect(preloadWanted({ BATON_NO_PRELOAD: '' })).toBe(true);
});

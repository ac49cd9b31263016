import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../../src/activities';
import { createAnthropicRuntime, type AnthropicRuntimeOptions } from '../../../src/agents/anthropic/anthropic-runtime';
import type { SpawnAgentInput } from '../../../src/shared/activity-types';
import type { Role } from '../../../src/shared/schemas';
import { startFakeAnthropic, type FakeAnthropic, type FakeScenario } from './server';

/** The key tests configure; requests must carry it and no body, transcript or error may contain it. */
export const TEST_API_KEY = 'sk-' + 'ant-test-0123456789abcdef';

/** Activities whose `anthropic` runtime talks to a fresh fake server, in a fresh data dir. */
export interface AnthropicHarness {
  fake: FakeAnthropic;
  dataDir: string;
  workspace: string;
  acts: ReturnType<typeof createActivities>;
}

/** Starts a fake server for `scenario` and activities wired to it (small heartbeat interval, test key). */
export async function anthropicHarness(scenario: FakeScenario, options: AnthropicRuntimeOptions = {}): Promise<AnthropicHarness> {
  const fake = await startFakeAnthropic(scenario, { apiKey: TEST_API_KEY });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-anthropic-'));
  const workspace = path.join(dataDir, 'demo', 'workspace');
  mkdirSync(workspace, { recursive: true });
  const runtime = createAnthropicRuntime({ baseURL: fake.url, apiKey: TEST_API_KEY, heartbeatEveryMs: 50, timeoutMs: 10_000, ...options });
  return { fake, dataDir, workspace, acts: createActivities({ dataDir, runtimes: { anthropic: runtime } }) };
}

/** A fresh MockActivityEnvironment (a cancelled one stays cancelled). */
export const mockEnv = (attempt = 1) => new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') });

/** MockActivityEnvironment.run with the activity's result type kept. */
export function runActivity<A extends unknown[], R>(mock: MockActivityEnvironment, fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return mock.run(fn, ...args) as Promise<R>;
}

/** What an activity threw (fails the test when it succeeded). */
export async function thrown(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  return promise.then(
    () => {
      throw new Error('expected the activity to fail');
    },
    (e: unknown) => e as Error & Record<string, unknown>,
  );
}

/** A spawnAgent input on the anthropic runtime; the model defaults to haiku so the SDK prints no deprecation notice. */
export function agentInput(key: string, role: Role, extra: Partial<SpawnAgentInput> = {}): SpawnAgentInput {
  return {
    runtime: 'anthropic',
    model: 'claude-haiku-4-5',
    project: 'demo',
    agent: { id: `AGENT_${key}`, name: `Agent-${key}`, role },
    task: { id: `TASK_${key}`, key, mission: `Mission of ${key}`, successCriteria: ['it works'] },
    objective: { id: 'OBJ_001', description: 'Build the bakery site' },
    inputs: [],
    ...extra,
  };
}

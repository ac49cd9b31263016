import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import type { AgentRuntime } from '../../src/agents/runtime';
import { createScriptedRuntime } from '../../src/agents/scripted/scripted-runtime';
import type { SynthesizeInput } from '../../src/shared/activity-types';
import { runActivity } from '../support/fake-anthropic/harness';

const env = () => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-synth-'));

const input: SynthesizeInput = {
  runtime: 'scripted',
  project: 'demo',
  session: 1,
  objectives: [{ id: 'OBJ_001', description: 'Research and write the landing page', status: 'active' }],
  outputs: [
    { taskId: 'TASK_001', objectiveId: 'OBJ_001', role: 'researcher', agentName: 'Aria', status: 'completed', summary: 's', claims: [], insights: ['Most visitors arrive on a phone'] },
    { taskId: 'TASK_002', objectiveId: 'OBJ_001', role: 'researcher', agentName: 'Sage', status: 'completed', summary: 's', claims: [], insights: ['most visitors arrive on a phone.'] },
  ],
};

describe('synthesize', () => {
  it('returns the scripted synthesis of the outputs', async () => {
    const result = await runActivity(env(), createActivities({ dataDir }).synthesize, input);
    expect(result.agreements).toEqual(['2 agents agree (Aria, Sage): Most visitors arrive on a phone']);
    expect(result.decisions).toEqual([expect.objectContaining({ question: 'Accept the outputs of OBJ_001?', choice: 'accept', needsPerson: false })]);
  });

  it("bounds any runtime's synthesis to 20 items of at most 300 characters", async () => {
    const verbose: AgentRuntime = {
      ...createScriptedRuntime(),
      synthesize: async () => ({
        agreements: Array.from({ length: 50 }, (_, i) => `${i} ${'a'.repeat(1000)}`),
        conflicts: [],
        patterns: [],
        unknowns: [],
        insights: [],
        decisions: [{ question: 'q'.repeat(1000), rationale: 'r', needsPerson: true }],
      }),
    };
    const result = await runActivity(env(), createActivities({ dataDir, runtimes: { scripted: verbose } }).synthesize, input);
    expect(result.agreements).toHaveLength(20);
    expect(result.agreements.every((a) => a.length <= 300)).toBe(true);
    expect(result.decisions[0]?.question.length).toBe(300);
  });

  it('refuses a malformed synthesis from a runtime without retrying', async () => {
    const broken: AgentRuntime = { ...createScriptedRuntime(), synthesize: async () => ({ agreements: 'yes' }) as never };
    await expect(runActivity(env(), createActivities({ dataDir, runtimes: { scripted: broken } }).synthesize, input)).rejects.toMatchObject({
      type: 'Agent.Failed',
      nonRetryable: true,
    });
  });
});

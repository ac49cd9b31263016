import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileArtifactStore, artifactsDir } from '../../src/artifacts/artifact-store';
import { createCommandRuntime } from '../../src/agents/command/command-runtime';
import type { AgentRunContext } from '../../src/agents/runtime';
import { agentInput, planInput, synthesisInput } from '../../src/shared/activity-inputs';
import { applyFailedUsage } from '../../src/shared/ledger';
import { llmReview } from '../../src/verify/llm-review';
import { submitPlan } from '../support/fake-anthropic';
import { anthropicHarness, mockEnv, runActivity, thrown } from '../support/fake-anthropic/harness';
import { freshState, plannedTask, planObjective, spawnChosen, usageOf } from '../support/reducers';

// Every LLM call within budget: planner, synthesizer and the LLM reviewer get the remaining budget and start nothing once it is spent.
const spent = { maxUsd: 1, spentUsd: 1, spentTokens: 0 };
const plan = { runtime: 'command' as const, project: 'demo', objective: { id: 'OBJ_001', description: 'x' }, context: { completedTasks: [], insights: [] } };

function context(): AgentRunContext {
  const root = mkdtempSync(path.join(tmpdir(), 'baton-caps-'));
  return {
    project: 'demo',
    workspace: root,
    artifacts: new FileArtifactStore(artifactsDir(root)),
    heartbeat: () => undefined,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    cancellationSignal: new AbortController().signal,
    attempt: 1,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
}

describe('budgets reach every LLM call', () => {
  it('planner and synthesizer inputs carry the room left (objective and orchestration), nothing without a budget', () => {
    let state = freshState({ budget: { maxUsd: 10 } });
    state = planObjective(state, [], { maxUsd: 2 });
    state = applyFailedUsage(state, usageOf({ costUsd: 1.5 }), { objectiveId: state.objectives[0]!.id });
    expect(planInput(state, state.objectives[0]!).budget).toEqual({ spentTokens: 0, spentUsd: 0, maxUsd: 0.5 });
    expect(synthesisInput(state, []).budget).toEqual({ spentTokens: 0, spentUsd: 0, maxUsd: 8.5 });
    const free = freshState();
    expect('budget' in synthesisInput(free, [])).toBe(false);
  });

  it('agents running at once share the room equally; a lone agent gets all of it', () => {
    let state = freshState({ budget: { maxUsd: 3 }, maxAgents: 5 });
    state = planObjective(state, [plannedTask('a'), plannedTask('b'), plannedTask('c'), plannedTask('d', { dependsOn: ['a', 'b', 'c'] })]);
    const [a, b, c] = state.tasks;
    state = spawnChosen(state, a!.id);
    // a, b and c run together (d waits for them): each may spend a third, so together they stay within $3.
    for (const t of [a!, b!, c!]) expect(agentInput(state, state.agents[0]!, t).budget).toEqual({ spentTokens: 0, spentUsd: 0, maxUsd: 1 });
    expect(agentInput({ ...state, config: { ...state.config, mode: 'sequential' } }, state.agents[0]!, a!).budget?.maxUsd).toBe(3);
    expect(agentInput({ ...state, config: { ...state.config, maxAgents: 2 } }, state.agents[0]!, a!).budget?.maxUsd).toBe(1.5);
  });

  it('a CLI planner or synthesizer is not started against a spent budget', async () => {
    const runtime = createCommandRuntime({ config: { argv: ['no-such-cli-should-not-start'], input: 'text', timeoutMs: 1000 } });
    await expect(runtime.plan({ ...plan, budget: spent }, context())).rejects.toMatchObject({ type: 'Budget.Exhausted', retryable: false });
    await expect(runtime.synthesize({ runtime: 'command', project: 'demo', session: 1, objectives: [], outputs: [], budget: spent }, context())).rejects.toMatchObject({
      type: 'Budget.Exhausted',
    });
  });

  it('the anthropic planner stops before its first request when the budget is spent', async () => {
    const h = await anthropicHarness({ scripts: [{ match: 'planner', replies: [submitPlan([{ key: 'a', role: 'researcher', mission: 'A' }])] }] });
    try {
      const err = await thrown(runActivity(mockEnv(), h.acts.planObjective, { ...plan, runtime: 'anthropic', model: 'claude-haiku-4-5', budget: spent }));
      expect(err).toMatchObject({ type: 'Budget.Exhausted', nonRetryable: true });
      expect(h.fake.requests).toHaveLength(0);
    } finally {
      await h.fake.close();
    }
  });

  it('the LLM reviewer gets the budget and is not started once it is spent', async () => {
    const runtime = createCommandRuntime({ config: { argv: ['no-such-cli-should-not-start'], input: 'text', timeoutMs: 1000 } });
    const input = { runtime: 'command' as const, project: 'demo', taskId: 'TASK_001', agentName: 'Forge', mission: 'm', round: 0, workspace: tmpdir(), gates: [], summary: 's', claims: ['c'], budget: spent };
    const review = await llmReview(runtime, input, { gates: [], changedFiles: [], gitAvailable: false, diff: '', diffArtifact: 'a' }, context());
    expect(review).toMatchObject({ stopped: expect.stringContaining('the budget is spent') });
  });
});

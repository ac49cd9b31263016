import type { CompareReportsInput } from '../../src/shared/consensus-spec';
import { structured } from '../support/fake-anthropic';
import { claudeCodeHarness, type ClaudeCodeHarness } from '../support/fake-anthropic/claude-code';
import { mockEnv, runActivity } from '../support/fake-anthropic/harness';

// The real Claude Code binary from @anthropic-ai/claude-agent-sdk, against the local fake Messages API.
let h: ClaudeCodeHarness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const input: CompareReportsInput = {
  runtime: 'claude-code',
  model: 'claude-haiku-4-5',
  project: 'demo',
  taskId: 'TASK_001',
  mission: 'Which database should the bakery shop use?',
  agents: 3,
  answers: [
    { agentId: 'AGENT_0001', agent: 'Aria', summary: 'Postgres', claims: [], insights: [] },
    { agentId: 'AGENT_0002', agent: 'Sage', summary: 'PostgreSQL, for JSON', claims: [], insights: [] },
    { agentId: 'AGENT_0003', agent: 'Quinn', summary: 'SQLite', claims: [], insights: [] },
  ],
};

test('compareReports on the claude-code runtime: a structured comparison, an unknown agent id sent back once, agreement computed from the supporters', async () => {
  const comparison = (supporters: string[]) => ({
    agreed: ['Relational'],
    conflicts: [{ topic: 'Server or file', positions: [{ agentId: 'AGENT_0001', position: 'Postgres' }, { agentId: 'AGENT_0003', position: 'SQLite' }] }],
    resolved: 'Postgres',
    supporters,
    rationale: 'Two name Postgres.',
  });
  h = await claudeCodeHarness({ scripts: [{ match: 'Their answers', replies: [structured(comparison(['AGENT_0001', 'AGENT_0009'])), structured(comparison(['AGENT_0001', 'AGENT_0002']))] }] });
  const result = await runActivity(mockEnv(), h.acts.compareReports, input);
  expect(result).toMatchObject({ by: 'llm', resolved: 'Postgres', supporters: ['AGENT_0001', 'AGENT_0002'], agreed: ['Relational'] });
  expect(result.agreement).toBeCloseTo(2 / 3);
  expect(result.conflicts[0]!.positions.map((p) => p.agent)).toEqual(['Aria', 'Quinn']);
  expect(result.usage!.costUsd).toBeGreaterThan(0);
  expect(JSON.stringify(h.fake.requests[1]!.body.messages.at(-1))).toContain('unknown agent id \\"AGENT_0009\\"');
  expect(h.fake.requests[0]!.firstUserText).toContain('Mission: Which database should the bakery shop use?');
});

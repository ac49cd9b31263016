import { ConsensusSpec } from '../../src/shared/consensus-spec';
import { describeIssues } from '../../src/shared/zod-errors';

describe('ConsensusSpec', () => {
  it('names the models field when the models do not match the agents', () => {
    const r = ConsensusSpec.safeParse({ agents: 3, models: ['claude-a', 'claude-b'] });
    expect(r.success).toBe(false);
    expect(r.success ? '' : describeIssues(r.error)).toBe('models: consensus.models must name one model per agent (3), not 2');
  });
});

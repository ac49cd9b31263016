import { runtimeFor } from '../../src/shared/roles';
import { OrchestrationConfig } from '../../src/shared/schemas';

const config = (raw: Record<string, unknown> = {}) => OrchestrationConfig.parse(raw);

describe('runtimeFor', () => {
  it("uses the orchestration's runtime, with no model, for a role without settings", () => {
    expect(runtimeFor(config({ runtime: 'anthropic' }), 'researcher')).toEqual({ runtime: 'anthropic' });
    expect(runtimeFor(config(), 'planner')).toEqual({ runtime: 'scripted' });
  });

  it("uses a role's own runtime and model, for specialists and for the planner and synthesizer alike", () => {
    const c = config({
      runtime: 'scripted',
      roles: { developer: { runtime: 'command' }, planner: { runtime: 'anthropic', model: 'claude-opus' }, synthesizer: { model: 'claude-haiku' } },
    });
    expect(runtimeFor(c, 'developer')).toEqual({ runtime: 'command' });
    expect(runtimeFor(c, 'planner')).toEqual({ runtime: 'anthropic', model: 'claude-opus' });
    expect(runtimeFor(c, 'synthesizer')).toEqual({ runtime: 'scripted', model: 'claude-haiku' });
    expect(runtimeFor(c, 'reviewer')).toEqual({ runtime: 'scripted' });
  });

  it("passes the scripted runtime's scenario to every role", () => {
    const c = config({ scenario: '/tmp/scenario.yaml', roles: { qa: { runtime: 'anthropic', model: 'claude-sonnet' } } });
    expect(runtimeFor(c, 'qa')).toEqual({ runtime: 'anthropic', model: 'claude-sonnet', scenario: '/tmp/scenario.yaml' });
    expect(runtimeFor(c, 'synthesizer')).toEqual({ runtime: 'scripted', scenario: '/tmp/scenario.yaml' });
  });
});

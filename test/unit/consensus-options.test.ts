import { Command } from 'commander';
import { addConfigOptions, addConsensusOptions, consensusFromOptions, fullConfigFromOptions } from '../../src/client/options';

/** What `baton objective <text> …args` parses into, as the CLI sees it. */
function parse(...args: string[]): Record<string, unknown> {
  const cmd = addConsensusOptions(new Command('objective').argument('<text>').exitOverride().configureOutput({ writeErr: () => undefined }));
  cmd.parse(['node', 'objective', 'Pick a database', ...args]);
  return cmd.opts();
}

describe('baton objective --consensus', () => {
  it('builds the spec from the options', () => {
    expect(consensusFromOptions(parse('--consensus', '3'))).toEqual({ agents: 3 });
    expect(consensusFromOptions(parse('--consensus', '3', '--quorum', '3', '--below-quorum', 'escalate', '--consensus-models', 'model-a, model-b,model-c'))).toEqual({
      agents: 3,
      quorum: 3,
      belowQuorum: 'escalate',
      models: ['model-a', 'model-b', 'model-c'],
    });
    expect(consensusFromOptions(parse())).toBeUndefined();
  });

  it('names the option that is wrong', () => {
    expect(() => consensusFromOptions(parse('--consensus', '7'))).toThrow('--consensus: consensus.agents must be at most 5');
    expect(() => consensusFromOptions(parse('--consensus', '1'))).toThrow('--consensus: consensus.agents must be at least 2');
    expect(() => consensusFromOptions(parse('--consensus', '3', '--quorum', '4'))).toThrow('consensus.quorum (4) cannot exceed consensus.agents (3)');
    expect(() => consensusFromOptions(parse('--consensus', '3', '--consensus-models', 'a,b'))).toThrow('consensus.models must name one model per agent (3), not 2');
    expect(() => consensusFromOptions(parse('--quorum', '2'))).toThrow('--quorum: only applies with --consensus N');
    expect(() => consensusFromOptions(parse('--below-quorum', 'escalate'))).toThrow('--below-quorum: only applies with --consensus N');
    expect(() => parse('--consensus', 'three')).toThrow('--consensus must be a positive integer, got "three"');
    expect(() => parse('--consensus', '3', '--below-quorum', 'vote')).toThrow(/--below-quorum/);
  });
});

describe('baton new --role-consensus', () => {
  const config = (...args: string[]) => {
    const cmd = addConfigOptions(new Command('new').exitOverride().configureOutput({ writeErr: () => undefined }));
    cmd.parse(['node', 'new', ...args]);
    return fullConfigFromOptions(cmd.opts());
  };

  it('puts a consensus into the role config, beside its model', async () => {
    expect((await config('--role-consensus', 'reviewer=3', '--model', 'reviewer=claude-x')).roles).toEqual({ reviewer: { model: 'claude-x', consensus: { agents: 3 } } });
  });

  it('refuses a role that writes files, a bad count and a bad spec, naming them', async () => {
    await expect(config('--role-consensus', 'developer=3')).rejects.toThrow('roles.developer.consensus: consensus is only for roles that do not write files');
    await expect(config('--role-consensus', 'reviewer=9')).rejects.toThrow('consensus.agents must be at most 5');
    expect(() => config('--role-consensus', 'reviewer')).toThrow('expected ROLE=N with ROLE one of researcher');
  });
});

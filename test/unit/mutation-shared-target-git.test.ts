import { AuthorTemplate, authorFor, DEFAULT_AUTHOR } from '../../src/shared/target-git';
import { describeIssues } from '../../src/shared/zod-errors';

const forge = { name: 'Forge', role: 'developer' };

describe('AuthorTemplate', () => {
  const problem = (raw: unknown) => {
    const r = AuthorTemplate.safeParse(raw);
    return r.success ? undefined : describeIssues(r.error);
  };

  it('takes a plain identity with no placeholders at all', () => {
    expect(problem('Release Bot <release-bot@example.org>')).toBeUndefined();
    expect(problem(DEFAULT_AUTHOR)).toBeUndefined();
  });

  it('names an unknown placeholder even beside a known one', () => {
    expect(problem('{{agent}} of {{team}} <{{agent}}@example.org>')).toBe('input: author knows only the placeholders {{agent}} and {{role}}');
  });
});

describe('authorFor', () => {
  it('fills placeholders written with spaces inside the braces', () => {
    expect(authorFor('{{ agent }} ({{ role }}) <{{ agent }}@example.org>', forge)).toEqual({ name: 'Forge (developer)', email: 'forge@example.org' });
  });

  it('keeps the whole name when no space stands before the address', () => {
    expect(authorFor('{{agent}} ({{role}})<{{agent}}@example.org>', forge)).toEqual({ name: 'Forge (developer)', email: 'forge@example.org' });
  });

  it('ignores spaces and line breaks around the whole identity', () => {
    expect(authorFor('\n  {{agent}} <Bot@Example.org>  \n', forge)).toEqual({ name: 'Forge', email: 'bot@example.org' });
  });

  it('falls back to the agent and a baton.invalid address for a template that is not one identity', () => {
    const fallback = { name: 'Forge', email: 'forge@baton.invalid' };
    expect(authorFor('not an identity', forge)).toEqual(fallback);
    // Text after the address, a stray ">" before the name, a doubled "<": none is a single `Name <email>`.
    expect(authorFor('{{agent}} <bot@example.org> and friends', forge)).toEqual(fallback);
    expect(authorFor('Team> {{agent}} <bot@example.org>', forge)).toEqual(fallback);
    expect(authorFor('{{agent}} <<bot@example.org>', forge)).toEqual(fallback);
  });
});

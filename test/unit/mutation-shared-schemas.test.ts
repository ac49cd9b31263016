import { freeText } from '../../src/shared/schemas';

// The free-text rule's type errors, each naming the field: missing versus not a string. Every schema is built inside its test.

const messages = (what: string, input: unknown): string[] => {
  const r = freeText(what).safeParse(input);
  if (r.success) throw new Error('test: expected the input to be refused');
  return r.error.issues.map((i) => i.message);
};

describe('freeText type errors', () => {
  it('says a field given as a number (or null) must be a string', () => {
    expect(messages('outcome', 42)).toEqual(['outcome must be a string']);
    expect(messages('question', null)).toEqual(['question must be a string']);
  });

  it('says a missing field is required', () => {
    expect(messages('outcome', undefined)).toEqual(['outcome is required']);
  });
});

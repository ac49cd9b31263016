import { freeText, MAX_TEXT } from '../../src/shared/schemas';

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

describe('freeText rules', () => {
  it('trims the text, and refuses one that is only spaces as empty', () => {
    expect(freeText('outcome').parse('  shipped the menu \n')).toBe('shipped the menu');
    expect(messages('outcome', '   ')).toEqual(['outcome must not be empty']);
  });

  it('refuses text over MAX_TEXT characters, naming the limit', () => {
    expect(freeText('outcome').parse('x'.repeat(MAX_TEXT))).toHaveLength(MAX_TEXT);
    expect(messages('outcome', 'x'.repeat(MAX_TEXT + 1))).toEqual([`outcome must be at most ${MAX_TEXT} characters`]);
  });

  it('refuses a control character anywhere, but keeps newlines and tabs', () => {
    const said = 'question must not contain control characters (newlines and tabs are fine)';
    expect(messages('question', 'which\u0007 one?')).toEqual([said]);
    expect(messages('question', '\u0001which one?')).toEqual([said]);
    expect(messages('question', 'which one?\u009f')).toEqual([said]);
    expect(freeText('question').parse('which one?\n\tA or B')).toBe('which one?\n\tA or B');
  });
});

import type { GateResult } from '../../src/shared/activity-types';
import { gateOutcome, namedFiles, quote, reviewClaims, type ClaimsReviewInput } from '../../src/verify/review';

const gate = (name: string, passed: boolean, extra: Partial<GateResult> = {}): GateResult => ({
  name,
  command: name === 'test' ? 'npm test' : `npm run ${name}`,
  passed,
  exitCode: passed ? 0 : 1,
  timedOut: false,
  durationMs: 10,
  tail: passed ? 'ok' : 'FAIL menu.test.js',
  ...extra,
});

const review = (over: Partial<ClaimsReviewInput>) =>
  reviewClaims({ claims: [], summary: '', gates: [], changedFiles: [], gitAvailable: true, ...over });

describe('reviewClaims (rules reviewer)', () => {
  const cases: { name: string; input: Partial<ClaimsReviewInput>; falseClaims: string[]; notes: string[] }[] = [
    { name: 'a true test claim backed by a passing test gate', input: { claims: ['all tests pass'], gates: [gate('test', true)] }, falseClaims: [], notes: [] },
    {
      name: '"all tests pass" while the test gate fails',
      input: { claims: ['all tests pass'], gates: [gate('lint', true), gate('test', false)] },
      falseClaims: ['claims "all tests pass" but gate test failed (exit 1)'],
      notes: [],
    },
    {
      name: 'a test claim with no test gate at all',
      input: { claims: ['The tests are green'], gates: [gate('lint', true)] },
      falseClaims: ['claims "The tests are green" but no test gate ran to back it'],
      notes: [],
    },
    {
      name: 'a lint claim against a lint gate that timed out',
      input: { claims: ['lint clean'], gates: [gate('lint', false, { exitCode: null, timedOut: true })] },
      falseClaims: ['claims "lint clean" but gate lint failed (timed out)'],
      notes: [],
    },
    {
      name: 'a test gate recognised by its command (npx jest)',
      input: { claims: ['unit tests pass with no failures'], gates: [gate('check', false, { command: 'npx jest' })] },
      falseClaims: ['claims "unit tests pass with no failures" but gate check failed (exit 1)'],
      notes: [],
    },
    { name: 'a negated test claim makes no promise', input: { claims: ['two tests still fail'], gates: [gate('test', false)] }, falseClaims: [], notes: ['not checked: "two tests still fail"'] },
    { name: 'a file claim whose file changed', input: { claims: ['added test/menu.test.js'], changedFiles: ['test/menu.test.js', 'src/menu.js'] }, falseClaims: [], notes: [] },
    { name: 'a file named without its folder matches a changed file', input: { claims: ['index.html works without JavaScript'], changedFiles: ['site/index.html'] }, falseClaims: [], notes: [] },
    {
      name: 'a file claim whose file did not change',
      input: { claims: ['site/order.html validates the email field.'], changedFiles: ['site/index.html'] },
      falseClaims: ['claims "site/order.html validates the email field." but site/order.html was not changed in the workspace'],
      notes: [],
    },
    {
      name: 'a file claim without version control is only a note',
      input: { claims: ['wrote src/x.ts'], gitAvailable: false },
      falseClaims: [],
      notes: ['not checked: "wrote src/x.ts" names src/x.ts, but the workspace has no version control to list changes'],
    },
    { name: 'a claim that cannot be checked is a note', input: { claims: ['the page feels friendly'] }, falseClaims: [], notes: ['not checked: "the page feels friendly"'] },
    {
      name: 'the summary saying tests pass is checked too',
      input: { summary: 'Wrote the order form. All tests pass.', gates: [gate('test', false)] },
      falseClaims: ['summary says "All tests pass." but gate test failed (exit 1)'],
      notes: [],
    },
    {
      name: 'a claim both naming a file and claiming tests',
      input: { claims: ['added test/menu.test.js and the tests pass'], gates: [gate('test', false)], changedFiles: [] },
      falseClaims: ['claims "added test/menu.test.js and the tests pass" but gate test failed (exit 1)', 'claims "added test/menu.test.js and the tests pass" but test/menu.test.js was not changed in the workspace'],
      notes: [],
    },
  ];

  it.each(cases)('$name', ({ input, falseClaims, notes }) => {
    const result = review(input);
    expect(result.falseClaims).toEqual(falseClaims);
    expect(result.passed).toBe(falseClaims.length === 0);
    expect(result.notes).toEqual(notes);
  });
});

describe('namedFiles', () => {
  it.each([
    ['added test/menu.test.js', ['test/menu.test.js']],
    ['Updated ./src/x.ts and README.md.', ['src/x.ts', 'README.md']],
    ['works on Node.js 20.1 and with e.g. v1.2', []],
    ['see https://example.com/a.html for details', []],
    ['index.html works without JavaScript', ['index.html']],
  ])('%s', (text, files) => {
    expect(namedFiles(text)).toEqual(files);
  });
});

describe('every way of saying a check went well is a claim the gates must back', () => {
  it.each([
    'tests pass',
    'tests passed',
    'tests passing',
    'the test suite passes',
    'tests are green',
    'tests run clean',
    'tests ran cleanly',
    'tests succeed',
    'tests succeeded',
    'the test run was successful',
    'tests ran successfully',
    'tests ok',
    'tests with no errors',
    'tests show no warnings',
    'tests: no issues',
    'tests, no problems',
    'tests with no failures',
  ])('%s', (claim) => {
    expect(review({ claims: [claim], gates: [gate('test', false)] }).falseClaims).toEqual([`claims "${claim}" but gate test failed (exit 1)`]);
  });
});

describe('quote and gateOutcome, as the reviewer words its findings', () => {
  it('quotes text trimmed, with runs of whitespace as one space, cut at 200 characters with an ellipsis', () => {
    expect(quote('  all\n\ttests   pass ')).toBe('"all tests pass"');
    expect(quote('x'.repeat(200))).toBe(`"${'x'.repeat(200)}"`);
    expect(quote('x'.repeat(201))).toBe(`"${'x'.repeat(199)}…"`);
  });

  it('says how a gate failed: its exit code, a timeout, a command that could not start, or a kill', () => {
    expect(gateOutcome(gate('test', false, { exitCode: 2 }))).toBe('exit 2');
    expect(gateOutcome(gate('test', false, { exitCode: 0 }))).toBe('exit 0');
    expect(gateOutcome(gate('test', false, { exitCode: null, timedOut: true }))).toBe('timed out');
    expect(gateOutcome(gate('test', false, { exitCode: null, tail: 'cannot start npm: ENOENT' }))).toBe('did not start');
    expect(gateOutcome(gate('test', false, { exitCode: null, tail: 'Terminated' }))).toBe('killed');
  });
});

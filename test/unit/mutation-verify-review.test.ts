import type { GateResult } from '../../src/shared/activity-types';
import { namedFiles, reviewClaims, type ClaimsReviewInput } from '../../src/verify/review';

const failedTests = (): GateResult => ({ name: 'test', command: 'npm test', passed: false, exitCode: 1, timedOut: false, durationMs: 10, tail: 'FAIL menu.test.js' });
const review = (over: Partial<ClaimsReviewInput>) => reviewClaims({ claims: [], summary: '', gates: [], changedFiles: [], gitAvailable: true, ...over });

describe('success words the rules reviewer reads as a claim', () => {
  // Each wording claims the tests went well; with the test gate failing, each is a false claim, not an unchecked note.
  it.each(['all tests succeed', 'the test run was successful', 'jest reports no error', 'unit tests: no warning'])('"%s"', (claim) => {
    expect(review({ claims: [claim], gates: [failedTests()] })).toEqual({
      passed: false,
      falseClaims: [`claims "${claim}" but gate test failed (exit 1)`],
      notes: [],
    });
  });

  it('in the summary as well', () => {
    expect(review({ summary: 'Added the menu. All tests succeed.', gates: [failedTests()] }).falseClaims).toEqual([
      'summary says "All tests succeed." but gate test failed (exit 1)',
    ]);
  });
});

describe('namedFiles and links', () => {
  it('does not read the files in a link as files the claim names, even when the link has commas', () => {
    const claim = 'Loaded Bootstrap from https://cdn.jsdelivr.net/combine/npm/jquery@3.6.0,npm/bootstrap@5.3.0/dist/js/bootstrap.min.js in site/index.html';
    expect(namedFiles(claim)).toEqual(['site/index.html']);
  });

  it('drops a link that opens the claim or sits in brackets or quotes', () => {
    expect(namedFiles('https://cdn.jsdelivr.net/combine/npm/a@1,npm/b@2/dist/b.min.js is now loaded by site/index.html')).toEqual(['site/index.html']);
    expect(namedFiles('Bootstrap (https://cdn.jsdelivr.net/combine/npm/a@1,npm/b@2/dist/b.min.js) is loaded by site/index.html')).toEqual(['site/index.html']);
    expect(namedFiles('linked "https://example.com/a,b/menu.json" from app.js')).toEqual(['app.js']);
  });

  it('drops any scheme, short or long, with digits, dots or pluses in it', () => {
    expect(namedFiles('see ftp://mirror.example.org/pub/a,pub/b/notes.txt and git+ssh://host/x;repo/readme.md, then docs/menu.md')).toEqual(['docs/menu.md']);
  });

  it('so a claim about a linked file is checked only against the files it names', () => {
    const claim = 'Linked https://cdn.jsdelivr.net/combine/npm/a@1,npm/b@2/dist/b.min.js from site/index.html';
    expect(review({ claims: [claim], changedFiles: ['site/index.html'] })).toEqual({ passed: true, falseClaims: [], notes: [] });
  });
});

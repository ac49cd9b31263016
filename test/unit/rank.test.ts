import { asksForAll, goalKind } from '../../src/roadmap/rank';

describe('goalKind: a goal’s kind from its verbs', () => {
  it.each(['Fix the menu', 'fixes for checkout', 'fixed links', 'fixing the footer', 'a bug in orders', 'bugs on mobile', 'the form is broken', 'repair the feed', 'a regression in search', 'regressions after deploy', 'the app crash on start', 'crashes on save'])(
    '%s → fix',
    (goal) => expect(goalKind(goal)).toBe('fix'),
  );

  it.each([
    ['Research payment providers', 'research'],
    ['look into caching', 'research'],
    ['Add a contact page', 'feature'],
    ['ship the newsletter', 'feature'],
    ['Tidy the docs', 'other'],
    ['prefix the ids', 'other'],
    ['debugger settings', 'other'],
  ])('%s → %s', (goal, kind) => expect(goalKind(goal)).toBe(kind));
});

describe('asksForAll: a goal asking for every available stream', () => {
  it.each(['Run everything available!', 'run   all    available  work', '  All available work, please.', 'everything you can', 'Please work on all the open streams'])('%s', (goal) =>
    expect(asksForAll(goal)).toBe(true),
  );

  it.each(['run all tests', 'everything about the menu', 'Add all the prices', ''])('not: %s', (goal) => expect(asksForAll(goal)).toBe(false));
});

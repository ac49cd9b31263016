import { interpretGoal, parseRoadmap } from '../../src/roadmap';

const SITE = `# Site

### 1.1 Menu data
- **Status:** complete

Structured menu with dishes and prices.

### 1.2 Online ordering form
- **Status:** blocked — waiting on api:1.1
- **Depends on:** 1.1, api:1.1

A form where customers order pastries for pickup.

### 1.3 Photo gallery
- **Status:** available

Photos of the bakery and the cakes.

### 1.4 Newsletter signup
- **Status:** blocked — the owner has not chosen a mail provider

### 1.5 Seasonal specials page
- **Status:** available
- **Depends on:** 1.4
`;

const API = `# API

### 1.1 Orders endpoint
- **Status:** available

Accepts pickup orders and stores them.

### 1.2 Payment webhook
- **Status:** available
- **Depends on:** 1.1
`;

const streams = [
  ...parseRoadmap(SITE, { file: 'site/ROADMAP.md', target: 'site' }).streams,
  ...parseRoadmap(API, { file: 'api/ROADMAP.md', target: 'api' }).streams,
];

describe('interpretGoal', () => {
  it('runs exactly the named streams, explaining the ones it cannot', () => {
    const result = interpretGoal('', streams, { held: ['site:1.3'], explicit: ['api:1.1', 'site:1.1', 'site:1.3', 'site:1.4', 'shop:1.1', '1.1'] });
    expect(result.interpretation).toMatchObject({ goalType: 'run-stream', matchingStreams: ['api:1.1'], by: 'ranking' });
    expect(result.problems).toEqual([
      'no stream "shop:1.1" on any roadmap',
      '"1.1" is in more than one target (site:1.1, api:1.1): name the target',
      'site:1.1 is complete already',
      'site:1.3 is already being worked on',
      'site:1.4 is blocked: the owner has not chosen a mail provider',
    ]);
  });

  it('pulls in open dependencies of a named stream, in dependency order', () => {
    const result = interpretGoal('', streams, { held: [], explicit: ['site:1.2'] });
    expect(result.interpretation.matchingStreams).toEqual(['api:1.1', 'site:1.2']);
    expect(result.selected.map((s) => s.title)).toEqual(['Orders endpoint', 'Online ordering form']);
    expect(result.interpretation.recommendation).toBe(
      'Run 2 streams with up to 1 agent at once: api:1.1 (Orders endpoint), site:1.2 (Online ordering form). site:1.2 waits on api:1.1.',
    );
    expect(result.problems).toEqual([]);
  });

  it('drops a stream whose dependency is held elsewhere, never selecting the held one', () => {
    const result = interpretGoal('', streams, { held: ['api:1.1'], explicit: ['site:1.2'] });
    expect(result.selected).toEqual([]);
    expect(result.problems).toEqual(['site:1.2 waits on api:1.1, which is already being worked on']);
    expect(result.interpretation.recommendation).toBe('None of the requested streams can run now.');
  });

  it('runs everything that is open for "all" and for goals that ask for it', () => {
    for (const goal of ['run everything available', 'All available work.', 'everything you can']) {
      const result = interpretGoal(goal, streams, { held: ['site:1.3'] });
      expect(result.interpretation.goalType).toBe('run-all');
      expect(result.interpretation.matchingStreams).toEqual(['api:1.1', 'site:1.2', 'api:1.2']);
      expect(result.problems).toEqual(['site:1.5 waits on site:1.4, which is blocked: the owner has not chosen a mail provider']);
    }
    expect(interpretGoal('', streams, { held: [], explicit: 'all' }).interpretation.matchingStreams).toEqual(['site:1.3', 'api:1.1', 'site:1.2', 'api:1.2']);
  });

  it('ranks by words of the goal and closes over dependencies', () => {
    const result = interpretGoal('Build online ordering for pastries', streams, { held: [] });
    expect(result.interpretation.goalType).toBe('feature');
    expect(result.interpretation.matchingStreams).toEqual(['api:1.1', 'site:1.2']);
  });

  it('takes an id mention over word matches, and reads the goal type from its verbs', () => {
    const fix = interpretGoal('fix the broken photo gallery', streams, { held: [] });
    expect(fix.interpretation).toMatchObject({ goalType: 'fix', matchingStreams: ['site:1.3'] });
    const mention = interpretGoal('please do api:1.2 today', streams, { held: [] });
    expect(mention.interpretation).toMatchObject({ goalType: 'run-stream', matchingStreams: ['api:1.1', 'api:1.2'] });
    expect(interpretGoal('investigate 1.3 gallery', streams, { held: [] }).interpretation).toMatchObject({ goalType: 'research', matchingStreams: ['site:1.3'] });
  });

  it('selects nothing when nothing matches, and never a held stream', () => {
    const none = interpretGoal('translate the legal disclaimer into French', streams, { held: [] });
    expect(none.selected).toEqual([]);
    expect(none.interpretation).toMatchObject({ goalType: 'other', matchingStreams: [], recommendation: 'Nothing on the roadmap matches this goal; plan it freely.' });
    const held = interpretGoal('photo gallery', streams, { held: ['site:1.3'] });
    expect(held.selected).toEqual([]);
    expect(held.problems).toEqual(['site:1.3 is already being worked on']);
  });
});

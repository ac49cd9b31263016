import { asksForAll, goalKind, mentionedStreams, rankStreams } from '../../src/roadmap/rank';
import type { WorkStream } from '../../src/roadmap/stream-types';

const stream = (target: string, id: string, title: string, over: Partial<WorkStream> = {}): WorkStream => ({ target, id, ref: `${target}:${id}`, title, status: 'available', dependsOn: [], text: '', line: 1, ...over });
const refs = (streams: WorkStream[]) => streams.map((s) => s.ref);

describe('asksForAll', () => {
  it.each(['do all', 'start everything', 'pick up all the remaining tasks', 'take on everything that is ready', 'tackle all of the possible work streams now', 'please run all thats open', 'everything on the roadmap', 'all in the roadmap', 'all streams please', 'all that you can', 'All stream'])('asks for all: %s', (goal) => expect(asksForAll(goal)).toBe(true));

  it.each(['run all', 'all'].map((g) => [g]))('a bare "%s" asks for all', (goal) => expect(asksForAll(goal)).toBe(true));

  it.each(['run all the menu work', 'please please run all', 'run all available work today', 'everything available work now please', 'Fix all', 'almost everything', 'all available works', 'do everything!? twice'])('does not ask for all: %s', (goal) =>
    expect(asksForAll(goal)).toBe(false),
  );
});

describe('goalKind', () => {
  it('reads fix before research before feature, and whole words only', () => {
    expect(goalKind('Investigate and fix the crash')).toBe('fix');
    expect(goalKind('Research and build a cache')).toBe('research');
    expect(goalKind('Compare and write up')).toBe('research');
    expect(goalKind('find out why; then make it')).toBe('research');
    expect(goalKind('Evaluate, study, explore')).toBe('research');
    expect(goalKind('develop, create, implement')).toBe('feature');
    expect(goalKind('the feature')).toBe('feature');
    expect(goalKind('prefixes, debugs, addresses, rebuild, shipping')).toBe('other');
    expect(goalKind('findout lookinto')).toBe('other');
  });
});

describe('mentionedStreams', () => {
  const streams = [stream('site', '1.2', 'Order form'), stream('api', '1.2', 'Orders API'), stream('site', '1.10', 'Photos'), stream('site', '2.1.3', 'Deep')];

  it('finds a bare id in every target and a qualified one in its target only, case-insensitively', () => {
    expect(refs(mentionedStreams('work on 1.2', streams))).toEqual(['site:1.2', 'api:1.2']);
    expect(refs(mentionedStreams('work on API:1.2', streams))).toEqual(['api:1.2']);
    expect(refs(mentionedStreams('do 2.1.3 then 1.10', streams))).toEqual(['site:2.1.3', 'site:1.10']);
  });

  it('lists each stream once however often it is named', () => {
    expect(refs(mentionedStreams('1.2, site:1.2 and 1.2 again', streams))).toEqual(['site:1.2', 'api:1.2']);
  });

  it('does not read part of a longer number, a version or a decimal as an id', () => {
    expect(mentionedStreams('bump to v11.2 and 1.2.9, costs 31.25', streams)).toEqual([]);
    expect(mentionedStreams('release 1.1.2 or 0.1.2', streams)).toEqual([]);
    expect(mentionedStreams('1.2x', streams).length).toBe(2);
  });

  it('finds nothing without a dotted id or a matching target', () => {
    expect(mentionedStreams('work on 12 and shop:1.2', streams)).toEqual([]);
  });
});

describe('rankStreams', () => {
  it('scores title words three times text words, best first, equal scores in roadmap order', () => {
    const streams = [
      stream('s', '1.1', 'Payments', { text: 'menu, checkout and prices' }),
      stream('s', '1.2', 'Menu page'),
      stream('s', '1.3', 'Menu checkout'),
    ];
    expect(refs(rankStreams('menu checkout prices', streams))).toEqual(['s:1.3', 's:1.1', 's:1.2']);
  });

  it('needs a title word or three text words', () => {
    expect(refs(rankStreams('menu prices checkout', [stream('s', '1.1', 'Other', { text: 'menu and prices and checkout' })]))).toEqual(['s:1.1']);
    expect(refs(rankStreams('menu prices', [stream('s', '1.1', 'Other', { text: 'menu prices' })]))).toEqual([]);
    expect(refs(rankStreams('menu', [stream('s', '1.1', 'Menu')]))).toEqual(['s:1.1']);
  });

  it('keeps streams scoring at least half the best score, and drops the rest', () => {
    const streams = [stream('s', '1.1', 'Menu prices'), stream('s', '1.2', 'Menu'), stream('s', '2.1', 'Menu prices checkout')];
    expect(refs(rankStreams('menu prices', streams.slice(0, 2)))).toEqual(['s:1.1', 's:1.2']);
    expect(refs(rankStreams('menu prices checkout', streams))).toEqual(['s:2.1', 's:1.1']);
  });

  it('counts words from seed 003 tasks and Done When as text', () => {
    const s = stream('s', '1.1', 'Other', { tasks: [{ marker: ' ', state: 'open', text: 'wire the parser', depth: 0 }], doneWhen: ['lexer passes', 'tokens counted'] });
    expect(refs(rankStreams('parser lexer tokens', [s]))).toEqual(['s:1.1']);
    expect(refs(rankStreams('parser lexer', [s]))).toEqual([]);
  });

  it('matches word stems: plurals, -ing, -ed, -ies', () => {
    expect(refs(rankStreams('ordering menus', [stream('s', '1.1', 'Order menu')]))).toEqual(['s:1.1']);
    expect(refs(rankStreams('categories', [stream('s', '1.1', 'Category')]))).toEqual(['s:1.1']);
    expect(refs(rankStreams('boxes', [stream('s', '1.1', 'Box')]))).toEqual([]);
    expect(refs(rankStreams('uploaded', [stream('s', '1.1', 'Upload')]))).toEqual(['s:1.1']);
    expect(refs(rankStreams('catches', [stream('s', '1.1', 'Catch')]))).toEqual(['s:1.1']);
  });

  it('leaves short words whole rather than stripping a suffix', () => {
    expect(refs(rankStreams('bus', [stream('s', '1.1', 'Bu')]))).toEqual([]);
    expect(refs(rankStreams('sing', [stream('s', '1.1', 'S')]))).toEqual([]);
    expect(refs(rankStreams('ties', [stream('s', '1.1', 'Ty')]))).toEqual([]);
    expect(refs(rankStreams('fries', [stream('s', '1.1', 'Fries')]))).toEqual(['s:1.1']);
    expect(refs(rankStreams('speed', [stream('s', '1.1', 'Spe')]))).toEqual([]);
    expect(refs(rankStreams('texts', [stream('s', '1.1', 'Text')]))).toEqual(['s:1.1']);
    expect(refs(rankStreams('cats', [stream('s', '1.1', 'Cat')]))).toEqual([]);
  });

  it('ignores stop words and verbs, and counts a word once however often the goal says it', () => {
    expect(rankStreams('please build the new page for us', [stream('s', '1.1', 'Build the new page')]).length).toBe(1);
    expect(rankStreams('please build the new thing for us', [stream('s', '1.1', 'Build the new page')])).toEqual([]);
    expect(refs(rankStreams('menu menu menu', [stream('s', '1.1', 'Other', { text: 'menu' })]))).toEqual([]);
  });

  it('finds nothing for a goal without words, and nothing beyond title, text, tasks and Done When', () => {
    expect(rankStreams('1.2 / 3', [stream('s', '1.1', 'Here was stryker', { text: 'stryker was here' })])).toEqual([]);
    expect(rankStreams('stryker was here', [stream('s', '1.1', 'Other')])).toEqual([]);
  });

  it('finds nothing for an empty goal or no streams', () => {
    expect(rankStreams('', [stream('s', '1.1', 'Menu')])).toEqual([]);
    expect(rankStreams('menu', [])).toEqual([]);
  });
});

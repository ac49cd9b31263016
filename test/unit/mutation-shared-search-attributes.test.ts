import { BATON_PHASE, BATON_PROJECT, BATON_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';

describe('search attributes', () => {
  it('are named as the namespace registers them, as keywords', () => {
    expect(BATON_SEARCH_ATTRIBUTES).toEqual({ BatonPhase: 'Keyword', BatonProject: 'Keyword' });
    expect([BATON_PHASE.name, BATON_PHASE.type]).toEqual(['BatonPhase', 'KEYWORD']);
    expect([BATON_PROJECT.name, BATON_PROJECT.type]).toEqual(['BatonProject', 'KEYWORD']);
  });
});

describe('search attribute keys, as the module builds them', () => {
  it('keep their names when the module is loaded afresh (module-level code runs inside this test)', () => {
    jest.isolateModules(() => {
      const fresh = require('../../src/shared/search-attributes') as typeof import('../../src/shared/search-attributes');
      expect([fresh.BATON_PHASE.name, fresh.BATON_PROJECT.name]).toEqual(['BatonPhase', 'BatonProject']);
    });
  });
});

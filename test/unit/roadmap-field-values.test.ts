import { isNothing, isWaitingNote, localRef, looseEffort, parseDependencies, parseEffort, parseOwner, parseRecovery, parseRole, waitsOnDependencies } from '../../src/roadmap/fields';

// How Baton reads the values people write after a field name in a roadmap, and the errors it gives for bad ones.
describe('roadmap field values', () => {
  it.each(['', '  ', '-', '—', '–', 'none', 'None', ' N/A ', 'unassigned'])('"%s" means nothing', (value) => {
    expect(isNothing(value)).toBe(true);
  });
  it.each(['0', 'nobody here', 'Alice', 'nonesuch'])('"%s" is a value', (value) => {
    expect(isNothing(value)).toBe(false);
  });

  it('reads efforts in either spelling and case, and names a bad one', () => {
    expect(parseEffort(' s ')).toEqual({ ok: true, value: 'S' });
    expect(parseEffort('Medium')).toEqual({ ok: true, value: 'M' });
    expect(parseEffort('LARGE')).toEqual({ ok: true, value: 'L' });
    expect(parseEffort('none')).toEqual({ ok: true, value: undefined });
    expect(parseEffort(' XL ')).toEqual({ ok: false, message: 'unknown effort "XL" (use S, M or L)' });
  });

  it('reads seed 003 efforts leniently', () => {
    expect(looseEffort('M (2-3 days)')).toBe('M');
    expect(looseEffort('  small')).toBe('S');
    expect(looseEffort('Large effort')).toBe('L');
    expect(looseEffort('about a week (L)')).toBe('L');
    expect(looseEffort('Mostly done')).toBeUndefined();
    expect(looseEffort('XL')).toBeUndefined();
    expect(looseEffort('')).toBeUndefined();
  });

  it('reads roles and names a bad one with the choices', () => {
    expect(parseRole(' Reviewer ')).toEqual({ ok: true, value: 'reviewer' });
    expect(parseRole('—')).toEqual({ ok: true, value: undefined });
    expect(parseRole(' wizard ')).toEqual({ ok: false, message: 'unknown role "wizard" (use researcher, analyst, developer, reviewer, qa, executor, advisor)' });
  });

  it('reads on-failure actions and names a bad one', () => {
    expect(parseRecovery(' Skip ')).toEqual({ ok: true, value: 'skip' });
    expect(parseRecovery('none')).toEqual({ ok: true, value: undefined });
    expect(parseRecovery(' panic ')).toEqual({ ok: false, message: 'unknown on-failure value "panic" (use retry, skip or escalate)' });
  });

  it('reads an owner trimmed, or nobody', () => {
    expect(parseOwner('  Ada Lovelace ')).toBe('Ada Lovelace');
    expect(parseOwner('unassigned')).toBeUndefined();
  });

  describe('dependencies', () => {
    it("qualifies bare ids with the stream's own target and keeps other targets' ids", () => {
      expect(parseDependencies(' 1.2 , api:3.4, `2.1` ', 'web', '5.1')).toEqual({ refs: ['web:1.2', 'api:3.4', 'web:2.1'], problems: [] });
    });
    it('drops duplicates and empty entries', () => {
      expect(parseDependencies('1.2, ,1.2', 'web', '5.1')).toEqual({ refs: ['web:1.2'], problems: [] });
    });
    it('names a malformed entry and a stream that depends on itself', () => {
      expect(parseDependencies('1, 5.1, web:5.1, 1.2', 'web', '5.1')).toEqual({
        refs: ['web:1.2'],
        problems: ['malformed dependency "1" (use an id like 1.2, or target:1.2 for another target)', 'web:5.1 depends on itself', 'web:5.1 depends on itself'],
      });
    });
    it('treats a nothing value as no dependencies', () => {
      expect(parseDependencies('none', 'web', '1.1')).toEqual({ refs: [], problems: [] });
      expect(parseDependencies('✅', 'web', '1.1', 'phases')).toEqual({ refs: [], problems: [] });
    });
    it("reads seed 003's spellings: Phase prefixes, status hints, semicolons and 'and'", () => {
      expect(parseDependencies('Phase 1.4 ✅, phase 8.1 (complete); 1.3 and `2.1` 🔄', 'web', '9.1', 'phases')).toEqual({
        refs: ['web:1.4', 'web:8.1', 'web:1.3', 'web:2.1'],
        problems: [],
      });
    });
    it("in Baton's format, a Phase prefix or a semicolon is a malformed entry", () => {
      expect(parseDependencies('Phase 1.4', 'web', '9.1').problems).toEqual(['malformed dependency "Phase 1.4" (use an id like 1.2, or target:1.2 for another target)']);
      expect(parseDependencies('1.3; 2.1', 'web', '9.1').problems).toHaveLength(1);
      expect(parseDependencies('1.3 (done)', 'web', '9.1').problems).toHaveLength(1);
    });
    it('rejects ids with uppercase targets or trailing junk', () => {
      expect(parseDependencies('Web:1.2', 'web', '9.1').problems).toHaveLength(1);
      expect(parseDependencies('1.2x', 'web', '9.1').problems).toHaveLength(1);
      expect(parseDependencies('x1.2', 'web', '9.1').problems).toHaveLength(1);
    });
  });

  it('writes a dependency bare for its own target and qualified for another', () => {
    expect(localRef('web:1.2', 'web')).toBe('1.2');
    expect(localRef('webapp:1.2', 'web')).toBe('webapp:1.2');
    expect(localRef('api:1.2', 'web')).toBe('api:1.2');
  });

  it("tells Baton's own waiting note from a person's reason", () => {
    expect(isWaitingNote(undefined)).toBe(true);
    expect(isWaitingNote('  ')).toBe(true);
    expect(isWaitingNote('  Waiting on web:1.2')).toBe(true);
    expect(isWaitingNote('waiting online approval')).toBe(false);
    expect(isWaitingNote('legal review')).toBe(false);
  });

  it('in seed 003 format only an explicit waiting note waits on dependencies', () => {
    expect(waitsOnDependencies({ format: 'phases', note: undefined })).toBe(false);
    expect(waitsOnDependencies({ format: 'phases', note: ' waiting on 1.2' })).toBe(true);
    expect(waitsOnDependencies({ format: 'phases', note: 'vendor' })).toBe(false);
    expect(waitsOnDependencies({ format: 'baton', note: undefined })).toBe(true);
    expect(waitsOnDependencies({ format: 'baton', note: 'vendor' })).toBe(false);
  });
});

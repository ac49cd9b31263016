import { addObjectiveSignal, showInput } from '../../src/shared/rejected-inputs';
import { freshState } from '../support/reducers';

describe('showInput', () => {
  it('names a signal sent with no input at all, rather than showing an empty string', () => {
    expect(showInput(undefined)).toBe('(no input)');
  });

  it('shows null, numbers, strings and objects as JSON', () => {
    expect(showInput(null)).toBe('null');
    expect(showInput(3)).toBe('3');
    expect(showInput('stop')).toBe('"stop"');
    expect(showInput({ goal: 'ship it' })).toBe('{"goal":"ship it"}');
  });

  it('falls back to the plain string of what JSON cannot write', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(showInput(loop)).toBe('[object Object]');
    expect(showInput(Symbol('x'))).toBe('Symbol(x)');
  });

  it('cuts a long payload at 300 characters and marks the cut', () => {
    const shown = showInput({ goal: 'x'.repeat(1000) });
    expect(shown).toHaveLength(301);
    expect(shown.endsWith('xxx…')).toBe(true);
    expect(showInput('y'.repeat(298))).toHaveLength(300);
  });
});

describe('addObjectiveSignal', () => {
  it('cancels no agent when it adds an objective', () => {
    const r = addObjectiveSignal(freshState(), [{ description: 'Ship the docs' }], '2025-03-01T12:00:00.000Z');
    expect(r.cancel).toEqual([]);
    expect(r.state.objectives).toHaveLength(1);
  });
});

import { HISTORY_BOUNDS, historyLimits, MIN_EVENTS_PER_RUN, rolloverDue } from '../../src/shared/scheduler';

describe('rolloverDue', () => {
  const run = { historyLength: 1_000, suggested: false };

  test('the old rule still holds: Temporal suggests it or the configured threshold is reached', () => {
    expect(rolloverDue(run, undefined)).toBe(false);
    expect(rolloverDue({ ...run, suggested: true }, undefined)).toBe(true);
    expect(rolloverDue(run, 1_000)).toBe(true);
    expect(rolloverDue(run, 1_001)).toBe(false);
  });

  test('a run without its size (begun before the bounds) never hands over on size', () => {
    expect(rolloverDue({ ...run, historyLength: 4_000 }, undefined)).toBe(false);
  });

  test('hands over before the event bound, earlier the more agents may still report', () => {
    const few = historyLimits(1, 0).events;
    const many = historyLimits(64, 0).events;
    expect(many).toBeLessThan(few);
    expect(few).toBeLessThan(HISTORY_BOUNDS.events);
    // Even 64 in-flight agents at the worst case per agent stay under the bound.
    expect(many + 64 * 16 + 400).toBeLessThanOrEqual(HISTORY_BOUNDS.events);
    const sized = { suggested: false, historySize: 10_000, stateBytes: 5_000, maxAgents: 20 };
    const limit = historyLimits(20, 5_000).events;
    expect(rolloverDue({ ...sized, historyLength: limit - 1 }, undefined)).toBe(false);
    expect(rolloverDue({ ...sized, historyLength: limit }, undefined)).toBe(true);
  });

  test('hands over before the byte bound, leaving room for the state twice', () => {
    const sized = { historyLength: 500, suggested: false, maxAgents: 20 };
    const small = historyLimits(20, 100_000).bytes;
    const large = historyLimits(20, 600_000).bytes;
    expect(small - large).toBe(1_000_000);
    expect(small + 2 * 100_000).toBeLessThan(HISTORY_BOUNDS.bytes);
    expect(rolloverDue({ ...sized, historySize: small - 1, stateBytes: 100_000 }, undefined)).toBe(false);
    expect(rolloverDue({ ...sized, historySize: small, stateBytes: 100_000 }, undefined)).toBe(true);
    expect(rolloverDue({ ...sized, historySize: large, stateBytes: 600_000 }, undefined)).toBe(true);
  });

  test('a state too big for the bounds hands over only after the minimum run, never in a loop', () => {
    const huge = { suggested: false, historySize: 3_500_000, stateBytes: 3_400_000, maxAgents: 3 };
    expect(rolloverDue({ ...huge, historyLength: MIN_EVENTS_PER_RUN - 1 }, undefined)).toBe(false);
    expect(rolloverDue({ ...huge, historyLength: MIN_EVENTS_PER_RUN }, undefined)).toBe(true);
  });

  test('a 1,000-event page of a bounded history fits gRPC\'s default 4 MiB message', () => {
    expect(HISTORY_BOUNDS.bytes).toBeLessThan(4 * 2 ** 20);
  });
});

import { IMMEDIATE_STOP_SHORT, immediateStopDrill } from '../../scripts/chaos/immediate-stop';
import { killEverythingNow } from '../../scripts/chaos/processes';
import { testServerInfo } from '../support/test-server';

afterAll(() => killEverythingNow());

test('stop (immediate) with ten command agents running: every activity cancelled and every process gone within 5 s', async () => {
  const figures = await immediateStopDrill(testServerInfo(), IMMEDIATE_STOP_SHORT);
  expect(figures.problems).toEqual([]);
  expect(figures.runs).toBe(1);
  expect(figures.tasks).toBe(IMMEDIATE_STOP_SHORT.agents);
  expect(figures.maxCancelLatencyMs).toBeLessThanOrEqual(5000);
  expect(figures.details['agent processes left']).toBe(0);
}, 120_000);

import { killEverythingNow } from '../../scripts/chaos/processes';
import { tasksPerOrchestration } from '../../scripts/chaos/scenario';
import { WORKER_KILLS_SHORT, workerKillDrill } from '../../scripts/chaos/worker-kills';
import { testServerInfo } from '../support/test-server';

// The drill cleans up after itself; this only matters if jest gives up on it first.
afterAll(() => killEverythingNow());

test('three workers on one queue, two killed -9 mid-run and replaced: every task completes exactly once', async () => {
  const figures = await workerKillDrill(testServerInfo(), WORKER_KILLS_SHORT);
  expect(figures.problems).toEqual([]);
  expect(figures.kills).toBeGreaterThanOrEqual(2);
  expect(figures.restarts).toBe(figures.kills);
  expect(figures.tasks).toBe(figures.orchestrations * tasksPerOrchestration(WORKER_KILLS_SHORT.shape));
  expect({ lost: figures.lost, duplicated: figures.duplicated }).toEqual({ lost: 0, duplicated: 0 });
}, 120_000);

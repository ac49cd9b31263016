import { drillPort } from '../../scripts/chaos/harness';
import { killEverythingNow } from '../../scripts/chaos/processes';
import { tasksPerOrchestration } from '../../scripts/chaos/scenario';
import { SERVER_KILLS_SHORT, serverKillDrill } from '../../scripts/chaos/server-kills';
import { resolveTemporalCli } from '../../src/server/temporal-binary';

afterAll(() => killEverythingNow());

test('the dev server killed -9 mid-run and restarted on its SQLite file: the orchestration resumes and nothing is lost', async () => {
  const figures = await serverKillDrill({ cli: await resolveTemporalCli(), port: await drillPort() }, SERVER_KILLS_SHORT);
  expect(figures.problems).toEqual([]);
  expect(figures.kills).toBeGreaterThanOrEqual(1);
  expect(figures.restarts).toBe(figures.kills);
  expect(figures.tasks).toBe(figures.orchestrations * tasksPerOrchestration(SERVER_KILLS_SHORT.shape));
  expect({ lost: figures.lost, duplicated: figures.duplicated }).toEqual({ lost: 0, duplicated: 0 });
}, 120_000);

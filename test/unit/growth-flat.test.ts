import { carriedGrowth, GROWTH_CHECKPOINTS } from '../support/growth-sim';

// Issue 12's bound: the state carried across continue-as-new stays flat however much work went through.
// Driven through the same reducers and archive step the workflow uses (4-task plans, an answered escalation
// every 25 objectives), with keepTasks 40 so a unit test sees many archive rounds; `npm run growth:reducers`
// measures the same at 1,000 and 100,000 tasks with the default keepTasks.
test('carried state at 10,000 tasks is within 1.2x of its size at 1,000', () => {
  const [small, large] = carriedGrowth(GROWTH_CHECKPOINTS, { keepTasks: 40 });
  expect(large!.bytes / small!.bytes).toBeLessThanOrEqual(1.2);
  // Everything finished moved out: objectives and answered decisions as well as tasks.
  const s = large!.state;
  expect(s.tasks.length).toBeLessThanOrEqual(40);
  expect(s.objectives.length).toBeLessThanOrEqual(11);
  expect(s.decisions.length).toBeLessThanOrEqual(200);
  expect(s.archived.tasks + s.tasks.length).toBe(large!.tasks);
  expect(s.archived.objectives! + s.objectives.length).toBe(s.counters.objective);
});

import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../../src/workers/worker';
import { committedHistories } from '../support/replay-histories';

const committed = committedHistories();
const files = committed.map((c) => c.file);

test('committed histories exist for every representative orchestration', () => {
  expect(files).toEqual(expect.arrayContaining(['archive.json', 'budget-decision.json', 'consensus.json', 'continue-as-new.json', 'delegation.json', 'delegation-child.json', 'delegation-grandchild.json', 'delegation-budget.json', 'delegation-budget-child.json', 'delegation-budget-grandchild.json', 'delegation-stop.json', 'delegation-stop-child.json', 'delegation-stop-grandchild.json', 'delegation-quiet-start.json', 'delegation-quiet-start-child.json', 'delegation-quiet-start-grandchild.json', 'delegation-ended-mirror.json', 'delegation-ended-mirror-child.json', 'delegation-ended-mirror-grandchild.json', 'escalation.json', 'objectives-insights-complete.json', 'roadmap-rework.json', 'signals.json', 'stops-and-resume.json']));
});

test('today\'s workflow code replays every committed history without a nondeterminism error', async () => {
  const workflowBundle = await bundleWorkflows();
  const histories = committed.map(({ workflowId, history }) => ({ workflowId, history }));
  // An empty folder replays nothing and proves nothing.
  expect(histories.length).toBeGreaterThan(0);
  const failures: string[] = [];
  const replayed: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    replayed.push(result.workflowId);
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  // One result per committed history: none skipped, none counted twice.
  expect(replayed.sort()).toEqual(committed.map((c) => c.workflowId).sort());
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../../src/workers/worker';

const DIR = path.join(__dirname, 'histories');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));
// A child's workflow id is built from its parent's, so the delegation tree replays under the ids it ran with.
const RUN_AS: Record<string, string> = { 'delegation.json': 'baton/delegation', 'delegation-child.json': 'baton/delegation/TASK_001', 'delegation-grandchild.json': 'baton/delegation/TASK_001/TASK_001' };

test('committed histories exist for every representative orchestration', () => {
  expect(files).toEqual(expect.arrayContaining(['budget-decision.json', 'consensus.json', 'continue-as-new.json', 'delegation.json', 'delegation-child.json', 'delegation-grandchild.json', 'escalation.json', 'objectives-insights-complete.json', 'roadmap-rework.json', 'signals.json', 'stops-and-resume.json']));
});

test('today\'s workflow code replays every committed history without a nondeterminism error', async () => {
  const workflowBundle = await bundleWorkflows();
  const histories = files.map((f) => ({ workflowId: RUN_AS[f] ?? f, history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'))) }));
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
  expect(replayed.sort()).toEqual(files.map((f) => RUN_AS[f] ?? f).sort());
});

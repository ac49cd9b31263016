import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

/** The committed histories (test/replay/histories). */
export const HISTORY_DIR = path.join(__dirname, '..', 'replay', 'histories');

// A child's workflow id is built from its parent's, so the delegation tree replays under the ids it ran with.
const RUN_AS: Record<string, string> = {
  'delegation.json': 'baton/delegation',
  'delegation-child.json': 'baton/delegation/TASK_001',
  'delegation-grandchild.json': 'baton/delegation/TASK_001/TASK_001',
};

/** Every committed history with the workflow id to replay it under: the one it ran with where that matters, else its file name. */
export function committedHistories(): { file: string; workflowId: string; history: temporal.api.history.v1.IHistory }[] {
  return fs
    .readdirSync(HISTORY_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, workflowId: RUN_AS[file] ?? file, history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORY_DIR, file), 'utf8'))) }));
}

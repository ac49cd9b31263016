import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

/** The committed histories (test/replay/histories). */
export const HISTORY_DIR = path.join(__dirname, '..', 'replay', 'histories');

// A child's workflow id is built from its parent's (`baton/<project>/<task id>`), so a delegation tree replays under the
// ids it ran with: `delegation-stop.json` as `baton/delegation-stop`, its `-child` and `-grandchild` below it.
function runAs(file: string): string {
  const m = /^(delegation[\w-]*?)(-child|-grandchild)?\.json$/.exec(file);
  if (!m) return file;
  return `baton/${m[1]}${m[2] === '-child' ? '/TASK_001' : m[2] === '-grandchild' ? '/TASK_001/TASK_001' : ''}`;
}

/** Every committed history with the workflow id to replay it under: the one it ran with where that matters, else its file name. */
export function committedHistories(): { file: string; workflowId: string; history: temporal.api.history.v1.IHistory }[] {
  return fs
    .readdirSync(HISTORY_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, workflowId: runAs(file), history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORY_DIR, file), 'utf8'))) }));
}

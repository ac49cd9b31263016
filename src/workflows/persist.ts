import * as wf from '@temporalio/workflow';
import type { PersistContextInput } from '../shared/activity-types';
import { stateDelta } from '../shared/context-delta';
import type { OrchestrationState } from '../shared/schemas';

/** What `persistContext` answers; `stale` when the file did not hold the delta's base. */
type Persisted = { stale?: boolean };

/**
 * Writes the context file at each session's end from what changed since the last write, so history carries the
 * changes rather than the whole state. The first write of a run is a delta against the state the run carried in
 * (usually what the previous run wrote); when the file holds anything else the activity says so and the full state
 * is sent instead.
 */
export function makeContextPersister(call: (input: PersistContextInput) => Promise<Persisted>, carried: OrchestrationState | undefined) {
  let base: { state: OrchestrationState; digest?: string } | undefined = carried ? { state: carried } : undefined;
  return async function persist(state: OrchestrationState): Promise<void> {
    // Histories written before deltas sent the whole state every time; they replay that way.
    if (!wf.patched('persist-delta')) {
      await call({ project: state.project, state });
      return;
    }
    if (base) {
      const delta = stateDelta(base.state, state, base.digest);
      const answer = await call({ project: state.project, delta });
      if (!answer.stale) {
        base = { state, digest: delta.next };
        return;
      }
    }
    await call({ project: state.project, state });
    base = { state };
  };
}

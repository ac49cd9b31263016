import { recordAgentReport } from '../../src/shared/agent-results';
import { archivable, archiveEmpty, dropArchived } from '../../src/shared/archive';
import { decide, escalate } from '../../src/shared/decisions';
import { recordEvents, withEventLog } from '../../src/shared/events';
import type { CarriedLimits } from '../../src/shared/limits';
import type { OrchestrationState } from '../../src/shared/schemas';
import { addObjective, applyPlan, markPlanning } from '../../src/shared/state';
import { agentReport, freshState, minute, plannedTask, spawnChosen } from './reducers';

/**
 * The task counts a growth test checks the carried state at: 1,000 and 10,000, or 400 and 2,000 under mutation testing
 * (jest.stryker.config.js sets BATON_QUICK_GROWTH), where every mutant of the reducers runs these tests again.
 */
export const GROWTH_CHECKPOINTS: [number, number] = process.env.BATON_QUICK_GROWTH ? [400, 2_000] : [1_000, 10_000];

/** Carried size (bytes of the continue-as-new input) at each checkpoint of tasks driven through one orchestration's reducers. */
export function carriedGrowth(checkpoints: number[], opts: { keepTasks?: number; tasksPerObjective?: number; limits?: CarriedLimits } = {}): { tasks: number; bytes: number; state: OrchestrationState }[] {
  const each = opts.tasksPerObjective ?? 4;
  const fresh = freshState(opts.keepTasks ? { keepTasks: opts.keepTasks } : {});
  let s = withEventLog(opts.limits ? { ...fresh, limits: opts.limits } : fresh, minute(0));
  // Every change goes through the event log, as the workflow's `set` does: the capped log is carried too.
  const set = (next: OrchestrationState, o: number) => (s = recordEvents(s, next, minute(o)));
  const out: { tasks: number; bytes: number; state: OrchestrationState }[] = [];
  let done = 0;
  for (let o = 1; out.length < checkpoints.length; o++) {
    const added = addObjective(s, { description: `objective ${o}: make the thing better, as people write goals` }, minute(o));
    set(added.state, o);
    set(markPlanning(s, [added.objective.id]), o);
    set(applyPlan(s, added.objective.id, Array.from({ length: each }, (_, i) => plannedTask(`t${i}`, { mission: `step ${i} of objective ${o}` })), minute(o)), o);
    for (const t of s.tasks.filter((x) => x.objectiveId === added.objective.id)) {
      set(spawnChosen(s, t.id, minute(o)), o);
      const agentId = s.tasks.find((x) => x.id === t.id)?.agentId as string;
      set(recordAgentReport(s, t.id, agentId, agentReport(`did ${t.id}`, { insights: [`lesson from ${t.id}`] }), minute(o)), o);
      done++;
    }
    // Now and then a person answers an escalation: decisions pile up over weeks too.
    if (o % 25 === 0) {
      set(escalate(s, undefined, 'the API key was rejected', minute(o)), o);
      set(decide(s, { decisionId: s.decisions[s.decisions.length - 1]!.id, choice: 'retry' }, minute(o)), o);
    }
    // What the workflow does every loop of a session.
    const batch = archivable(s);
    if (!archiveEmpty(batch)) set(dropArchived(s, batch), o);
    while (out.length < checkpoints.length && done >= checkpoints[out.length]!) {
      out.push({ tasks: done, bytes: Buffer.byteLength(JSON.stringify({ project: s.project, state: s })), state: s });
    }
  }
  return out;
}

import * as wf from '@temporalio/workflow';
import { toContext } from '../shared/context';
import { decide, decideProblem } from '../shared/decisions';
import * as msg from '../shared/messages';
import { addObjectiveSignal, recordRejected, stopSignal } from '../shared/rejected-inputs';
import { rememberNote } from '../shared/roster';
import { AddObjectiveInput, CompleteTaskInput, DecideInput, type OrchestrationState, RecordInsightInput, ResumeInput, StopInput } from '../shared/schemas';
import * as S from '../shared/state';
import { statusView } from '../shared/status';
import { validatorFor } from '../shared/validation';

/** What the handlers need from the running workflow. */
export interface HandlerContext {
  state(): OrchestrationState;
  set(next: OrchestrationState): void;
  cancelAgents(ids: string[]): void;
  now(): string;
}

/** Wire every query and update to its pure reducer; validators reject bad input before it reaches history. */
export function registerHandlers(ctx: HandlerContext): void {
  const { state, set, now } = ctx;
  wf.setHandler(msg.statusQuery, () => statusView(state()));
  wf.setHandler(msg.contextQuery, () => toContext(state()));
  wf.setHandler(
    msg.addObjectiveUpdate,
    (raw) => {
      const r = S.addObjective(state(), AddObjectiveInput.parse(raw), now());
      set(r.state);
      return r.objective;
    },
    { validator: validatorFor(AddObjectiveInput, () => undefined) },
  );
  wf.setHandler(
    msg.completeTaskUpdate,
    (raw) => {
      const r = S.completeTask(state(), CompleteTaskInput.parse(raw), now());
      set(r.state);
      ctx.cancelAgents(r.cancel);
      return { taskId: raw.taskId, stoppedAgents: r.cancel };
    },
    { validator: validatorFor(CompleteTaskInput, (i) => S.completeTaskProblem(state(), i.taskId)) },
  );
  wf.setHandler(
    msg.recordInsightUpdate,
    (raw) => {
      const input = RecordInsightInput.parse(raw);
      if (input.agent) set(rememberNote(state(), input.agent, input.kind ?? 'insight', input.text));
      if (!input.agent || (input.kind ?? 'insight') === 'insight') set(S.recordInsight(state(), input, now()));
      return { insights: state().insights.length };
    },
    {
      validator: validatorFor(RecordInsightInput, (i) =>
        i.agent && !state().roster[i.agent] ? `agent: no agent named ${i.agent} in project ${state().project}` : undefined,
      ),
    },
  );
  wf.setHandler(
    msg.stopUpdate,
    (raw) => {
      const stop = StopInput.parse(raw);
      const r = S.requestStop(state(), stop, now());
      set(r.state);
      ctx.cancelAgents(r.cancel);
      return { stoppedAgents: r.cancel, graceful: !stop.agentId && (stop.graceful ?? false) };
    },
    { validator: validatorFor(StopInput, (i) => S.stopProblem(state(), i.agentId)) },
  );
  wf.setHandler(
    msg.decideUpdate,
    (raw) => {
      const input = DecideInput.parse(raw);
      set(decide(state(), input, now()));
      return state().decisions.find((d) => d.id === input.decisionId)!;
    },
    { validator: validatorFor(DecideInput, (i) => decideProblem(state(), i)) },
  );
  // Signals never throw: a bad one becomes a rejected input in state, so the workflow neither fails nor wedges.
  const signal = (name: string, apply: typeof addObjectiveSignal) => (...args: unknown[]) => {
    try {
      const r = apply(state(), args, now());
      set(r.state);
      if (r.cancel.length) ctx.cancelAgents(r.cancel);
    } catch (err) {
      set(recordRejected(state(), { name, reason: `not applied: ${err instanceof Error ? err.message : String(err)}`, input: args[0] }, now()));
    }
  };
  wf.setHandler(msg.addObjectiveSignal, signal('addObjective', addObjectiveSignal));
  wf.setHandler(msg.stopSignal, signal('stop', stopSignal));
  wf.setHandler(
    msg.resumeUpdate,
    () => {
      set(S.resume(state()));
      // Answered at once (a waiting handler would hold up continue-as-new): the session that will run next.
      return { session: state().session + (state().resumeRequested ? 1 : 0) };
    },
    { validator: validatorFor(ResumeInput, () => undefined) },
  );
}

import * as wf from '@temporalio/workflow';
import type { BatonActivities } from '../activities';
import type { AgentReport, PlannedTask, SynthesisResult } from '../shared/activity-types';
import { toContext } from '../shared/context';
import { Failure } from '../shared/failures';
import * as msg from '../shared/messages';
import { agentName } from '../shared/names';
import { objectivesToPlan, orchestrationSettled, sessionDue, settleStop, tasksToStart } from '../shared/scheduler';
import {
  AddObjectiveInput,
  CompleteTaskInput,
  OrchestrationConfig,
  OrchestrationInput,
  type OrchestrationState,
  type Phase,
  RecordInsightInput,
  ResumeInput,
  StopInput,
  type Task,
} from '../shared/schemas';
import { BATON_PHASE } from '../shared/search-attributes';
import * as S from '../shared/state';
import { currentDetails, statusView } from '../shared/status';
import { applySynthesis, sessionOutputs } from '../shared/synthesis-state';
import { agentInput, phaseDuringSession, planInput, spawnSummary, synthesisInput } from '../shared/activity-inputs';
import { validatorFor } from '../shared/validation';
import { describeIssues } from '../shared/zod-errors';

const acts = wf.proxyActivities<BatonActivities>({ taskQueue: msg.WORKFLOW_TASK_QUEUE, startToCloseTimeout: '1 minute' });

const now = (): string => new Date(Date.now()).toISOString();

/** One project's orchestration: an entity workflow that runs seed 002's five phases session after session. */
export async function orchestration(rawInput: OrchestrationInput): Promise<void> {
  const input = OrchestrationInput.safeParse(rawInput);
  if (!input.success) {
    throw wf.ApplicationFailure.create({ type: Failure.InputInvalid, nonRetryable: true, message: `invalid orchestration input: ${describeIssues(input.error)}` });
  }
  let state: OrchestrationState = input.data.state ?? newState(input.data.project, input.data.config, input.data.objectives);
  let tick = 0;
  const scopes = new Map<string, wf.CancellationScope>();
  const inflight = new Set<Promise<void>>();

  const set = (next: OrchestrationState): void => {
    if (next === state) return;
    const phaseChanged = next.phase !== state.phase;
    state = next;
    tick++;
    if (phaseChanged) publish();
    else wf.setCurrentDetails(currentDetails(state));
  };
  const publish = (): void => {
    wf.setCurrentDetails(currentDetails(state));
    if (state.config.searchAttributes) wf.upsertSearchAttributes([{ key: BATON_PHASE, value: state.phase }]);
  };
  const enter = (phase: Phase): void => set(S.setPhase(state, phase));
  const cancelAgents = (ids: string[]): void => ids.forEach((id) => scopes.get(id)?.cancel());
  const track = (p: Promise<void>): void => {
    inflight.add(p);
    void p.finally(() => {
      inflight.delete(p);
      tick++;
    });
  };

  publish();
  wf.setHandler(msg.statusQuery, () => statusView(state));
  wf.setHandler(msg.contextQuery, () => toContext(state));
  wf.setHandler(
    msg.addObjectiveUpdate,
    (raw) => {
      const r = S.addObjective(state, AddObjectiveInput.parse(raw), now());
      set(r.state);
      return r.objective;
    },
    { validator: validatorFor(AddObjectiveInput, () => undefined) },
  );
  wf.setHandler(
    msg.completeTaskUpdate,
    (raw) => {
      const r = S.completeTask(state, CompleteTaskInput.parse(raw), now());
      set(r.state);
      cancelAgents(r.cancel);
      return { taskId: raw.taskId, stoppedAgents: r.cancel };
    },
    { validator: validatorFor(CompleteTaskInput, (i) => S.completeTaskProblem(state, i.taskId)) },
  );
  wf.setHandler(
    msg.recordInsightUpdate,
    (raw) => {
      set(S.recordInsight(state, RecordInsightInput.parse(raw), now()));
      return { insights: state.insights.length };
    },
    { validator: validatorFor(RecordInsightInput, () => undefined) },
  );
  wf.setHandler(
    msg.stopUpdate,
    (raw) => {
      const stop = StopInput.parse(raw);
      const r = S.requestStop(state, stop, now());
      set(r.state);
      cancelAgents(r.cancel);
      return { stoppedAgents: r.cancel, graceful: !stop.agentId && (stop.graceful ?? false) };
    },
    { validator: validatorFor(StopInput, (i) => S.stopProblem(state, i.agentId)) },
  );
  wf.setHandler(
    msg.resumeUpdate,
    async () => {
      const before = state.session;
      set(S.resume(state));
      if (state.resumeRequested) await wf.condition(() => state.session > before);
      return { session: state.session };
    },
    { validator: validatorFor(ResumeInput, () => undefined) },
  );

  const planObjective = async (objectiveId: string): Promise<void> => {
    const objective = state.objectives.find((o) => o.id === objectiveId);
    if (!objective) return;
    try {
      const plan: PlannedTask[] = await acts.planObjective.executeWithOptions(
        { ...PLAN_OPTIONS, summary: `planner · ${objective.id}: ${objective.description.slice(0, 80)}` },
        [planInput(state, objective)],
      );
      set(S.applyPlan(state, objectiveId, plan, now()));
    } catch (err) {
      set(S.failObjective(state, objectiveId, failureMessage(err)));
    }
  };

  const runAgent = async (task: Task): Promise<void> => {
    const role = task.role;
    const name = agentName(role, state.agents.filter((a) => a.role === role).length);
    const started = S.startTask(state, task.id, { name, runtime: state.config.runtime, simulated: state.config.runtime === 'scripted' }, now());
    set(started.state);
    const agent = started.agent;
    const scope = new wf.CancellationScope();
    scopes.set(agent.id, scope);
    try {
      const report: AgentReport = await scope.run(() =>
        acts.spawnAgent.executeWithOptions(
          { ...agentOptions(state), summary: spawnSummary(agent, task) },
          [agentInput(state, agent, task)],
        ),
      );
      set(S.finishTask(state, task.id, agent.id, report, now()));
    } catch (err) {
      if (wf.isCancellation(err)) {
        if (state.agents.find((a) => a.id === agent.id)?.status === 'running') set(S.requestStop(state, { agentId: agent.id }, now()).state);
      } else {
        set(S.failTask(state, task.id, agent.id, failureMessage(err), now()));
      }
    } finally {
      scopes.delete(agent.id);
    }
  };

  const runSession = async (): Promise<void> => {
    set(S.beginSession(S.setPhase(state, 'context'), now()));
    while (!orchestrationSettled(state)) {
      const toPlan = objectivesToPlan(state);
      if (toPlan.length) {
        set(S.markPlanning(state, toPlan.map((o) => o.id)));
        toPlan.forEach((o) => track(planObjective(o.id)));
      }
      tasksToStart(state, state.config.mode, state.config.maxAgents).forEach((t) => track(runAgent(t)));
      enter(phaseDuringSession(state));
      const seen = tick;
      await wf.condition(() => tick !== seen);
    }
    await wf.condition(() => inflight.size === 0);
    enter('synthesis');
    const outputs = sessionOutputs(state);
    if (outputs.length) {
      const result: SynthesisResult = await acts.synthesize.executeWithOptions(
        { ...SYNTH_OPTIONS, summary: `synthesizer · session ${state.session}: ${outputs.length} outputs` },
        [synthesisInput(state, outputs)],
      );
      set(applySynthesis(state, result, now()));
    }
    enter('preservation');
    set(settleStop(state));
    await acts.persistContext.executeWithOptions(
      { ...PERSIST_OPTIONS, summary: `persist context · session ${state.session}` },
      [{ project: state.project, context: toContext(state) }],
    );
  };

  for (;;) {
    await wf.condition(() => sessionDue(state) || wf.workflowInfo().continueAsNewSuggested);
    if (sessionDue(state)) {
      await runSession();
      enter(state.paused ? 'paused' : 'idle');
      continue;
    }
    await wf.condition(wf.allHandlersFinished);
    await wf.continueAsNew<typeof orchestration>({ project: state.project, state });
  }
}

const PLAN_OPTIONS: wf.ActivityOptions = {
  taskQueue: msg.WORKFLOW_TASK_QUEUE,
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [Failure.PlanInvalid, Failure.ScenarioInvalid] },
};
const SYNTH_OPTIONS: wf.ActivityOptions = { ...PLAN_OPTIONS };
const PERSIST_OPTIONS: wf.ActivityOptions = { taskQueue: msg.WORKFLOW_TASK_QUEUE, startToCloseTimeout: '1 minute' };

function agentOptions(state: OrchestrationState): wf.ActivityOptions {
  return {
    taskQueue: msg.AGENT_TASK_QUEUE,
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '30 seconds',
    cancellationType: wf.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { maximumAttempts: state.config.maxAttempts, nonRetryableErrorTypes: [Failure.ScenarioInvalid] },
  };
}

function newState(project: string, config: OrchestrationConfig | undefined, objectives: string[] | undefined): OrchestrationState {
  const at = now();
  let state = { ...S.initialState(project, OrchestrationConfig.parse(config ?? {}), at), resumeRequested: true };
  for (const description of objectives ?? []) state = S.addObjective(state, { description }, at).state;
  return state;
}

function failureMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof wf.ActivityFailure && e.cause) e = e.cause;
  return (e instanceof Error ? e.message : String(e)).slice(0, 500);
}

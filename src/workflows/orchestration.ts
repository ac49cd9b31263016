import * as wf from '@temporalio/workflow';
import type { BatonActivities } from '../activities';
import { agentInput, phaseDuringSession, planInput, spawnSummary, synthesisInput } from '../shared/activity-inputs';
import type { AgentReport, PlanResult, SynthesisResult, VerifyWorkResult } from '../shared/activity-types';
import { recordAgentReport } from '../shared/agent-results';
import { Failure } from '../shared/failures';
import { onActivityFailure, onPlanFailure, type FailureFacts } from '../shared/on-failure';
import { archivable, archiveEmpty, dropArchived } from '../shared/archive';
import { applyFailedUsage, applyUsage, failureUsage, raiseBudgetDecisions } from '../shared/ledger';
import * as msg from '../shared/messages';
import { runtimeFor } from '../shared/roles';
import { chooseAgent, claimAgent } from '../shared/roster';
import { expireDecisions } from '../shared/recovery';
import { nextWake, objectivesToPlan, orchestrationSettled, rolloverDue, sessionDue, settleStop, tasksToStart, WAKE_SUMMARY } from '../shared/scheduler';
import { applyStreamPlan } from '../shared/streams';
import { applyVerification, markVerifying, verifyInput, verifySummary } from '../shared/verification';
import { OrchestrationConfig, OrchestrationInput, type OrchestrationState, type Phase, type Task } from '../shared/schemas';
import { BATON_PHASE } from '../shared/search-attributes';
import * as S from '../shared/state';
import { currentDetails } from '../shared/status';
import { applySynthesis, sessionOutputs } from '../shared/synthesis-state';
import { describeIssues } from '../shared/zod-errors';
import { recordEvents, withEventLog } from '../shared/events';
import { CARRIED_LIMITS } from '../shared/limits';
import { wireEvents } from './events';
import { makePhaseSpans } from '../telemetry/phase-spans';
import { applyLanding, landInput, landSummary, type LandWorkResult } from '../shared/landing';
import { applySwept, noteWorktree, worktreesToSweep } from '../shared/worktrees';
import { makeConsensus } from './consensus';
import { makeGardener } from './gardener';
import { isChildInput, makeLeads, NO_GARDENER } from './lead';
import { asChild, type ChildStart, childOutcome, type LeadReport } from '../shared/delegation';
import { makeContextPersister } from './persist';
import { registerHandlers } from './handlers';

const acts = wf.proxyActivities<BatonActivities>({ taskQueue: msg.WORKFLOW_TASK_QUEUE, startToCloseTimeout: '1 minute' });

const now = (): string => new Date(Date.now()).toISOString();

/** One project's orchestration: an entity workflow that runs seed 002's five phases session after session. */
export async function orchestration(rawInput: OrchestrationInput): Promise<LeadReport | void> {
  // A lead's child hears its parent's cancellation as an immediate stop of its own agents, never as an abrupt end (src/workflows/lead.ts).
  if (!isChildInput(rawInput)) return runOrchestration(rawInput);
  const { cancelRequested } = wf.CancellationScope.current();
  return wf.CancellationScope.nonCancellable(() => runOrchestration(rawInput, cancelRequested));
}

async function runOrchestration(rawInput: OrchestrationInput, cancelRequested?: Promise<never>): Promise<LeadReport | void> {
  const input = OrchestrationInput.safeParse(rawInput);
  if (!input.success) {
    throw wf.ApplicationFailure.create({ type: Failure.InputInvalid, nonRetryable: true, message: `invalid orchestration input: ${describeIssues(input.error)}` });
  }
  let state: OrchestrationState = withEventLog(input.data.state ?? childOrRoot(newState(input.data.project, input.data.config, input.data.objectives), input.data.child), now());
  // Runs from here on carry less finished work; a run replaying from before keeps the old limits, so its archive steps replay.
  if (!state.limits && wf.patched('carried-level')) state = { ...state, limits: CARRIED_LIMITS };
  let tick = 0;
  const scopes = new Map<string, wf.CancellationScope>();
  const inflight = new Set<Promise<void>>();

  const tracePhase = makePhaseSpans();
  const publish = (): void => {
    tracePhase(state);
    wf.setCurrentDetails(currentDetails(state));
    if (state.config.searchAttributes) wf.upsertSearchAttributes([{ key: BATON_PHASE, value: state.phase }]);
  };
  const set = (next: OrchestrationState): void => {
    if (next === state) return;
    const phaseChanged = next.phase !== state.phase;
    state = recordEvents(state, next, now());
    tracePhase(state);
    tick++;
    if (phaseChanged) publish();
    else wf.setCurrentDetails(currentDetails(state));
  };
  const enter = (phase: Phase): void => set(S.setPhase(state, phase));
  const track = (p: Promise<void>): void => {
    inflight.add(p);
    void p.finally(() => {
      inflight.delete(p);
      tick++;
    });
  };

  publish();
  registerHandlers({ state: () => state, set, now, cancelAgents: (ids) => ids.forEach((id) => scopes.get(id)?.cancel()) });
  wireEvents({ state: () => state, set });
  // A lead task's child (src/workflows/lead.ts) returns its report after one session; the root alone gardens, persists and archives.
  const leads = makeLeads({ state: () => state, set, now, scopes, failure: failureFacts, cancelRequested, firstRun: !input.data.state });
  const consensus = makeConsensus({ state: () => state, set, now, scopes, agentOptions: () => agentOptions(state), failure: failureFacts });
  const gardener = leads.isChild ? NO_GARDENER : makeGardener({ state: () => state, set, now, failure: failureMessage });

  /**
   * Wait for `ready`, waking for recovery deadlines (which fall back to skip). While idle it also gardens: on
   * the timer, and when state changed what the roadmaps should say (a decision answered between sessions).
   */
  const waitFor = async (ready: () => boolean, idle: boolean): Promise<void> => {
    const wakeFor = idle ? () => ready() || gardener.changed() || sweepDue() : ready;
    for (;;) {
      const wake = nextWake(state, Date.now(), idle);
      if (!wake) await wf.condition(wakeFor);
      else if (!(await wf.condition(wakeFor, wake.ms, { summary: WAKE_SUMMARY[wake.reason] }))) {
        set(expireDecisions(state, now()));
        if (!idle) return;
        if (wake.reason === 'garden') await gardener.now('idle timer');
        continue;
      }
      if (ready()) return;
      await gardener.ifChanged();
      await sweepWorktrees();
    }
  };

  const planObjective = async (objectiveId: string): Promise<void> => {
    const objective = state.objectives.find((o) => o.id === objectiveId);
    if (!objective) return;
    try {
      const plan: PlanResult = await acts.planObjective.executeWithOptions(
        { ...PLAN_OPTIONS, summary: `planner · ${objective.id}: ${objective.description.slice(0, 80)}` },
        [planInput(state, objective)],
      );
      const planned = applyStreamPlan(state, objectiveId, plan.tasks, plan.interpretation, now(), plan.pattern);
      set(raiseBudgetDecisions(applyUsage(planned, plan.usage, { objectiveId }), now()));
    } catch (err) {
      set(onPlanFailure(state, objectiveId, failureFacts(err), now()));
    }
  };

  const runAgent = async (task: Task): Promise<void> => {
    // Seed 002 pattern 4: N agents on the task, then compare → resolve → decision (src/workflows/consensus.ts).
    if (task.consensus && wf.patched('consensus')) return consensus.run(task);
    const { name } = chooseAgent(state, task);
    const { runtime, model } = runtimeFor(state.config, task.role);
    const claimed = claimAgent(state, name, task.role, now());
    const started = S.startTask(claimed, task.id, { name, runtime, model, simulated: runtime === 'scripted' }, now());
    set(noteWorktree(started.state, task.id));
    const agent = started.agent;
    const scope = new wf.CancellationScope();
    scopes.set(agent.id, scope);
    if (leads.delegates(task) && wf.patched('delegation')) return leads.run(task, agent, scope).finally(() => scopes.delete(agent.id));
    try {
      const report: AgentReport = await scope.run(() =>
        acts.spawnAgent.executeWithOptions({ ...agentOptions(state), summary: spawnSummary(agent, task) }, [agentInput(state, agent, task)]),
      );
      set(applyFailedUsage(state, report.failedUsage, { objectiveId: task.objectiveId, taskId: task.id, agentId: agent.id }));
      const verify = verifyInput(state, task, agent, report);
      if (!verify) return set(recordAgentReport(state, task.id, agent.id, report, now()));
      set(markVerifying(state, task.id));
      const verdict: VerifyWorkResult = await scope.run(() =>
        acts.verifyWork.executeWithOptions({ ...VERIFY_OPTIONS, summary: verifySummary(task, verify.round) }, [verify]),
      );
      // Verified work in a git target is committed and merged before the task completes (issue 11).
      const land = verdict.passed ? landInput(state, state.tasks.find((t) => t.id === task.id) ?? task, agent, wf.workflowInfo().workflowId, report) : undefined;
      if (land && wf.patched('land-work')) {
        const landed: LandWorkResult = await wf.CancellationScope.nonCancellable(() => acts.landWork.executeWithOptions({ ...LAND_OPTIONS, summary: landSummary(land) }, [land]));
        return set(applyLanding(state, task.id, agent.id, report, verdict, landed, now()));
      }
      set(applyVerification(state, task.id, agent.id, report, verdict, now()));
    } catch (err) {
      // Billed, then cancelled / needs a person / failed (src/shared/on-failure.ts).
      set(onActivityFailure(state, { objectiveId: task.objectiveId, taskId: task.id, agentId: agent.id }, failureFacts(err), now()));
    } finally {
      scopes.delete(agent.id);
    }
  };

  const synthesize = async (): Promise<void> => {
    const outputs = sessionOutputs(state);
    if (!outputs.length) return;
    try {
      const result: SynthesisResult = await acts.synthesize.executeWithOptions(
        { ...PLAN_OPTIONS, summary: `synthesizer · session ${state.session}: ${outputs.length} outputs` },
        [synthesisInput(state, outputs)],
      );
      set(applyUsage(applySynthesis(state, result, now()), result.usage, {}));
    } catch (err) {
      set(applyFailedUsage(state, failureUsage(err), {}));
      // Synthesis is advice: when it fails the session still ends and the reason is kept.
      set(S.recordInsight(state, { text: `Synthesis of session ${state.session} failed: ${failureMessage(err)}`, source: 'orchestrator' }, now()));
    }
  };

  /** Remove settled tasks' worktrees (a skipped task's unlanded work is committed to its branch first); a failure is retried next run. */
  const sweepFailed = new Set<string>();
  const sweepable = () => worktreesToSweep(state).filter((i) => !sweepFailed.has(i.taskId));
  // A task settled while idle (a person's decision) has its worktree removed without waiting for a session.
  const sweepDue = (): boolean => sweepable().length > 0;
  const sweepWorktrees = async (): Promise<void> => {
    const items = sweepable();
    if (!items.length || !wf.patched('land-work-sweep')) return;
    try {
      const swept: string[] = await acts.sweepWorktrees.executeWithOptions({ ...LAND_OPTIONS, summary: `remove ${items.length} settled worktree(s)` }, [{ items }]);
      set(applySwept(state, swept));
    } catch (err) {
      items.forEach((i) => sweepFailed.add(i.taskId));
      wf.log.warn('worktrees not removed; they stay for a person', { error: failureMessage(err) });
    }
  };

  /** Move finished objectives, their tasks and answered decisions out of state (into the archive file) once state holds too many. */
  const archiveFinished = async (): Promise<void> => {
    // Runs begun before objectives and decisions were archived keep the old rule (tasks alone, 500, down to half), so their histories replay.
    const batch = archivable(state, undefined, !archiveBounded);
    if (archiveEmpty(batch) || leads.isChild) return;
    try {
      await acts.archiveTasks.executeWithOptions(
        { ...PERSIST_OPTIONS, summary: `archive ${batch.tasks.length} finished tasks${batch.objectives.length ? `, ${batch.objectives.length} objectives` : ''}` },
        [{ project: state.project, ...batch }],
      );
      set(dropArchived(state, batch));
    } catch (err) {
      wf.log.warn('archiving failed; tasks stay in state', { error: failureMessage(err) });
    }
  };

  const persistContext = leads.isChild ? async (_s: OrchestrationState): Promise<void> => undefined : makeContextPersister(
    (input) => acts.persistContext.executeWithOptions({ ...PERSIST_OPTIONS, summary: `persist context · session ${state.session}` }, [input]),
    input.data.state ? state : undefined,
  );

  // Runs begun before the history bounds keep the old rule, so their histories replay.
  const bounded = wf.patched('history-bounds');
  const archiveBounded = wf.patched('archive-objectives');
  // The state's size, measured again every 64 events (not on every check: it is O(state)).
  let measured = { at: -Infinity, bytes: 0 };
  const stateBytes = (events: number): number => {
    if (events - measured.at >= 64) measured = { at: events, bytes: JSON.stringify(state).length };
    return measured.bytes;
  };
  const rollover = (): boolean => {
    const info = wf.workflowInfo();
    const sized = bounded ? { historySize: info.historySize, stateBytes: stateBytes(info.historyLength), maxAgents: state.config.maxAgents } : {};
    return rolloverDue({ historyLength: info.historyLength, suggested: info.continueAsNewSuggested, ...sized }, state.config.continueAsNewAfterEvents);
  };

  /** Runs one session; returns false when it handed over to a fresh run midway (continue-as-new). */
  const runSession = async (continuing: boolean): Promise<boolean> => {
    if (continuing) set({ ...state, continuing: false });
    // A budget spent before this session (e.g. stop, then resume) still needs a person's answer.
    else set(raiseBudgetDecisions(S.beginSession(S.setPhase(state, 'context'), now()), now()));
    // Phase 2's roadmap health check: free stale streams and unblock satisfied ones before planning.
    if (!continuing) await gardener.now(`session ${state.session} health check`);
    while (!orchestrationSettled(state)) {
      if (rollover()) {
        // Start nothing new, let what runs finish, then carry the session into a fresh run.
        await wf.condition(() => inflight.size === 0);
        set({ ...state, continuing: true });
        return false;
      }
      await sweepWorktrees();
      await archiveFinished();
      const toPlan = objectivesToPlan(state);
      if (toPlan.length) {
        set(S.markPlanning(state, toPlan.map((o) => o.id)));
        toPlan.forEach((o) => track(planObjective(o.id)));
      }
      tasksToStart(state, state.config.mode, state.config.maxAgents).forEach((t) => track(runAgent(t)));
      const sync = gardener.ifChanged();
      if (sync) track(sync);
      enter(phaseDuringSession(state));
      const seen = tick;
      await waitFor(() => tick !== seen, false);
    }
    await wf.condition(() => inflight.size === 0);
    await sweepWorktrees();
    enter('synthesis');
    await synthesize();
    enter('preservation');
    set(settleStop(state));
    await gardener.now(`session ${state.session} preservation`);
    try {
      await persistContext(state);
    } catch (err) {
      wf.log.warn('context file not written; state is safe in the workflow', { error: failureMessage(err) });
    }
    return true;
  };

  for (;;) {
    if (!state.continuing) await waitFor(() => sessionDue(state) || rollover() || leads.stopped(), true);
    if (state.continuing || sessionDue(state)) {
      if (await runSession(state.continuing)) {
        enter(state.paused ? 'paused' : 'idle');
        if (leads.isChild && childOutcome(state) === 'return') return await leads.finish();
        continue;
      }
    } else if (leads.stopped()) return await leads.finish();
    await handOver();
  }

  /**
   * Carries the state into a fresh run. The context file catches up first, so the next run's first write is a delta
   * against it; when something changed the state while it was written (the events publisher marking a batch, a
   * signal), it is written again, so the file holds exactly the state carried over.
   */
  async function handOver(): Promise<never> {
    for (let attempt = 0; ; attempt++) {
      const written = state;
      if (wf.patched('persist-before-handover')) await persistContext(written).catch((err) => wf.log.warn('context file not written before the hand-over', { error: failureMessage(err) }));
      await wf.condition(wf.allHandlersFinished);
      // Histories from before this rule handed over whatever had changed meanwhile.
      if (written === state || attempt >= 3 || !wf.patched('handover-settled')) break;
    }
    return wf.continueAsNew<typeof orchestration>({ project: state.project, state });
  }
}

const PLAN_OPTIONS: wf.ActivityOptions = {
  taskQueue: msg.WORKFLOW_TASK_QUEUE,
  startToCloseTimeout: '10 minutes',
  // Runtimes heartbeat while a model call is in flight, so a killed worker is noticed in a minute, not ten.
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [Failure.PlanInvalid, Failure.ScenarioInvalid] },
};
// Gates run real test commands: minutes, not seconds; a failed gate is a result, so retries are for crashes.
const VERIFY_OPTIONS: wf.ActivityOptions = {
  taskQueue: msg.AGENT_TASK_QUEUE,
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  cancellationType: wf.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [Failure.InputInvalid] },
};
// Landing is a few git commands; a crash mid-way is retried and finds its own work (every step is idempotent).
const LAND_OPTIONS: wf.ActivityOptions = {
  taskQueue: msg.AGENT_TASK_QUEUE,
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: [Failure.InputInvalid] },
};
const PERSIST_OPTIONS: wf.ActivityOptions = { taskQueue: msg.WORKFLOW_TASK_QUEUE, startToCloseTimeout: '1 minute', retry: { maximumAttempts: 5 } };

function agentOptions(state: OrchestrationState): wf.ActivityOptions {
  return {
    taskQueue: msg.AGENT_TASK_QUEUE,
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '30 seconds',
    cancellationType: wf.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { maximumAttempts: state.config.maxAttempts, nonRetryableErrorTypes: [Failure.ScenarioInvalid] },
  };
}

/** A lead's child starts from a fresh state that links it to its parent and shares its roster. */
function childOrRoot(state: OrchestrationState, child: ChildStart | undefined): OrchestrationState {
  return child ? asChild(state, child) : state;
}

function newState(project: string, config: OrchestrationConfig | undefined, objectives: string[] | undefined): OrchestrationState {
  const at = now();
  let state = { ...S.initialState(project, OrchestrationConfig.parse(config ?? {}), at), resumeRequested: true };
  for (const description of objectives ?? []) state = S.addObjective(state, { description }, at).state;
  return state;
}

function rootCause(err: unknown): unknown {
  let e: unknown = err;
  while (e instanceof wf.ActivityFailure && e.cause) e = e.cause;
  return e;
}

function failureMessage(err: unknown): string {
  const e = rootCause(err);
  return (e instanceof Error ? e.message : String(e)).slice(0, 500);
}

/** The `Domain.Reason` type of the failure behind an activity error, if it has one. */
function failureType(err: unknown): string | undefined {
  const e = rootCause(err);
  return e instanceof wf.ApplicationFailure ? (e.type ?? undefined) : undefined;
}

/** What an activity's error says, read once for the failure reducers. */
function failureFacts(err: unknown): FailureFacts {
  return { cancelled: wf.isCancellation(err), type: failureType(err), message: failureMessage(err), usage: failureUsage(err) };
}

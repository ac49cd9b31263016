import * as wf from '@temporalio/workflow';
import {
  answersToForward,
  applyChildSpend,
  applyRoutedDecision,
  markForwarded,
  RoutedDecideInput,
  routedProblem,
  applyParentHold,
  ChildSpendInput,
  childEnded,
  childInput,
  childOutcome,
  childStarted,
  childWorkflowId,
  closeEndedChildMirrors,
  delegates,
  hasOpenMirrors,
  holdWanted,
  type LeadReport,
  leadReport,
  ParentHoldInput,
  type ParentHoldInput as Hold,
  recordLeadReport,
  releaseBudget,
  runningChildren,
  spendReport,
  stopChild,
} from '../shared/delegation';
import * as msg from '../shared/messages';
import { onActivityFailure, type FailureFacts } from '../shared/on-failure';
import { recordRejected } from '../shared/rejected-inputs';
import type { Agent, OrchestrationInput, OrchestrationState, Task } from '../shared/schemas';
import { describeIssues } from '../shared/zod-errors';

/** A child's cumulative spend and agent counts, sent to its parent as they change (src/shared/delegation.ts `applyChildSpend`). */
export const childSpendSignal = wf.defineSignal<[unknown]>('childSpend');
/** A parent holds its child's subtree (start nothing new) or releases it with a new budget slice. */
export const parentHoldSignal = wf.defineSignal<[unknown]>('parentHold');

/** A person's answer at the root to a decision a child raised, forwarded down to that child. */
export const routedDecideSignal = wf.defineSignal<[unknown]>('routedDecide');

/** What the lead wiring needs from the running orchestration. */
export interface LeadContext {
  state(): OrchestrationState;
  set(next: OrchestrationState): void;
  now(): string;
  /** The orchestration's cancellation scopes by agent id: a lead's child runs in its lead agent's scope, so stopping the agent cancels the child. */
  scopes: Map<string, wf.CancellationScope>;
  failure(err: unknown): FailureFacts;
  /** A child's workflow cancellation (its parent stopped it): heard as an immediate stop. */
  cancelRequested?: Promise<never>;
  /** This run started the orchestration (not a continue-as-new): a child's parent then knows its spend, zero, already. */
  firstRun: boolean;
}

type Orchestration = (input: OrchestrationInput) => Promise<LeadReport | void>;

/**
 * Seed 002's pattern 3 in the workflow: a lead task runs as a child orchestration (the same workflow type) in its
 * lead agent's scope; the child reports spend upward as it goes and returns the lead's report; a parent holds and
 * releases its children as budgets and decisions wait. Decisions are the reducers' in src/shared/delegation.ts.
 */
export function makeLeads(ctx: LeadContext) {
  const { state, set, now } = ctx;
  const parent = state().delegation?.parent;

  // Signals never throw: a bad one is recorded as a rejected input.
  const onSignal = <T>(name: string, schema: { safeParse(raw: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }, apply: (s: OrchestrationState, input: T) => OrchestrationState) =>
    (raw: unknown) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return set(recordRejected(state(), { name, reason: describeIssues(parsed.error), input: raw }, now()));
      set(apply(state(), parsed.data));
    };
  // Only this orchestration's own children report to it, and only a child hears holds: anything else is named, not applied.
  const reject = (s: OrchestrationState, name: string, reason: string, input: unknown) => recordRejected(s, { name, reason, input }, now());
  wf.setHandler(
    childSpendSignal,
    onSignal('childSpend', ChildSpendInput, (s, input) =>
      s.delegation?.children[input.taskId] ? applyChildSpend(s, input, now()) : reject(s, 'childSpend', `taskId: no child orchestration runs for ${input.taskId}`, input),
    ),
  );
  wf.setHandler(
    parentHoldSignal,
    onSignal('parentHold', ParentHoldInput, (s, input) => (parent ? applyParentHold(s, input, now()) : reject(s, 'parentHold', 'this orchestration is not a lead task\'s child', input))),
  );
  wf.setHandler(
    routedDecideSignal,
    onSignal('routedDecide', RoutedDecideInput, (s, input) => {
      const problem = routedProblem(s, input);
      return problem ? recordRejected(s, { name: 'routedDecide', reason: problem, input }, now()) : applyRoutedDecision(s, input, now());
    }),
  );

  // ---- child side: spend upward ----
  const reportKey = () => JSON.stringify(spendReport(state()));
  // A new child's parent recorded it at zero spend with no agents (childStarted), so there is nothing to tell until that
  // changes; the first report used to go out at once, costing both workflows a task while the child's plan was pending.
  let reported: string | undefined = parent && ctx.firstRun && wf.patched('child-quiet-start') ? reportKey() : undefined;
  let reporting = false;
  const reportUpward = async (link: NonNullable<typeof parent>): Promise<void> => {
    const handle = wf.getExternalWorkflowHandle(link.workflowId);
    for (;;) {
      await wf.condition(() => reportKey() !== reported);
      const key = reportKey();
      reporting = true;
      try {
        await wf.CancellationScope.nonCancellable(() => handle.signal(childSpendSignal, { taskId: link.taskId, ...spendReport(state()) }));
      } catch (err) {
        wf.log.warn('spend not reported to the parent orchestration', { error: err instanceof Error ? err.message : String(err) });
      } finally {
        reported = key;
        reporting = false;
      }
    }
  };
  // Loops that live as long as the run: a parent's cancellation must not cut them off (a child runs on after it, stopping).
  if (parent) void wf.CancellationScope.nonCancellable(() => reportUpward(parent));
  // Cancellation from the parent is an immediate stop: agents (and their children, recursively) are cancelled, the session ends, the report returns.
  ctx.cancelRequested?.catch(() => {
    const r = stopChild(state(), now());
    set(r.state);
    r.cancel.forEach((id) => ctx.scopes.get(id)?.cancel());
  });
  /** Wait until the parent has heard the latest spend (before returning or ending cancelled). */
  const flush = () => wf.CancellationScope.nonCancellable(() => wf.condition(() => !reporting && reportKey() === reported));

  // ---- parent side: hold and release children ----
  const told = new Map<string, 'held' | 'free'>();
  const wanted = (): 'held' | 'free' => (holdWanted(state()) ? 'held' : 'free');
  // A fresh run (continue-as-new) assumes its children heard the current word; a change from here on is sent.
  for (const id of runningChildren(state())) told.set(id, wanted());
  const untold = () => runningChildren(state()).filter((id) => told.get(id) !== wanted());
  const tellChildren = async (): Promise<void> => {
    for (;;) {
      await wf.condition(() => untold().length > 0);
      const word = wanted();
      await Promise.all(
        untold().map(async (taskId) => {
          told.set(taskId, word);
          const child = state().delegation?.children[taskId];
          const task = state().tasks.find((t) => t.id === taskId);
          if (!child || !task) return;
          const hold: Hold = word === 'held' ? { held: true } : { held: false, budget: releaseBudget(state(), task) };
          try {
            await wf.getExternalWorkflowHandle(child.workflowId).signal(parentHoldSignal, hold);
          } catch (err) {
            wf.log.warn('child orchestration not told', { child: child.workflowId, error: err instanceof Error ? err.message : String(err) });
          }
        }),
      );
    }
  };
  void wf.CancellationScope.nonCancellable(() => tellChildren());

  // An ended child's open mirrors close (runs from before this rule left them pending, so their histories replay).
  const closeMirrors = (taskId: string, ended: string): void => {
    if (hasOpenMirrors(state(), taskId) && wf.patched('ended-child-mirrors')) set(closeEndedChildMirrors(state(), taskId, ended, now()));
  };

  // ---- parent side: answers to mirrored decisions go down to the child that raised them ----
  const forwardAnswers = async (): Promise<void> => {
    for (;;) {
      await wf.condition(() => answersToForward(state()).length > 0);
      for (const answer of answersToForward(state())) {
        const child = state().delegation?.children[answer.taskId];
        try {
          if (child?.status === 'running') await wf.getExternalWorkflowHandle(child.workflowId).signal(routedDecideSignal, answer.input);
        } catch (err) {
          wf.log.warn('answer not forwarded to the child orchestration', { child: child?.workflowId, error: err instanceof Error ? err.message : String(err) });
        }
        set(markForwarded(state(), answer.mirrorId));
      }
    }
  };
  void wf.CancellationScope.nonCancellable(() => forwardAnswers());

  return {
    /** This orchestration is a lead's child: it returns the lead's report after its session instead of idling. */
    isChild: !!parent,
    /** Whether this task runs as a child orchestration (a lead task below the depth limit). */
    delegates: (task: Task): boolean => delegates(state(), task),
    /** Run a lead task's child orchestration in its agent's scope and record what it returns (or how it failed). */
    async run(task: Task, agent: Agent, scope: wf.CancellationScope): Promise<void> {
      const self = wf.workflowInfo().workflowId;
      const workflowId = childWorkflowId(self, task.id);
      const input = childInput(state(), task, self);
      set(childStarted(state(), task.id, workflowId, now()));
      told.set(task.id, 'free');
      try {
        const report = (await scope.run(() =>
          wf.executeChild<Orchestration>('orchestration', {
            workflowId,
            args: [input],
            taskQueue: msg.WORKFLOW_TASK_QUEUE,
            staticSummary: `${agent.name} leads · ${task.id}: ${task.mission}`.slice(0, 200),
          }),
        )) as LeadReport;
        set(recordLeadReport(state(), task.id, agent.id, report, now()));
        closeMirrors(task.id, report.stopped ? 'stopped' : 'returned');
      } catch (err) {
        const facts = ctx.failure(err);
        set(childEnded(state(), task.id, facts.cancelled ? 'stopped' : 'failed', now()));
        closeMirrors(task.id, facts.cancelled ? 'stopped' : 'failed');
        set(onActivityFailure(state(), { objectiveId: task.objectiveId, taskId: task.id, agentId: agent.id }, facts, now()));
      }
    },
    /** The child's end: the parent has heard every spend, then gets the lead's report. */
    async finish(): Promise<LeadReport> {
      await flush();
      return leadReport(state());
    },
    /** A child stopped between sessions (by its parent): it returns its report rather than rest. */
    stopped: (): boolean => !!parent && childOutcome(state()) === 'return' && (state().paused || !!state().delegation?.stopped),
  };
}

/** Whether a start input is a lead's child: a first run (`child`) or a continued one (its state links a parent). */
export function isChildInput(raw: unknown): boolean {
  const input = raw as { child?: unknown; state?: { delegation?: { parent?: unknown } } } | undefined;
  return !!input?.child || !!input?.state?.delegation?.parent;
}

/** A gardener that does nothing: a child leaves the roadmaps to the root, so two orchestrations never write them at once. */
export const NO_GARDENER = { now: async (_why: string): Promise<void> => undefined, changed: (): boolean => false, ifChanged: (): Promise<void> | undefined => undefined };

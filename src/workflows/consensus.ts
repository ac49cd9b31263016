import * as wf from '@temporalio/workflow';
import type { BatonActivities } from '../activities';
import type { AgentReport } from '../shared/activity-types';
import { spawnSummary } from '../shared/activity-inputs';
import { compareInput, consensusFailed, memberInput, recordVote, runIsLive, startConsensus, voteFailed, type ConsensusRun } from '../shared/consensus';
import { applyComparison, applyTieBreak, comparisonFailed, startTieBreak, tieBreakFailed, tieBreakInput } from '../shared/consensus-resolve';
import type { Comparison, CompareReportsResult, ConsensusAnswer } from '../shared/consensus-spec';
import { escalate } from '../shared/decisions';
import { Failure } from '../shared/failures';
import { applyFailedUsage, applyUsage } from '../shared/ledger';
import * as msg from '../shared/messages';
import { classifyFailure, type FailureFacts } from '../shared/on-failure';
import type { Agent, OrchestrationState, Task } from '../shared/schemas';

// Like synthesis: a one-shot call on the workflow queue; a bad model answer is not retried forever.
const COMPARE_OPTIONS: wf.ActivityOptions = {
  taskQueue: msg.WORKFLOW_TASK_QUEUE,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [Failure.InputInvalid, Failure.ScenarioInvalid] },
};
const acts = wf.proxyActivities<BatonActivities>(COMPARE_OPTIONS);

/** What the consensus runner needs from the running workflow. */
export interface ConsensusContext {
  state(): OrchestrationState;
  set(next: OrchestrationState): void;
  now(): string;
  /** Cancellation scopes by agent id, shared with the workflow so a stop reaches consensus members too. */
  scopes: Map<string, wf.CancellationScope>;
  agentOptions(): wf.ActivityOptions;
  failure(err: unknown): FailureFacts;
}

/** Runs consensus tasks (seed 002 pattern 4): N members on one mission → compareReports → quorum, tie-break or a person. */
export function makeConsensus(ctx: ConsensusContext) {
  const taskOf = (id: string): Task | undefined => ctx.state().tasks.find((t) => t.id === id);

  /** One agent's spawnAgent under its own scope; the report, or the error's facts. */
  const spawn = async (agent: Agent, input: () => Parameters<BatonActivities['spawnAgent']>[0]): Promise<{ report: AgentReport } | { failed: FailureFacts }> => {
    const scope = new wf.CancellationScope();
    ctx.scopes.set(agent.id, scope);
    try {
      const task = taskOf(agent.taskId);
      const report: AgentReport = await scope.run(() => acts.spawnAgent.executeWithOptions({ ...ctx.agentOptions(), summary: spawnSummary(agent, task ?? ({ id: agent.taskId, mission: agent.mission } as Task)) }, [input()]));
      ctx.set(applyFailedUsage(ctx.state(), report.failedUsage, { objectiveId: task?.objectiveId, taskId: agent.taskId, agentId: agent.id }));
      return { report };
    } catch (err) {
      return { failed: ctx.failure(err) };
    } finally {
      ctx.scopes.delete(agent.id);
    }
  };

  const cancelMembers = (run: ConsensusRun): void => run.agentIds.forEach((id) => ctx.scopes.get(id)?.cancel());

  /** Every member works the mission, at most `maxAgents` at a time (one at a time in sequential mode); the answers that came back. */
  const vote = async (run: ConsensusRun, agents: Agent[]): Promise<{ answers: ConsensusAnswer[]; failures: FailureFacts[] }> => {
    const answers: ConsensusAnswer[] = [];
    const failures: FailureFacts[] = [];
    const { mode, maxAgents } = ctx.state().config;
    const wave = mode === 'sequential' ? 1 : maxAgents;
    const member = async (agent: Agent): Promise<void> => {
      if (!runIsLive(ctx.state(), run)) return ctx.set(voteFailed(ctx.state(), run, agent.id, { cancelled: true, message: 'its consensus task stopped first' }, ctx.now()));
      const out = await spawn(agent, () => memberInput(ctx.state(), agent, taskOf(run.taskId) as Task));
      if ('failed' in out) {
        failures.push(out.failed);
        ctx.set(voteFailed(ctx.state(), run, agent.id, out.failed, ctx.now()));
      } else {
        ctx.set(recordVote(ctx.state(), run, agent.id, out.report, ctx.now()));
        const r = out.report;
        if (r.status === 'success' && r.stopReason === 'done') answers.push({ agentId: agent.id, agent: agent.name, ...(agent.model ? { model: agent.model } : {}), summary: r.summary, claims: r.claims, insights: r.insights });
      }
      // The task was stopped or completed by a person meanwhile: the other members stop too.
      if (!runIsLive(ctx.state(), run)) cancelMembers(run);
    };
    for (let i = 0; i < agents.length; i += wave) await Promise.all(agents.slice(i, i + wave).map(member));
    // Keep the members' order, whatever order they finished in.
    answers.sort((a, b) => run.agentIds.indexOf(a.agentId) - run.agentIds.indexOf(b.agentId));
    return { answers, failures };
  };

  const compare = async (run: ConsensusRun, task: Task, answers: ConsensusAnswer[]): Promise<Comparison | undefined> => {
    const input = compareInput(ctx.state(), run, answers);
    if (!input) return undefined;
    try {
      const result: CompareReportsResult = await acts.compareReports.executeWithOptions({ ...COMPARE_OPTIONS, summary: `compare ${answers.length} of ${run.agentIds.length} answers · ${task.id}` }, [input]);
      const { usage, ...comparison } = result;
      ctx.set(applyUsage(ctx.state(), usage, { objectiveId: task.objectiveId, taskId: task.id }));
      return comparison;
    } catch (err) {
      const f = ctx.failure(err);
      ctx.set(comparisonFailed(applyFailedUsage(ctx.state(), f.usage, { objectiveId: task.objectiveId, taskId: task.id }), run, answers, f.message, ctx.now()));
      return undefined;
    }
  };

  const tieBreak = async (run: ConsensusRun, comparison: Comparison): Promise<void> => {
    const started = startTieBreak(ctx.state(), run, ctx.now());
    ctx.set(started.state);
    const advisor = started.agent;
    const out = await spawn(advisor, () => tieBreakInput(ctx.state(), advisor, taskOf(run.taskId) as Task, comparison));
    if ('failed' in out) ctx.set(tieBreakFailed(ctx.state(), run, comparison, advisor.id, out.failed, ctx.now()));
    else ctx.set(applyTieBreak(ctx.state(), run, comparison, advisor.id, out.report, ctx.now()));
  };

  return {
    /** Run one consensus task to its decision (or to a person). */
    async run(task: Task): Promise<void> {
      const started = startConsensus(ctx.state(), task.id, ctx.now());
      ctx.set(started.state);
      const run = started.run;
      const { answers, failures } = await vote(run, started.agents);
      if (!runIsLive(ctx.state(), run)) return;
      if (!answers.length) {
        const needsPerson = failures.find((f) => classifyFailure(f) === 'needs-person');
        const why = failures[0]?.message ?? started.agents.map((a) => ctx.state().agents.find((x) => x.id === a.id)?.summary ?? '').filter(Boolean).join('; ');
        ctx.set(needsPerson ? escalate(ctx.state(), task.id, needsPerson.message, ctx.now()) : consensusFailed(ctx.state(), run, why || 'every member failed', ctx.now()));
        return;
      }
      const comparison = await compare(run, task, answers);
      if (!comparison) return;
      const applied = applyComparison(ctx.state(), run, comparison, ctx.now());
      ctx.set(applied.state);
      if (applied.next === 'tie-break') await tieBreak(run, comparison);
    },
  };
}

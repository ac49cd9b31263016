import { type ConsensusView, consensusView } from './consensus-view';
import { type ChildView, childrenView, hasDelegated } from './delegation-view';
import { blockedTasks, readyTasks } from './scheduler';
import { type SuccessMetrics, successMetrics } from './success-metrics';
import type { Budget, Decision, Metrics, Objective, OrchestrationConfig, OrchestrationState, Phase, RejectedInput, Spend, Task, TaskStatus } from './schemas';

/** One task as `status` shows it. */
export interface TaskView {
  id: string;
  objectiveId?: string;
  role: string;
  mission: string;
  status: TaskStatus | 'ready' | 'blocked' | 'verifying';
  dependsOn: string[];
  agent?: { id: string; name: string };
  attempts: number;
  outcome?: string;
  error?: string;
  /** What a stopped task waits for. */
  hold?: Task['hold'];
  target?: string;
  stream?: string;
  rework?: number;
  verification?: Task['verification'];
  /** A worktree kept for a person to inspect (its task failed, stopped or waits for a decision). */
  worktree?: string;
  /** A consensus task's agents and agreement (seed 002 pattern 4). */
  consensus?: ConsensusView;
}

/** The `status` query result. */
export interface StatusView {
  project: string;
  phase: Phase;
  session: number;
  paused: boolean;
  stopping?: { graceful: boolean };
  config: OrchestrationConfig;
  objectives: Objective[];
  tasks: TaskView[];
  runningAgents: { id: string; name: string; role: string; taskId: string; spawned: string; simulated: boolean }[];
  pendingDecisions: Decision[];
  metrics: Metrics;
  /** Seed 002's success metrics (agents per task, parallel execution, success, rework, decision time, continuity). */
  successMetrics: SuccessMetrics;
  /** The named agents: role, work done and spend. */
  team: { name: string; role: string; tasksCompleted: number; spent: Spend }[];
  spent: Spend;
  budget: Budget;
  /** Finished tasks moved out of state into `<project>/archive.jsonl`. */
  archived: OrchestrationState['archived'];
  /** The last roadmap health check, when targets are configured. */
  roadmap?: OrchestrationState['roadmap'];
  /** Bad signals that were recorded instead of applied, most recent last. */
  rejectedInputs: RejectedInput[];
  /** The latest insights (imported ones keep their category). */
  insights: { text: string; source: string; category?: string }[];
  /** What the context file this orchestration was imported from held beyond objectives and tasks. */
  imported?: OrchestrationState['imported'];
  /** Lead tasks' child orchestrations: status, spend, and the agents working in each now (src/shared/delegation-view.ts). */
  children?: ChildView[];
}

/** Build the `status` view: tasks annotated as ready or blocked where that is what a person needs to know. */
export function statusView(state: OrchestrationState): StatusView {
  const ready = new Set(readyTasks(state).map((t) => t.id));
  const blocked = new Set(blockedTasks(state).map((b) => b.task.id));
  const agents = new Map(state.agents.map((a) => [a.id, a]));
  return {
    project: state.project,
    phase: state.phase,
    session: state.session,
    paused: state.paused,
    stopping: state.stop ? { graceful: state.stop.graceful } : undefined,
    config: state.config,
    objectives: state.objectives,
    tasks: state.tasks.map((t) => {
      const agent = t.agentId ? agents.get(t.agentId) : undefined;
      return {
        id: t.id,
        objectiveId: t.objectiveId,
        role: t.role,
        mission: t.mission,
        status: t.verifying && t.status === 'running' ? 'verifying' : ready.has(t.id) ? 'ready' : blocked.has(t.id) ? 'blocked' : t.status,
        dependsOn: t.dependsOn,
        agent: agent ? { id: agent.id, name: agent.name } : undefined,
        attempts: t.attempts,
        outcome: t.outcome,
        error: t.error,
        ...(t.hold ? { hold: t.hold } : {}),
        ...(t.target ? { target: t.target } : {}),
        ...(t.stream ? { stream: t.stream } : {}),
        ...(t.rework ? { rework: t.rework } : {}),
        ...(t.verification ? { verification: t.verification } : {}),
        ...(t.landing?.worktree && t.status !== 'running' && t.status !== 'completed' ? { worktree: t.landing.worktree } : {}),
        ...(t.consensus ? { consensus: consensusView(state, t) } : {}),
      };
    }),
    runningAgents: state.agents
      .filter((a) => a.status === 'running')
      .map((a) => ({ id: a.id, name: a.name, role: a.role, taskId: a.taskId, spawned: a.spawned, simulated: a.simulated })),
    pendingDecisions: state.decisions.filter((d) => d.status === 'pending'),
    metrics: state.metrics,
    successMetrics: successMetrics(state),
    team: Object.values(state.roster).map((p) => ({ name: p.name, role: p.role, tasksCompleted: p.tasksCompleted, spent: p.spent })),
    spent: state.spent,
    budget: state.config.budget,
    archived: state.archived,
    ...(state.roadmap ? { roadmap: state.roadmap } : {}),
    rejectedInputs: state.rejectedInputs ?? [],
    insights: state.insights.slice(-10).map((i) => ({ text: i.text, source: i.source, ...(i.category ? { category: i.category } : {}) })),
    ...(state.imported ? { imported: state.imported } : {}),
    ...(hasDelegated(state) ? { children: childrenView(state) } : {}),
  };
}

const PHASE_TITLES: Record<Phase, string> = {
  context: '1 Context establishment',
  planning: '2 Strategic planning',
  orchestrating: '3 Agent orchestration',
  synthesis: '4 Synthesis & decision',
  preservation: '5 State preservation',
  idle: 'Idle — waiting for objectives',
  paused: 'Paused — waiting for resume',
};

/** Short markdown for the Temporal UI's current details: phase, counts and running agents. */
export function currentDetails(state: OrchestrationState): string {
  // One pass over the tasks: this runs on every state change.
  const counts: Partial<Record<TaskStatus, number>> = {};
  for (const t of state.tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  const count = (s: TaskStatus) => counts[s] ?? 0;
  const lines = [
    `**${state.project}** · session ${state.session} · ${PHASE_TITLES[state.phase]}`,
    '',
    '| pending | running | completed | failed | stopped |',
    '|---|---|---|---|---|',
    `| ${count('pending')} | ${count('running')} | ${count('completed')} | ${count('failed')} | ${count('stopped')} |`,
  ];
  const running = state.agents.filter((a) => a.status === 'running');
  if (running.length) {
    lines.push('', '| agent | role | task |', '|---|---|---|');
    for (const a of running.slice(0, 10)) lines.push(`| ${a.name} (${a.id}) | ${a.role} | ${a.taskId} |`);
  }
  return lines.join('\n');
}

/** Human title of a phase. */
export function phaseTitle(phase: Phase): string {
  return PHASE_TITLES[phase];
}

import type { BudgetView, PlanObjectiveInput, SpawnAgentInput, SynthesizeInput } from './activity-types';
import { agentBudget, budgetView } from './ledger';
import { runtimeFor } from './roles';
import { memoryView } from './roster';
import { runningTasks } from './scheduler';
import { heldStreams } from './streams';
import { type Target, taskTarget } from './targets';
import { taskWorktree } from './worktrees';
import type { Agent, Objective, OrchestrationState, Phase, Task } from './schemas';

/** How much recent context a prompt gets: enough to steer, small enough for history. */
const RECENT = 20;
/** Outputs one synthesis call sees at most. */
const MAX_SYNTHESIS_OUTPUTS = 100;

/** `planObjective` input: the objective plus compact context. */
export function planInput(state: OrchestrationState, objective: Objective): PlanObjectiveInput {
  return {
    project: state.project,
    ...runtimeFor(state.config, 'planner'),
    objective: { id: objective.id, description: objective.description },
    context: {
      completedTasks: state.tasks
        .filter((t) => t.status === 'completed')
        .slice(-RECENT)
        .map((t) => `${t.id} ${t.mission.slice(0, 120)} → ${(t.outcome ?? '').slice(0, 160)}`),
      insights: state.insights.slice(-RECENT).map((i) => i.text.slice(0, 200)),
    },
    ...(state.config.targets.length ? { targets: state.config.targets, held: heldStreams(state) } : {}),
    ...(objective.streams ? { streams: objective.streams } : {}),
    ...withBudget(budgetView(state, { objectiveId: objective.id })),
  };
}

/** `{ budget }` when there is a limit, else nothing (inputs stay as they were without budgets). */
const withBudget = (budget: BudgetView | undefined) => (budget ? { budget } : {});

/** `spawnAgent` input: the task, its objective and its dependencies' outputs. */
export function agentInput(state: OrchestrationState, agent: Agent, task: Task): SpawnAgentInput {
  const objective = state.objectives.find((o) => o.id === task.objectiveId);
  const deps = state.tasks.filter((t) => task.dependsOn.includes(t.id));
  return {
    project: state.project,
    ...runtimeFor(state.config, task.role),
    agent: { id: agent.id, name: agent.name, role: agent.role },
    task: { id: task.id, key: task.key, mission: task.mission, successCriteria: task.successCriteria, ...(task.stream ? { stream: task.stream } : {}) },
    objective: objective ? { id: objective.id, description: objective.description } : undefined,
    inputs: deps.map((d) => ({ taskId: d.id, role: d.role, summary: d.outcome ?? '', artifacts: readableArtifacts(d, task) })),
    memory: memoryView(state.roster[agent.name]),
    sharedContext: state.insights.slice(-RECENT).map((i) => i.text.slice(0, 200)),
    budget: agentBudget(state, task),
    ...targetOf(state, task),
    // Rework rounds carry verification's failures; a fresh agent under the retry policy (round 0) gets why the last one failed.
    ...(task.feedback?.length && (task.rework || task.freshAgents) ? { rework: { round: task.rework ?? 0, failures: task.feedback } } : {}),
  };
}

/** A dependency's files this task's agent can read: none from another repository, and no verification artifacts (store ids, not files). */
function readableArtifacts(dep: Task, task: Task): string[] {
  if (dep.target !== task.target) return [];
  const verification = new Set(dep.verification?.artifacts ?? []);
  return dep.artifacts.filter((a) => !verification.has(a));
}

function targetOf(state: OrchestrationState, task: Task): Pick<SpawnAgentInput, 'target'> {
  const target = taskTarget(state.config, task);
  if (!target) return {};
  const identity = { ...(target.identity ? { identity: target.identity } : {}), ...targetPrompts(target, task) };
  // A target whose work lands in git gives each task its own worktree (made by spawnAgent from the integration head).
  const tree = taskWorktree(state, task);
  const branch = target.git?.integrationBranch;
  if (tree && branch) {
    const worktree = { repo: target.path, branch: tree.branch, integrationBranch: branch, owner: `${state.project}/${task.id}` };
    return { target: { name: target.name, path: tree.path, ...identity, worktree } };
  }
  return { target: { name: target.name, path: target.path, ...identity } };
}

/** What targets.yaml gives a task's agent besides identity: the description, conventions, and its role's prompt file. */
function targetPrompts(target: Target, task: Task): Pick<NonNullable<SpawnAgentInput['target']>, 'description' | 'conventions' | 'rolePrompt'> {
  const role = task.role === 'developer' && target.coderAgent ? { file: target.coderAgent, from: 'coder_agent' as const } : task.role === 'reviewer' && target.pmAgent ? { file: target.pmAgent, from: 'pm_agent' as const } : undefined;
  return {
    ...(target.description ? { description: target.description } : {}),
    ...(target.conventions ? { conventions: target.conventions } : {}),
    ...(role ? { rolePrompt: role } : {}),
  };
}

/** `synthesize` input: this session's finished outputs. */
export function synthesisInput(state: OrchestrationState, outputs: Task[]): SynthesizeInput {
  const agents = new Map(state.agents.map((a) => [a.id, a]));
  return {
    project: state.project,
    ...runtimeFor(state.config, 'synthesizer'),
    session: state.session,
    ...withBudget(budgetView(state, { objectiveId: '' })),
    objectives: state.objectives.map((o) => ({ id: o.id, description: o.description, status: o.status })),
    // The latest outputs are enough to synthesize from, and keep the activity input small.
    outputs: outputs.slice(-MAX_SYNTHESIS_OUTPUTS).map((t) => {
      const agent = t.agentId ? agents.get(t.agentId) : undefined;
      const insights = state.insights.filter((i) => i.taskId === t.id).map((i) => i.text);
      return {
        taskId: t.id,
        objectiveId: t.objectiveId,
        role: t.role,
        agentName: agent?.name ?? 'person',
        status: t.status === 'failed' ? 'failed' : 'completed',
        summary: (t.status === 'failed' ? t.error : t.outcome)?.slice(0, 500) ?? '',
        claims: [],
        insights,
      };
    }),
  };
}

/** The one-line summary the Temporal UI shows on an agent's activity. */
export function spawnSummary(agent: Agent, task: Task): string {
  const label = agent.simulated ? ' [simulated]' : '';
  return `${agent.name} (${agent.role})${label} · ${task.id}: ${task.mission}`.slice(0, 200);
}

/** During a session: planning while only planners work, orchestrating once agents run. */
export function phaseDuringSession(state: OrchestrationState): Phase {
  const planning = state.objectives.some((o) => o.status === 'planning');
  return planning && runningTasks(state).length === 0 ? 'planning' : 'orchestrating';
}

import type { AgentReport, MemoryView } from './activity-types';
import { agentName } from './names';
import type { AgentMemory, AgentProfile, OrchestrationState, Task } from './schemas';
import { NO_SPEND } from './schemas';
import { byId } from './by-id';
import { limitsOf } from './limits';

/**
 * How much of each memory kind an agent keeps: enough to steer, small enough for a prompt and history. Its work
 * history keeps `history` entries in states without limits, else the state's `limitsOf().agentHistory`.
 */
export const MEMORY_LIMITS = { insights: 20, notes: 20, relationships: 10, preferences: 10, reflections: 10, history: 20 } as const;

const EMPTY_MEMORY: AgentMemory = { insights: [], notes: [], relationships: [], preferences: [], reflections: [] };

const STOP_WORDS = new Set(['the', 'and', 'for', 'with', 'from', 'into', 'that', 'this', 'what', 'write', 'site', 'page']);

/** Content words of a mission, for matching related work. */
export function keywords(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 3 && !STOP_WORDS.has(w)),
  );
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n;
}

/**
 * Who takes a task: the idle agent of its role with the most related experience (ties: more work done,
 * then the earliest claimed); a new name from the role's pool when every agent of the role is busy.
 */
export function chooseAgent(state: OrchestrationState, task: Task): { name: string; isNew: boolean } {
  const busy = new Set(state.agents.filter((a) => a.status === 'running').map((a) => a.name));
  // Rework goes back to the agent who did the work; a retry under the recovery policy never does.
  if (task.preferredAgent && state.roster[task.preferredAgent] && !busy.has(task.preferredAgent)) return { name: task.preferredAgent, isNew: false };
  const excluded = new Set(task.excludeAgents ?? []);
  const words = keywords(task.mission);
  const idle = Object.values(state.roster)
    .filter((p) => p.role === task.role && !busy.has(p.name) && !excluded.has(p.name))
    .map((p) => ({ p, score: overlap(words, keywords(p.history.map((h) => h.mission).join(' '))) }))
    .sort((x, y) => y.score - x.score || y.p.tasksCompleted - x.p.tasksCompleted || x.p.claimed.localeCompare(y.p.claimed));
  const best = idle[0];
  if (best) return { name: best.p.name, isNew: false };
  const taken = new Set(Object.keys(state.roster));
  let index = Object.values(state.roster).filter((p) => p.role === task.role).length;
  while (taken.has(agentName(task.role, index)) || excluded.has(agentName(task.role, index))) index++;
  return { name: agentName(task.role, index), isNew: true };
}

/** Add a named agent to the roster (no-op when it is already there). */
export function claimAgent(state: OrchestrationState, name: string, role: Task['role'], now: string): OrchestrationState {
  if (state.roster[name]) return state;
  const profile: AgentProfile = { name, role, claimed: now, memory: EMPTY_MEMORY, history: [], tasksCompleted: 0, spent: NO_SPEND };
  return { ...state, roster: { ...state.roster, [name]: profile } };
}

const keep = <T>(items: T[], limit: number): T[] => items.slice(-limit);

/** After a completed task: the agent remembers the work, what it learned, and whose work it built on. */
export function rememberWork(state: OrchestrationState, name: string, task: Task, report: AgentReport, now: string): OrchestrationState {
  const profile = state.roster[name];
  if (!profile) return state;
  const builtOn = [
    ...new Set(
      state.tasks
        .filter((t) => task.dependsOn.includes(t.id) && t.agentId)
        .map((t) => byId(state.agents, t.agentId)?.name)
        .filter((n): n is string => !!n && n !== name),
    ),
  ];
  const relationships = [
    ...profile.memory.relationships.filter((r) => !builtOn.includes(r.agent)),
    ...builtOn.map((agent) => ({ agent, note: `built on ${agent}'s work for ${task.id}` })),
  ];
  const memory: AgentMemory = {
    ...profile.memory,
    insights: keep([...profile.memory.insights, ...report.insights], MEMORY_LIMITS.insights),
    reflections: keep([...profile.memory.reflections, ...report.reflections], MEMORY_LIMITS.reflections),
    relationships: keep(relationships, MEMORY_LIMITS.relationships),
  };
  const entry = { taskId: task.id, objectiveId: task.objectiveId, mission: task.mission.slice(0, 200), outcome: report.summary.slice(0, 200), completed: now };
  return {
    ...state,
    roster: {
      ...state.roster,
      [name]: { ...profile, memory, history: keep([...profile.history, entry], limitsOf(state).agentHistory), tasksCompleted: profile.tasksCompleted + 1 },
    },
  };
}

/** A person adds to one agent's memory (seed 003: insight, note, preference, reflection). */
export function rememberNote(
  state: OrchestrationState,
  name: string,
  kind: 'insight' | 'note' | 'preference' | 'reflection',
  text: string,
): OrchestrationState {
  const profile = state.roster[name];
  if (!profile) return state;
  const field = ({ insight: 'insights', note: 'notes', preference: 'preferences', reflection: 'reflections' } as const)[kind];
  const memory = { ...profile.memory, [field]: keep([...profile.memory[field], text], MEMORY_LIMITS[field]) };
  return { ...state, roster: { ...state.roster, [name]: { ...profile, memory } } };
}

/** The compact memory an agent's prompt gets. */
export function memoryView(profile: AgentProfile | undefined): MemoryView | undefined {
  if (!profile) return undefined;
  return {
    ...profile.memory,
    history: profile.history.slice(-8).map((h) => `${h.taskId} ${h.mission.slice(0, 100)} → ${h.outcome.slice(0, 120)}`),
  };
}

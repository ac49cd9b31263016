import { agentReport, finishRunning, freshState, minute, planObjective, plannedTask, spawnChosen, taskOf } from '../support/reducers';
import { agentName } from '../../src/shared/names';
import { chooseAgent, claimAgent, MEMORY_LIMITS, memoryView, rememberNote, rememberWork } from '../../src/shared/roster';
import { NO_SPEND, type AgentProfile, type OrchestrationState, type Role, type Task } from '../../src/shared/schemas';
import { startTask } from '../../src/shared/state';
import { profileOf } from '../support/state-items';

const researcher = (name: string, extra: { missions?: string[]; tasksCompleted?: number; claimed?: string } = {}): AgentProfile => ({
  name,
  role: 'researcher',
  claimed: extra.claimed ?? minute(0),
  memory: { insights: [], notes: [], relationships: [], preferences: [], reflections: [] },
  history: (extra.missions ?? []).map((mission, i) => ({ taskId: `TASK_${900 + i}`, mission, outcome: 'ok', completed: minute(0) })),
  tasksCompleted: extra.tasksCompleted ?? (extra.missions ?? []).length,
  spent: NO_SPEND,
});
const withRoster = (...profiles: AgentProfile[]): OrchestrationState => ({
  ...planObjective(freshState(), [plannedTask('pricing', { role: 'researcher', mission: 'Compare competitor pricing tiers' })]),
  roster: Object.fromEntries(profiles.map((p) => [p.name, p])),
});
const theTask = (s: OrchestrationState, id = 'TASK_001'): Task => taskOf(s, id);
/** A running agent with this name (busy), on a throwaway task. */
const busy = (s: OrchestrationState, ...names: string[]): OrchestrationState =>
  names.reduce((acc, name) => {
    const planned = planObjective(acc, [plannedTask(`busy-${name.toLowerCase().replace(/\W/g, '')}`, { role: 'researcher' })]);
    return startTask(planned, `TASK_${String(planned.counters.task).padStart(3, '0')}`, { name, runtime: 'scripted', simulated: true }, minute(1)).state;
  }, s);

describe('chooseAgent', () => {
  it('names the first agent of a role from its pool when the roster is empty', () => {
    expect(chooseAgent(withRoster(), theTask(withRoster()))).toEqual({ name: agentName('researcher', 0), isNew: true });
  });

  it('prefers the idle agent whose past missions share the most words with the task, over one with more work done', () => {
    const s = withRoster(
      researcher('Aria', { missions: ['Survey onboarding emails', 'Audit onboarding checklist', 'Interview users'] }),
      researcher('Sage', { missions: ['Research competitor pricing pages'] }),
    );
    expect(chooseAgent(s, theTask(s))).toEqual({ name: 'Sage', isNew: false });
  });

  it('breaks a tie in experience by more tasks completed, then by who was claimed first', () => {
    const byWork = withRoster(researcher('Aria', { tasksCompleted: 1 }), researcher('Sage', { tasksCompleted: 4 }));
    expect(chooseAgent(byWork, theTask(byWork)).name).toBe('Sage');
    const byAge = withRoster(researcher('Aria', { claimed: minute(5) }), researcher('Sage', { claimed: minute(2) }));
    expect(chooseAgent(byAge, theTask(byAge)).name).toBe('Sage');
  });

  it('skips a busy agent however experienced, and ignores agents of other roles', () => {
    const s = withRoster(researcher('Aria', { missions: ['competitor pricing tiers'] }), researcher('Sage'), { ...researcher('Forge'), role: 'developer' as Role });
    expect(chooseAgent(busy(s, 'Aria'), theTask(s))).toEqual({ name: 'Sage', isNew: false });
    expect(chooseAgent(busy(s, 'Aria', 'Sage'), theTask(s))).toEqual({ name: agentName('researcher', 2), isNew: true });
  });

  it('never hands out a name already on the roster, wrapping the pool with a number', () => {
    const gap = busy(withRoster(researcher('Aria'), researcher('Quinn')), 'Aria', 'Quinn');
    expect(chooseAgent(gap, theTask(gap)).name).toBe('Iris');
    const pool = Array.from({ length: 8 }, (_, i) => agentName('researcher', i));
    const full = busy(withRoster(...pool.map((n) => researcher(n))), ...pool);
    expect(chooseAgent(full, theTask(full))).toEqual({ name: 'Aria 2', isNew: true });
  });

  it('reuses the same agent for sequential work and a second name for parallel work', () => {
    let s = planObjective(freshState(), [plannedTask('a'), plannedTask('b'), plannedTask('c')]);
    s = finishRunning(spawnChosen(s, 'TASK_001'), 'TASK_001', agentReport('a'), minute(2));
    s = spawnChosen(spawnChosen(s, 'TASK_002'), 'TASK_003');
    expect(s.agents.map((a) => a.name)).toEqual(['Forge', 'Forge', 'Byte']);
    expect(Object.keys(s.roster)).toEqual(['Forge', 'Byte']);
  });
});

describe('chooseAgent for rework and retries', () => {
  const experienced = () => withRoster(researcher('Aria'), researcher('Sage', { missions: ['competitor pricing tiers'], tasksCompleted: 5 }));

  it('gives rework back to the preferred agent over a more experienced idle one', () => {
    const s = experienced();
    expect(chooseAgent(s, { ...theTask(s), preferredAgent: 'Aria' })).toEqual({ name: 'Aria', isNew: false });
  });

  it('falls back to the usual choice when the preferred agent is busy or not on the roster', () => {
    const s = experienced();
    expect(chooseAgent(busy(s, 'Aria'), { ...theTask(s), preferredAgent: 'Aria' })).toEqual({ name: 'Sage', isNew: false });
    expect(chooseAgent(s, { ...theTask(s), preferredAgent: 'Nobody' })).toEqual({ name: 'Sage', isNew: false });
  });

  it('never picks an excluded agent, however experienced, nor a new name that was excluded', () => {
    const s = experienced();
    expect(chooseAgent(s, { ...theTask(s), excludeAgents: ['Sage'] })).toEqual({ name: 'Aria', isNew: false });
    expect(chooseAgent(s, { ...theTask(s), excludeAgents: ['Sage', 'Aria'] })).toEqual({ name: 'Quinn', isNew: true });
    const empty = withRoster();
    expect(chooseAgent(empty, { ...theTask(empty), excludeAgents: ['Aria', 'Sage'] })).toEqual({ name: 'Quinn', isNew: true });
  });
});

describe('claimAgent', () => {
  it('adds a named agent with empty memory and no spend, and leaves an existing one untouched', () => {
    const s = claimAgent(freshState(), 'Aria', 'researcher', minute(3));
    expect(profileOf(s, 'Aria')).toEqual({
      name: 'Aria',
      role: 'researcher',
      claimed: minute(3),
      memory: { insights: [], notes: [], relationships: [], preferences: [], reflections: [] },
      history: [],
      tasksCompleted: 0,
      spent: NO_SPEND,
    });
    expect(claimAgent(s, 'Aria', 'researcher', minute(9))).toBe(s);
  });
});

describe('rememberWork', () => {
  /** TASK_003 depends on TASK_001 and TASK_002; each done by a chosen agent. */
  const chain = (roles: [Role, Role, Role]) => {
    let s = planObjective(freshState(), [
      plannedTask('a', { role: roles[0] }),
      plannedTask('b', { role: roles[1] }),
      plannedTask('c', { role: roles[2], dependsOn: ['a', 'b'], mission: 'Write the pricing summary' }),
    ]);
    s = finishRunning(spawnChosen(s, 'TASK_001'), 'TASK_001', agentReport('a'), minute(2));
    s = finishRunning(spawnChosen(s, 'TASK_002'), 'TASK_002', agentReport('b'), minute(2));
    return spawnChosen(s, 'TASK_003');
  };
  const report = agentReport('summary done', { insights: ['tiers hide fees'], reflections: ['check sources first'] });

  it('records the task in history, counts it, and keeps the insights and reflections', () => {
    const s = chain(['researcher', 'analyst', 'developer']);
    const p = profileOf(rememberWork(s, 'Forge', theTask(s, 'TASK_003'), report, minute(4)), 'Forge');
    expect(p.history).toEqual([{ taskId: 'TASK_003', objectiveId: 'OBJ_001', mission: 'Write the pricing summary', outcome: 'summary done', completed: minute(4) }]);
    expect(p.tasksCompleted).toBe(1);
    expect(p.memory).toMatchObject({ insights: ['tiers hide fees'], reflections: ['check sources first'] });
  });

  it("remembers whose work it built on from the dependencies' agents, not itself", () => {
    const s = chain(['researcher', 'developer', 'developer']);
    const p = profileOf(rememberWork(s, 'Forge', theTask(s, 'TASK_003'), report, minute(4)), 'Forge');
    expect(p.memory.relationships).toEqual([{ agent: 'Aria', note: "built on Aria's work for TASK_003" }]);
  });

  it('remembers an agent it built on twice in one task as one relationship', () => {
    const s = chain(['researcher', 'researcher', 'developer']);
    const p = profileOf(rememberWork(s, 'Forge', theTask(s, 'TASK_003'), report, minute(4)), 'Forge');
    expect(p.memory.relationships).toEqual([{ agent: 'Aria', note: "built on Aria's work for TASK_003" }]);
  });

  it('replaces an older relationship with the same agent by the latest', () => {
    let s = chain(['researcher', 'analyst', 'developer']);
    s = rememberWork(s, 'Forge', theTask(s, 'TASK_003'), report, minute(4));
    s = rememberWork(s, 'Forge', { ...theTask(s, 'TASK_003'), id: 'TASK_009' }, report, minute(5));
    expect(profileOf(s, 'Forge').memory.relationships).toEqual([
      { agent: 'Aria', note: "built on Aria's work for TASK_009" },
      { agent: 'Atlas', note: "built on Atlas's work for TASK_009" },
    ]);
  });

  it('keeps only the most recent history, insights and reflections, and truncates long missions', () => {
    const s = chain(['researcher', 'analyst', 'developer']);
    const task = { ...theTask(s, 'TASK_003'), mission: 'm'.repeat(500) };
    const many = Array.from({ length: MEMORY_LIMITS.history + 3 }, (_, i) => i);
    const after = many.reduce(
      (acc, i) => rememberWork(acc, 'Forge', { ...task, id: `TASK_${100 + i}` }, agentReport(`r${i}`, { insights: [`i${i}`], reflections: [`f${i}`] }), minute(i)),
      s,
    );
    const p = profileOf(after, 'Forge');
    expect(p.tasksCompleted).toBe(many.length);
    expect(p.history).toHaveLength(MEMORY_LIMITS.history);
    expect(p.history[0]?.taskId).toBe('TASK_103');
    expect(p.history[0]?.mission).toHaveLength(200);
    expect(p.memory.insights).toHaveLength(MEMORY_LIMITS.insights);
    expect(p.memory.insights.at(-1)).toBe(`i${many.length - 1}`);
    expect(p.memory.reflections).toEqual(many.slice(-MEMORY_LIMITS.reflections).map((i) => `f${i}`));
  });

  it('does nothing for a name not on the roster', () => {
    const s = chain(['researcher', 'analyst', 'developer']);
    expect(rememberWork(s, 'Nobody', theTask(s, 'TASK_003'), report, minute(4))).toBe(s);
  });
});

describe('rememberNote', () => {
  it("puts each kind of note into its own part of the agent's memory, keeping the latest", () => {
    let s = claimAgent(freshState(), 'Aria', 'researcher', minute(0));
    s = rememberNote(s, 'Aria', 'insight', 'users skim');
    s = rememberNote(s, 'Aria', 'note', 'ask Grace');
    s = rememberNote(s, 'Aria', 'preference', 'tables over prose');
    s = rememberNote(s, 'Aria', 'reflection', 'too verbose');
    expect(profileOf(s, 'Aria').memory).toEqual({
      insights: ['users skim'],
      notes: ['ask Grace'],
      relationships: [],
      preferences: ['tables over prose'],
      reflections: ['too verbose'],
    });
    for (let i = 0; i < MEMORY_LIMITS.preferences + 2; i++) s = rememberNote(s, 'Aria', 'preference', `p${i}`);
    expect(profileOf(s, 'Aria').memory.preferences).toHaveLength(MEMORY_LIMITS.preferences);
    expect(profileOf(s, 'Aria').memory.preferences[0]).toBe('p2');
  });

  it('ignores a note for an agent that is not on the roster', () => {
    const s = freshState();
    expect(rememberNote(s, 'Aria', 'note', 'x')).toBe(s);
  });
});

describe('memoryView', () => {
  it('is undefined for an unknown agent', () => {
    expect(memoryView(undefined)).toBeUndefined();
  });

  it('shows the memory and the last eight tasks as one line each', () => {
    const missions = Array.from({ length: 10 }, (_, i) => `mission ${i}`);
    const view = memoryView({ ...researcher('Aria', { missions }), memory: { ...researcher('Aria').memory, notes: ['ask Grace'] } });
    expect(view?.notes).toEqual(['ask Grace']);
    expect(view?.history).toHaveLength(8);
    expect(view?.history[0]).toBe('TASK_902 mission 2 → ok');
    expect(view?.history.at(-1)).toBe('TASK_909 mission 9 → ok');
  });
});

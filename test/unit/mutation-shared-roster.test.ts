import { chooseAgent, keywords, memoryView, rememberWork } from '../../src/shared/roster';
import { type AgentMemory, type AgentProfile, NO_SPEND, type OrchestrationState } from '../../src/shared/schemas';
import { agentReport, minute } from '../support/reducers';
import { agentItem, profileOf, stateWith, taskItem } from '../support/state-items';

// The roster's matching words, whose work an agent remembers building on, and the cuts of its history lines.
// Every state is built inside its test.

const memory = (extra: Partial<AgentMemory> = {}): AgentMemory => ({ insights: [], notes: [], relationships: [], preferences: [], reflections: [], ...extra });
const profile = (name: string, extra: Partial<AgentProfile> = {}): AgentProfile => ({
  name,
  role: 'researcher',
  claimed: minute(0),
  memory: memory(),
  history: [],
  tasksCompleted: 0,
  spent: NO_SPEND,
  ...extra,
});
const did = (...missions: string[]): AgentProfile['history'] => missions.map((mission, i) => ({ taskId: `TASK_${900 + i}`, mission, outcome: 'ok', completed: minute(0) }));

describe('keywords', () => {
  it('keeps only words longer than three letters that are not stop words, lower-cased', () => {
    expect(keywords('Write the API docs, with EXAMPLES for this site page and from into what that')).toEqual(new Set(['docs', 'examples']));
  });

  it('splits on any run of characters other than letters and digits', () => {
    expect(keywords('pricing--tiers / v2 (2024) schema.json')).toEqual(new Set(['pricing', 'tiers', '2024', 'schema', 'json']));
  });
});

describe('chooseAgent by related experience', () => {
  it('counts the last word of one past mission and the first of the next as two words', () => {
    const task = taskItem('TASK_001', { role: 'researcher', mission: 'Compare competitor pricing tiers' });
    const s = stateWith({
      tasks: [task],
      roster: {
        // Two shared words, but only when the missions are read as separate words ("pricing", "tiers").
        Aria: profile('Aria', { history: did('Study pricing', 'tiers of rivals'), tasksCompleted: 2 }),
        Sage: profile('Sage', { history: did('Compare vendors'), tasksCompleted: 1 }),
      },
    });
    expect(chooseAgent(s, task)).toEqual({ name: 'Aria', isNew: false });
  });

  it('does not count shared stop words or short words as related experience', () => {
    const task = taskItem('TASK_001', { role: 'researcher', mission: 'Write the API page for this site' });
    const s = stateWith({
      tasks: [task],
      roster: {
        Aria: profile('Aria', { claimed: minute(1), history: did('Write the API page for this site') }),
        Sage: profile('Sage', { claimed: minute(2), history: did('Gather logs') }),
      },
    });
    // No content word in common for either: the tie goes to more work done (equal), then who was claimed first.
    expect(chooseAgent(s, task)).toEqual({ name: 'Aria', isNew: false });
    const later = stateWith({ tasks: [task], roster: { Aria: profile('Aria', { claimed: minute(3), history: did('Write the API page for this site') }), Sage: profile('Sage', { claimed: minute(2), history: did('Gather logs') }) } });
    expect(chooseAgent(later, task)).toEqual({ name: 'Sage', isNew: false });
  });
});

describe('rememberWork', () => {
  /** TASK_003 (Ada's) depends on TASK_001 (Forge's) only; TASK_002 (Byte's) is unrelated; TASK_004 has no agent. */
  const team = (adaMemory: AgentMemory = memory()): OrchestrationState =>
    stateWith({
      tasks: [
        taskItem('TASK_001', { status: 'completed', agentId: 'AGENT_0001' }),
        taskItem('TASK_002', { status: 'completed', agentId: 'AGENT_0002' }),
        taskItem('TASK_003', { status: 'running', agentId: 'AGENT_0003', dependsOn: ['TASK_001', 'TASK_004'] }),
        taskItem('TASK_004', { status: 'completed' }),
      ],
      agents: [
        agentItem('AGENT_0001', { name: 'Forge', taskId: 'TASK_001', status: 'completed' }),
        agentItem('AGENT_0002', { name: 'Byte', taskId: 'TASK_002', status: 'completed' }),
        agentItem('AGENT_0003', { name: 'Ada', taskId: 'TASK_003' }),
      ],
      roster: { Ada: profile('Ada', { role: 'developer', memory: adaMemory }) },
    });

  it('remembers building only on the agents of its dependencies, not on other agents of the orchestration', () => {
    const s = team();
    const p = profileOf(rememberWork(s, 'Ada', s.tasks[2]!, agentReport('done'), minute(4)), 'Ada');
    expect(p.memory.relationships).toEqual([{ agent: 'Forge', note: "built on Forge's work for TASK_003" }]);
  });

  it('keeps its earlier relationships with other agents, before the new ones', () => {
    const s = team(memory({ relationships: [{ agent: 'Quill', note: 'reviewed by Quill for TASK_000' }] }));
    const p = profileOf(rememberWork(s, 'Ada', s.tasks[2]!, agentReport('done'), minute(4)), 'Ada');
    expect(p.memory.relationships).toEqual([
      { agent: 'Quill', note: 'reviewed by Quill for TASK_000' },
      { agent: 'Forge', note: "built on Forge's work for TASK_003" },
    ]);
  });

  it("cuts the outcome in the agent's history to the summary's first 200 characters", () => {
    const s = team();
    const summary = `${'a'.repeat(200)}${'b'.repeat(50)}`;
    const p = profileOf(rememberWork(s, 'Ada', s.tasks[2]!, agentReport(summary), minute(4)), 'Ada');
    expect(p.history).toEqual([{ taskId: 'TASK_003', objectiveId: undefined, mission: 'do TASK_003', outcome: 'a'.repeat(200), completed: minute(4) }]);
  });
});

describe('memoryView', () => {
  it("shows each history line with the mission's first 100 and the outcome's first 120 characters", () => {
    const history = [{ taskId: 'TASK_007', mission: `${'m'.repeat(100)}MORE`, outcome: `${'o'.repeat(120)}MORE`, completed: minute(1) }];
    expect(memoryView(profile('Aria', { history }))?.history).toEqual([`TASK_007 ${'m'.repeat(100)} → ${'o'.repeat(120)}`]);
  });
});

import { agentReport, freshState, minute, planObjective, plannedTask, spawnChosen, taskOf } from '../support/reducers';
import { recordAgentReport } from '../../src/shared/agent-results';
import { applyChildSpend, asChild, childStarted, childWorkflowId, leadReport, recordLeadReport } from '../../src/shared/delegation';
import { type ChildView, childrenLines, childrenView, delegationTree, treeMermaid, treeText } from '../../src/shared/delegation-view';
import { NO_SPEND, type OrchestrationState } from '../../src/shared/schemas';

// Mutation tests for src/shared/delegation-view.ts: the exact `status` lines, the tree text and the mermaid diagram.

const ROOT = 'baton/demo';
const LONG_MISSION = `Lead the market research across pricing, users and competitors; ${'report what each specialist found and where they disagree, '.repeat(3)}`;

const nameOn = (s: OrchestrationState, taskId: string): string => s.agents.find((a) => a.id === taskOf(s, taskId).agentId)!.name;

/** A root: TASK_001 a plain developer task, TASK_002 (last) a researcher lead whose child runs now; both have agents. */
function rootLeadingLast(mission = 'Lead the research'): OrchestrationState {
  let s = planObjective(freshState(), [plannedTask('plain', { mission: 'Write the menu' }), plannedTask('lead', { role: 'researcher', mission, lead: {} })]);
  s = spawnChosen(spawnChosen(s, 'TASK_001'), 'TASK_002');
  return childStarted(s, 'TASK_002', childWorkflowId(ROOT, 'TASK_002'), minute(1));
}

describe('childrenLines', () => {
  it('writes a heading after a blank line, one line per child (lead, workflow, agents, spend) and its working agents under it', () => {
    const children: ChildView[] = [
      {
        taskId: 'TASK_001',
        mission: 'Lead the research',
        lead: 'Ada',
        workflowId: `${ROOT}/TASK_001`,
        status: 'running',
        depth: 1,
        spent: { tokens: 1200, costUsd: 0.5, unpricedTokens: 0 },
        agents: 3,
        running: 2,
        working: ['Bo (analyst) on TASK_002', 'TASK_001 › Cy (developer) on TASK_001'],
        started: minute(1),
      },
      { taskId: 'TASK_003', mission: 'Lead the build', workflowId: `${ROOT}/TASK_003`, status: 'completed', depth: 1, spent: NO_SPEND, agents: 0, running: 0, started: minute(1) },
    ];
    expect(childrenLines(children)).toEqual([
      '',
      'Children (lead tasks run as child orchestrations):',
      `  TASK_001  running   Ada leads ${ROOT}/TASK_001 · 3 agents, 2 running · 1200 tokens, $0.5000`,
      '      Bo (analyst) on TASK_002',
      '      TASK_001 › Cy (developer) on TASK_001',
      // No lead name known, no working list: a question mark and no agent lines.
      `  TASK_003  completed ? leads ${ROOT}/TASK_003 · 0 agents, 0 running · 0 tokens, $0.0000`,
    ]);
    expect(childrenLines([])).toEqual([]);
  });
});

describe('childrenView', () => {
  it('shows each lead task\'s child with the lead agent\'s name and the mission cut at 160 characters', () => {
    const s = rootLeadingLast(LONG_MISSION);
    expect(LONG_MISSION.length).toBeGreaterThan(160);
    const view = childrenView(s);
    expect(view).toEqual([
      {
        taskId: 'TASK_002',
        mission: LONG_MISSION.slice(0, 160),
        lead: nameOn(s, 'TASK_002'),
        workflowId: `${ROOT}/TASK_002`,
        status: 'running',
        depth: 1,
        spent: NO_SPEND,
        agents: 0,
        running: 0,
        started: minute(1),
      },
    ]);
    expect(view[0]!.mission).toHaveLength(160);
  });
});

describe('the delegation tree', () => {
  it('as text: a running child\'s working agents hang under its lead task, indented with spaces under the last branch', () => {
    let s = rootLeadingLast();
    s = applyChildSpend(s, { taskId: 'TASK_002', spent: { ...NO_SPEND, tokens: 42, costUsd: 0.01 }, agents: 2, running: 2, working: ['Cy (analyst) on TASK_001', 'TASK_002 › Di (developer) on TASK_001'] }, minute(2));
    const plain = nameOn(s, 'TASK_001');
    const lead = nameOn(s, 'TASK_002');
    expect(treeText(delegationTree(s))).toEqual([
      'baton/demo (orchestrator)',
      `├── TASK_001 developer ${plain} — running: Write the menu`,
      `└── TASK_002 researcher ${lead} — running · lead of ${ROOT}/TASK_002 (2 agents, 42 tokens, $0.0100): Lead the research`,
      '    ├── working now: Cy (analyst) on TASK_001',
      '    └── working now: TASK_002 › Di (developer) on TASK_001',
    ]);
  });

  it('a running child that reported no agents yet has nothing under it; a mission is cut at 160 characters', () => {
    const s = rootLeadingLast(LONG_MISSION);
    const lead = nameOn(s, 'TASK_002');
    const tree = treeText(delegationTree(s));
    expect(tree).toHaveLength(3);
    expect(tree[2]).toBe(`└── TASK_002 researcher ${lead} — running · lead of ${ROOT}/TASK_002 (0 agents, 0 tokens, $0.0000): ${LONG_MISSION.slice(0, 160)}`);
  });

  it('a finished child shows its team under the lead task, with the lines of earlier branches continued', () => {
    let root = planObjective(freshState(), [plannedTask('lead', { role: 'researcher', mission: 'Lead the research', lead: {} }), plannedTask('after', { mission: 'Ship it' })]);
    root = childStarted(spawnChosen(root, 'TASK_001'), 'TASK_001', `${ROOT}/TASK_001`, minute(1));
    let child = planObjective(asChild(freshState(), { parent: { workflowId: ROOT, taskId: 'TASK_001', depth: 1 }, roster: {} }), [plannedTask('pricing', { role: 'analyst', mission: 'Research pricing' })]);
    child = spawnChosen(child, 'TASK_001');
    child = recordAgentReport(child, 'TASK_001', taskOf(child, 'TASK_001').agentId!, agentReport('priced'), minute(2));
    const done = recordLeadReport(root, 'TASK_001', taskOf(root, 'TASK_001').agentId!, leadReport(child), minute(3));
    expect(treeText(delegationTree(done))).toEqual([
      'baton/demo (orchestrator)',
      `├── TASK_001 researcher ${nameOn(done, 'TASK_001')} — completed · lead of ${ROOT}/TASK_001 (1 agents, 0 tokens, $0.0000): Lead the research`,
      `│   └── TASK_001 analyst ${nameOn(child, 'TASK_001')} — completed: Research pricing`,
      '└── TASK_002 developer — pending: Ship it',
    ]);
  });

  it('as mermaid: one node per task, labelled with the text before the first colon, cut at 80 characters, linked to its parent', () => {
    let s = rootLeadingLast();
    s = applyChildSpend(s, { taskId: 'TASK_002', spent: { ...NO_SPEND, tokens: 42, costUsd: 0.01 }, agents: 1, running: 1, working: ['Cy (analyst) on TASK_001'] }, minute(2));
    const plain = nameOn(s, 'TASK_001');
    const leadLabel = `TASK_002 researcher ${nameOn(s, 'TASK_002')} — running · lead of ${ROOT}/TASK_002 (1 agents, 42 tokens, $0.0100)`;
    expect(leadLabel.length).toBeGreaterThan(80);
    expect(treeMermaid(delegationTree(s))).toEqual([
      'graph TD',
      '  root["baton/demo (orchestrator)"]',
      `  n1["TASK_001 developer ${plain} — running"]`,
      '  root --> n1',
      `  n2["${leadLabel.slice(0, 80)}"]`,
      '  n3["working now"]',
      '  n2 --> n3',
      '  root --> n2',
    ]);
  });

  it('as mermaid: quotes become apostrophes and each run of line breaks one space, so any text renders', () => {
    expect(treeMermaid({ label: 'Lead the "market"\r\nresearch\n\nnow', children: [] })).toEqual(['graph TD', `  root["Lead the 'market' research now"]`]);
    expect(treeMermaid({ label: 'x'.repeat(81), children: [] })[1]).toBe(`  root["${'x'.repeat(80)}"]`);
    expect(treeMermaid({ label: 'x'.repeat(80), children: [] })[1]).toBe(`  root["${'x'.repeat(80)}"]`);
  });
});

import { buildReport, renderReport } from '../../src/client/report';
import { renderStatus } from '../../src/client/status-text';
import { validatePattern } from '../../src/activities/plan-objective';
import { checkPlan } from '../../src/agents/anthropic/final-tools';
import type { PlannedTask } from '../../src/shared/activity-types';
import type { ContextDocument } from '../../src/shared/context';
import { derivePattern, patternLine, patternMismatch, PatternChoice, resolvePattern } from '../../src/shared/patterns';
import { Objective, OrchestrationState } from '../../src/shared/schemas';
import { statusView } from '../../src/shared/status';
import { parseScenario } from '../../src/agents/scripted/scenario';
import { patternFor } from '../../src/agents/scripted/planner';
import { freshState, plannedTask, planStreams } from '../support/reducers';

const research = (key: string, extra: Partial<PlannedTask> = {}) => plannedTask(key, { role: 'researcher', ...extra });
const lead = (key: string, extra: Partial<PlannedTask> = {}) => research(key, { lead: { team: 'three domain experts' }, ...extra });
const vote = (key: string, extra: Partial<PlannedTask> = {}) => research(key, { consensus: { agents: 3 }, ...extra });

describe('derivePattern', () => {
  it('calls independent tasks parallel', () => {
    expect(derivePattern([research('a'), research('b'), research('c')])).toEqual({ kind: 'parallel', why: '3 independent tasks run at once (a, b, c)', by: 'derived' });
  });

  it('calls a dependency chain sequential and names it', () => {
    const p = derivePattern([plannedTask('validate'), plannedTask('build', { dependsOn: ['validate'] }), plannedTask('review', { dependsOn: ['build'] })]);
    expect(p).toEqual({ kind: 'sequential', why: 'a chain of 3 steps: validate → build → review', by: 'derived' });
  });

  it('calls wide research with a synthesis parallel, and a long chain with a side task sequential, saying it is mixed', () => {
    const wide = derivePattern([research('a'), research('b'), research('c'), plannedTask('sum', { dependsOn: ['a', 'b', 'c'] })]);
    expect(wide.kind).toBe('parallel');
    expect(wide.why).toBe('3 tasks run at once (a, b, c), then 1 task builds on them in 1 more step');
    const long = derivePattern([research('a'), research('b'), plannedTask('impl', { dependsOn: ['a', 'b'] }), plannedTask('review', { dependsOn: ['impl'] })]);
    expect(long.kind).toBe('sequential');
    expect(long.why).toBe('a chain of 3 steps (a → impl → review), with up to 2 tasks side by side');
  });

  it('calls a plan with a lead task hierarchical, naming the lead and the tasks beside it', () => {
    expect(derivePattern([lead('lead-x'), research('b'), research('c')])).toEqual({
      kind: 'hierarchical',
      why: 'task lead-x leads a team; 2 independent tasks run beside it',
      by: 'derived',
    });
    const chained = derivePattern([lead('lead-x'), plannedTask('decide', { role: 'advisor', dependsOn: ['lead-x'] })]);
    expect(chained.kind).toBe('hierarchical');
    expect(chained.why).toBe('task lead-x leads a team; 1 other task; the plan runs as sequential steps: a chain of 2 steps: lead-x → decide');
  });

  it('calls a plan with a consensus task consensus; a lead task wins over it, and both are named', () => {
    expect(derivePattern([vote('pick-db')])).toEqual({ kind: 'consensus', why: 'task pick-db is decided by consensus of 3 agents', by: 'derived' });
    const both = derivePattern([lead('lead-a'), lead('lead-b'), vote('pick', { dependsOn: ['lead-a', 'lead-b'] })]);
    expect(both.kind).toBe('hierarchical');
    expect(both.why).toBe('tasks lead-a, lead-b lead a team; task pick is decided by consensus of 3 agents');
  });

  it('calls a single task sequential, and survives a cycle or an unknown key without looping', () => {
    expect(derivePattern([research('only')]).kind).toBe('sequential');
    const odd = derivePattern([plannedTask('a', { dependsOn: ['b'] }), plannedTask('b', { dependsOn: ['a', 'ghost'] })]);
    expect(odd.kind).toBe('sequential');
  });
});

describe('resolvePattern', () => {
  const stated = (kind: PatternChoice['kind'], why = 'the planner says so'): PatternChoice => ({ kind, why });

  it('keeps a statement the plan bears out', () => {
    expect(resolvePattern([research('a'), research('b')], stated('parallel'))).toEqual({ kind: 'parallel', why: 'the planner says so', by: 'planner' });
    expect(resolvePattern([lead('l')], stated('hierarchical')).mismatch).toBeUndefined();
  });

  it('keeps a statement the plan contradicts, and says so in why and mismatch', () => {
    const p = resolvePattern([research('a'), research('b')], stated('consensus', 'Three agents should agree'));
    expect(p.kind).toBe('consensus');
    expect(p.by).toBe('planner');
    expect(p.mismatch).toBe('no task has consensus');
    expect(p.why).toBe("Three agents should agree (but no task has consensus: the plan's shape is parallel, 2 independent tasks run at once (a, b))");
    expect(patternLine(p)).toMatch(/^consensus \(planner; does not match the plan\) — Three agents/);
  });

  it('names each kind of contradiction', () => {
    const chain = [plannedTask('a'), plannedTask('b', { dependsOn: ['a'] })];
    const apart = [plannedTask('a'), plannedTask('b')];
    expect(patternMismatch('hierarchical', apart)).toBe('no task is a lead task');
    expect(patternMismatch('consensus', chain)).toBe('no task has consensus');
    expect(patternMismatch('sequential', apart)).toBe('no task depends on another');
    expect(patternMismatch('parallel', chain)).toBe('every task waits on the one before');
    expect(patternMismatch('sequential', chain)).toBeUndefined();
    expect(patternMismatch('parallel', apart)).toBeUndefined();
  });

  it('derives the pattern when the planner states none', () => {
    expect(resolvePattern([vote('v')])).toEqual(derivePattern([vote('v')]));
  });
});

describe('the pattern at the trust boundaries', () => {
  it('submit_plan takes an optional pattern and refuses a bad one, naming the field', () => {
    const tasks = [research('a'), research('b')];
    expect(checkPlan({ tasks })).toEqual({ ok: true, value: { tasks } });
    expect(checkPlan({ tasks, pattern: { kind: 'parallel', why: 'independent angles' } })).toEqual({ ok: true, value: { tasks, pattern: { kind: 'parallel', why: 'independent angles' } } });
    const bad = checkPlan({ tasks, pattern: { kind: 'swarm', why: 'x' } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problem).toMatch(/pattern\.kind/);
    const noWhy = checkPlan({ tasks, pattern: { kind: 'parallel', why: '  ' } });
    expect(!noWhy.ok && noWhy.problem).toMatch(/pattern\.why/);
  });

  it('planObjective accepts no pattern, parses a good one and refuses a bad one with Plan.Invalid', () => {
    expect(validatePattern(undefined, 'OBJ_001')).toBeUndefined();
    expect(validatePattern({ kind: 'sequential', why: ' steps ' }, 'OBJ_001')).toEqual({ kind: 'sequential', why: 'steps' });
    expect(() => validatePattern({ kind: 'mesh' }, 'OBJ_001')).toThrow(/plan for OBJ_001 is invalid: pattern: .*kind/);
  });

  it('an objective without a pattern (today\'s states) still parses; one with a bad pattern does not', () => {
    const o = { id: 'OBJ_001', description: 'x', status: 'active', created: 'now', session: 1 };
    expect(Objective.parse(o).pattern).toBeUndefined();
    expect(Objective.parse({ ...o, pattern: { kind: 'parallel', why: 'w', by: 'derived' } }).pattern?.kind).toBe('parallel');
    expect(Objective.safeParse({ ...o, pattern: { kind: 'parallel', why: 'w', by: 'guessed' } }).success).toBe(false);
    const resumed = OrchestrationState.parse(JSON.parse(JSON.stringify(planStreams(freshState(), [research('a')]))));
    expect(resumed.objectives[0]?.pattern?.kind).toBe('sequential');
  });
});

describe('applying a plan stores the pattern, and status and report show it', () => {
  it('stores the derived or stated pattern on the objective', () => {
    let s = planStreams(freshState(), [research('a'), research('b')]);
    s = planStreams(s, [lead('lead-x'), research('c')]);
    expect(s.objectives.map((o) => [o.id, o.pattern?.kind, o.pattern?.by])).toEqual([
      ['OBJ_001', 'parallel', 'derived'],
      ['OBJ_002', 'hierarchical', 'derived'],
    ]);
  });

  it('status prints one pattern line per objective and the report a Pattern column', () => {
    const s = planStreams(planStreams(freshState(), [research('a'), research('b')]), [plannedTask('x'), plannedTask('y', { dependsOn: ['x'] })]);
    const text = renderStatus(statusView(s));
    expect(text).toContain('      pattern: parallel (derived) — 2 independent tasks run at once (a, b)');
    expect(text).toContain('      pattern: sequential (derived) — a chain of 2 steps: x → y');
    const report = renderReport(buildReport(statusView(s), { baton: s } as unknown as ContextDocument, 'now'));
    expect(report).toContain('| Objective | Description | Status | Pattern |');
    expect(report).toMatch(/\| OBJ_002 \| objective 2 \| active \| sequential \(derived\) — a chain of 2 steps: x → y \|/);
  });

  it('shortens a long reason in status', () => {
    const line = patternLine({ kind: 'parallel', why: 'w'.repeat(400), by: 'planner' });
    expect(line.length).toBe(140);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('a scenario plan may state its pattern', () => {
  const yaml = (pattern: string) => `name: p\nplans:\n  - match: "vote"\n    pattern: ${pattern}\n    tasks:\n      - { key: a, role: researcher, mission: "A" }\n`;

  it('the scripted planner passes it on, and a malformed one is refused naming the field', () => {
    const scenario = parseScenario(yaml('{ kind: parallel, why: "one angle" }'), 'scenario.yaml');
    expect(patternFor('Put it to a vote', scenario)).toEqual({ kind: 'parallel', why: 'one angle' });
    expect(patternFor('Something else', scenario)).toBeUndefined();
    expect(() => parseScenario(yaml('{ kind: mesh, why: "x" }'), 'scenario.yaml')).toThrow(/scenario\.yaml.*plans\.0\.pattern\.kind/s);
  });
});

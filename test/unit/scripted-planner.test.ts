import path from 'node:path';
import { readFileSync } from 'node:fs';
import { validatePlan } from '../../src/activities/plan-objective';
import { defaultPlan, planFor } from '../../src/agents/scripted/planner';
import { parseScenario } from '../../src/agents/scripted/scenario';
import { PlannedTask } from '../../src/shared/activity-types';

const DEMO_FILE = path.resolve(__dirname, '../../examples/demo/scenario.yaml');
const demo = parseScenario(readFileSync(DEMO_FILE, 'utf8'), DEMO_FILE);

describe('scripted planner', () => {
  it('plans two parallel research tasks, a developer after both and a reviewer after that', () => {
    const plan = defaultPlan('Add a newsletter signup');
    expect(plan.map((t) => t.role)).toEqual(['researcher', 'analyst', 'developer', 'reviewer']);
    expect(plan[0]?.mission).toContain('technical options');
    expect(plan[1]?.mission).toContain('risks and constraints');
    expect(plan[2]?.dependsOn).toEqual([plan[0]?.key, plan[1]?.key]);
    expect(plan[3]?.dependsOn).toEqual([plan[2]?.key]);
    expect(new Set(plan.map((t) => t.key)).size).toBe(plan.length);
  });

  it('produces plans that satisfy the PlannedTask schema and the DAG checks', () => {
    for (const objective of ['x', 'Add a newsletter signup', 'Research and write the landing page', 'Add an online ordering form']) {
      const plan = planFor(objective, demo);
      for (const task of plan) expect(PlannedTask.safeParse(task).success).toBe(true);
      expect(() => validatePlan(plan, 'OBJ_001')).not.toThrow();
    }
  });

  it('is deterministic and does not hand out the scenario’s own arrays', () => {
    const first = planFor('Research and write the landing page', demo);
    first[2]?.dependsOn.push('tampered');
    expect(planFor('Research and write the landing page', demo)).toEqual(demo.plans[0]?.tasks);
    expect(planFor('anything', undefined)).toEqual(planFor('anything', undefined));
  });

  it('keeps missions within the schema limit for very long objectives', () => {
    const plan = defaultPlan('word '.repeat(1000));
    for (const task of plan) expect(task.mission.length).toBeLessThan(400);
  });

  it('picks the first plan whose match occurs in the objective, case-insensitively', () => {
    expect(planFor('PUBLISH A LAUNCH ANNOUNCEMENT now', demo).map((t) => t.key)).toEqual(['write-news', 'review-news']);
    expect(planFor('Something unrelated', demo).map((t) => t.key)).toEqual(defaultPlan('x').map((t) => t.key));
  });
});

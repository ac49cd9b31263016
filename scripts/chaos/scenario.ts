import { stringify } from 'yaml';
import { rng } from './harness';

/** Shape of the scripted work a drill orchestration does. */
export interface WorkShape {
  /** Objectives per orchestration; each plans into its own layered task graph. */
  objectives: number;
  /** Layers of the graph; every task after the first layer depends on one or two of the layer before. */
  layers: number;
  width: number;
  /** Simulated work per task, picked per task in this range. */
  delayMs: [number, number];
}

const ROLES = ['researcher', 'analyst', 'developer', 'reviewer', 'qa'] as const;

/** Tasks one orchestration of this shape runs. */
export const tasksPerOrchestration = (shape: WorkShape) => shape.objectives * shape.layers * shape.width;

/** The objective text that selects plan `i` of the scenario. */
export const objectiveText = (i: number) => `Chaos wave ${i + 1}: layered tasks`;

/** A scripted scenario: one layered plan per objective, every task with its own delay. */
export function layeredScenario(shape: WorkShape, seed: number): string {
  if (shape.layers * shape.width > 30) throw new Error('a scripted plan holds at most 30 tasks');
  const random = rng(seed);
  const plans = [];
  const agents = [];
  for (let o = 0; o < shape.objectives; o++) {
    const key = (layer: number, i: number) => `w${o + 1}-l${layer}-t${i}`;
    const tasks = [];
    for (let layer = 0; layer < shape.layers; layer++) {
      for (let i = 0; i < shape.width; i++) {
        const first = random.between(0, shape.width - 1);
        const second = random.between(0, shape.width - 1);
        const dependsOn = layer === 0 ? [] : [...new Set([key(layer - 1, first), key(layer - 1, second)])];
        tasks.push({ key: key(layer, i), role: ROLES[(layer + i) % ROLES.length], mission: `Chaos task ${key(layer, i)}`, dependsOn });
        agents.push({ match: { key: key(layer, i) }, delayMs: random.between(shape.delayMs[0], shape.delayMs[1]) });
      }
    }
    plans.push({ match: objectiveText(o), tasks });
  }
  return stringify({ name: 'chaos', plans, agents, defaults: { delayMs: shape.delayMs[0] } });
}

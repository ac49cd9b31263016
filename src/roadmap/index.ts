/** Baton's markdown roadmaps (its own format and seed 003's): read, check, edit, garden, interpret goals against them and keep the dev log. */
export { parseRoadmap, type RoadmapSource } from './parse';
export { dependencyIssues, type RoadmapStreams } from './dependencies';
export { editRoadmap, type EditOptions } from './edit';
export { emptySpelling, type Spelling } from './status';
export { offerOrder } from './order';
export { streamMission } from './mission';
export { planGarden, type GardenPlan } from './garden';
export { interpretGoal, type GoalSelection, type InterpretOptions } from './interpret';
export { appendDevLog } from './dev-log';
export type { FieldKey, FieldLine, GardenChange, GardenRoadmap, ParsedRoadmap, StreamEdit, StreamFields } from './types';

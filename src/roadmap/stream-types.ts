import { z } from 'zod';
import { Role } from '../shared/schemas';
import { RecoveryAction } from '../shared/targets';

/** A work stream's status in its roadmap. */
export const StreamStatus = z.enum(['available', 'in progress', 'blocked', 'complete']);
export type StreamStatus = z.infer<typeof StreamStatus>;

/** A work stream's size. */
export const Effort = z.enum(['S', 'M', 'L']);
export type Effort = z.infer<typeof Effort>;

/** How a roadmap file is written: Baton's own (`### 1.2 Title`) or seed 003's (`## Batch 1`, `### Phase 1.2: Title ⭐ TAG`). */
export type RoadmapFormat = 'baton' | 'phases';

/** One checklist item of a stream (`- [⚙️] Wire the parser`), with its marker as written. */
export interface StreamTask {
  /** What is inside the brackets, as written (` `, `x`, `✅`, `⚙️`, `~`, `BLOCKED: no API key`). */
  marker: string;
  state: 'open' | 'done' | 'in progress' | 'blocked' | 'other';
  text: string;
  /** Nesting depth under the list it sits in (0 for top level). */
  depth: number;
}

/** One work stream of a target's roadmap, as plain JSON. */
export interface WorkStream {
  target: string;
  /** `1.2` */
  id: string;
  /** `site:1.2` */
  ref: string;
  title: string;
  /** The phase heading it sits under, if any. */
  phase?: string;
  effort?: Effort;
  status: StreamStatus;
  /** Text after the status (`blocked — waiting on api:1.1`). */
  note?: string;
  /** Refs of the streams it depends on, always target-qualified. */
  dependsOn: string[];
  owner?: string;
  role?: Role;
  recovery?: RecoveryAction;
  /** The free text under its heading (trimmed); in seed 003's format also every field Baton does not act on, as written. */
  text: string;
  /** 1-based line of its heading. */
  line: number;
  /** The format of the file it was read from (absent: Baton's own). */
  format?: RoadmapFormat;
  /** Seed 003's `## Batch N` it sits under (streams before any batch are batch 1). */
  batch?: number;
  /** Seed 003's trailing `⭐ TAG` (`BOOTSTRAP`, `PRIORITY`, …), upper-cased. */
  tag?: string;
  /** Its checklist (seed 003's `Tasks:`), every item kept with its state. */
  tasks?: StreamTask[];
  /** Seed 003's `Done When`: the task's success criteria. */
  doneWhen?: string[];
}

/** A problem in a roadmap, with where it is. */
export interface RoadmapIssue {
  file: string;
  line: number;
  message: string;
}

/** What Baton wants a stream's roadmap entry to say (derived from state; applied only where the file differs). */
export interface StreamUpdate {
  ref: string;
  status: StreamStatus;
  owner?: string;
  note?: string;
}

/** One dev-log entry (seed 003's checklist): appended once per completed task, keyed by task id. */
export interface DevLogEntry {
  target: string;
  taskId: string;
  ref?: string;
  title: string;
  agent: string;
  completed: string;
  verification: string;
  rework: number;
  summary: string;
}

/** One target's roadmap health after gardening. */
export interface TargetHealth {
  target: string;
  file: string;
  issues: RoadmapIssue[];
  available: string[];
  inProgress: string[];
  complete: string[];
  blocked: { ref: string; why: string }[];
  /** What gardening changed, one line each (`site:1.3 blocked → available (dependencies complete)`). */
  changes: string[];
}

/** A compact view of an open stream for status and reports. */
export interface StreamSummary {
  ref: string;
  title: string;
  effort?: Effort;
  status: StreamStatus;
}

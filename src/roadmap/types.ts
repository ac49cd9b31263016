import type { RoadmapFormat, RoadmapIssue, StreamStatus, WorkStream } from './stream-types';
import type { Spelling } from './status';

/** The fields Baton reads from a stream's field list (`**Depends on:**` → `dependsOn`, `**Assigned To:**` → `owner`). */
export type FieldKey = 'effort' | 'status' | 'dependsOn' | 'owner' | 'role' | 'recovery' | 'doneWhen' | 'tasks' | 'completed';

/** Where one field item sits, so it can be rewritten in place. */
export interface FieldLine {
  /** 1-based line the item starts on. */
  line: number;
  /** 1-based line its text ends on (a value may wrap onto continuation lines). */
  endLine: number;
  /** The item's source up to and including its key (`  - **Status:**`), kept so a rewrite keeps the person's spelling. */
  prefix: string;
  /** 1-based last line of the whole item, nested bullets included. */
  itemEnd: number;
}

/** Per stream: where its fields are, for line-by-line edits. */
export interface StreamFields {
  id: string;
  /** 1-based line of the heading's last line. */
  heading: number;
  lines: Partial<Record<FieldKey, FieldLine>>;
  /** 1-based line of the last field item's last line, or the heading when there is none. */
  lastLine: number;
  /** What starts a new field line: indentation, marker and spacing (`- `). */
  bullet: string;
  /** Whether the stream has any field item at all. */
  listed: boolean;
}

/** A roadmap read from markdown: its streams, its problems and where each stream's fields are. */
export interface ParsedRoadmap {
  /** The format the file is written in, detected from its headings. */
  format: RoadmapFormat;
  /** How the file spells statuses and "nobody", so write-back uses its words. */
  spelling: Spelling;
  streams: WorkStream[];
  issues: RoadmapIssue[];
  /** One entry per stream, in the same order as `streams`. */
  fields: StreamFields[];
  /** The file holds no stream and nothing that looks like one (reported as an issue, but no goal can mean it). */
  empty?: true;
}

/** One requested edit: `undefined` leaves a value alone (but a new status drops the old note), `null` clears it. */
export interface StreamEdit {
  id: string;
  status?: StreamStatus;
  note?: string | null;
  owner?: string | null;
}

/** One change gardening wants written to a roadmap (an edit plus its target and reason). */
export interface GardenChange {
  ref: string;
  target: string;
  id: string;
  status: StreamStatus;
  owner?: string | null;
  note?: string | null;
  why: string;
}

/** A roadmap as gardening sees it. */
export interface GardenRoadmap {
  target: string;
  file: string;
  streams: WorkStream[];
  issues: RoadmapIssue[];
}

import type { RoadmapFormat } from './stream-types';
import { plainText, type MdNode } from './markdown';

/** Baton's stream heading: `### 1.2 Title`, `### 1.2: Title`. */
const BATON_HEADING = /^(\d+(?:\.\d+)+)(?:[.:)]?(?:\s+|$))(.*)$/s;
/** Seed 003's stream heading: `### Phase 1.2: Title ⭐ BOOTSTRAP`. */
const PHASE_HEADING = /^Phase\s+(\d+(?:\.\d+)+)(?:\s*[:.)—–-]\s*|\s+|$)(.*)$/is;
/** Seed 003's batch heading: `## Batch 3`, `## Batch 3: Recovery`. */
const BATCH_HEADING = /^Batch\s+(\d+)\b/i;
/** A trailing `⭐ TAG` on a seed 003 heading. */
const TAG = /\s*⭐\uFE0F?\s*([A-Za-z][A-Za-z _-]*?)\s*$/;
/** Text that reads like a stream at the start of a heading (`1.2`, `Phase 1.2`, `Phase One:`). */
const LOOKS_LIKE_STREAM = /^(?:phase\b|\d+(?:\.\d+)+(?:[\s.:)—–-]|$))/i;

/** A stream heading, read. */
export interface StreamHeading {
  id: string;
  title: string;
  tag?: string;
}

/** Seed 003's format when the file has a `### Phase 1.2` heading or a `## Batch N` heading; Baton's own otherwise. */
export function detectFormat(nodes: MdNode[]): RoadmapFormat {
  const phases = nodes.some((node) => {
    if (node.type !== 'heading') return false;
    const text = plainText(node).trim();
    return (node.depth === 3 && /^Phase\s+\d+\.\d+/i.test(text)) || (node.depth === 2 && BATCH_HEADING.test(text));
  });
  return phases ? 'phases' : 'baton';
}

/** The batch number of a `## Batch N` heading, or undefined for any other heading. */
export function batchOf(node: MdNode): number | undefined {
  if (node.type !== 'heading' || node.depth !== 2) return undefined;
  const match = BATCH_HEADING.exec(plainText(node).trim());
  return match ? Number(match[1]) : undefined;
}

/** The stream a heading starts in this format, or undefined when it is not a stream heading. */
export function streamHeading(format: RoadmapFormat, node: MdNode): StreamHeading | undefined {
  if (node.type !== 'heading' || node.depth !== 3) return undefined;
  const text = plainText(node).trim();
  if (format === 'baton') {
    const head = BATON_HEADING.exec(text);
    return head ? { id: head[1]!, title: head[2]!.replace(/^[—–:-]\s*/, '').trim() } : undefined;
  }
  const head = PHASE_HEADING.exec(text);
  if (!head) return undefined;
  const rest = head[2]!.trim();
  const tag = TAG.exec(rest);
  const title = (tag ? rest.slice(0, tag.index) : rest).replace(/^[—–:-]\s*/, '').trim();
  return tag ? { id: head[1]!, title, tag: tag[1]!.trim().toUpperCase() } : { id: head[1]!, title };
}

/** Whether a heading ends the stream above it: any level 1 to 3 heading in Baton's format; in seed 003's, level 1, level 3 and `## Batch N`. */
export function endsStream(format: RoadmapFormat, node: MdNode): boolean {
  if (node.type !== 'heading') return false;
  if (format === 'baton') return node.depth <= 3;
  // Seed 003's other `##` headings (Strategic Priorities, Backlog) sit between batches without closing the stream above.
  return node.depth === 1 || node.depth === 3 || batchOf(node) !== undefined;
}

/** Why a heading that reads like a stream is not one (wrong level, wrong shape for this file), or undefined when it does not read like one. */
export function lookalike(format: RoadmapFormat, node: MdNode): string | undefined {
  if (node.type !== 'heading' || node.depth < 2 || node.depth > 4) return undefined;
  const text = plainText(node).trim();
  if (!LOOKS_LIKE_STREAM.test(text)) return undefined;
  const phaseWord = /^phase\b/i.test(text);
  const dotted = /^(?:phase\s+)?\d+\.\d/i.test(text);
  // `## Phase 1: Foundations` groups streams; `#### 1.2.1 Details` may number a part of one.
  if (!dotted && (node.depth !== 3 || format === 'baton')) return undefined;
  if (node.depth === 4 && !(format === 'phases' && phaseWord)) return undefined;
  const shape = format === 'phases' ? '`### Phase 1.2: Title`' : '`### 1.2 Title`';
  if (node.depth !== 3) return `heading "${text.slice(0, 80)}" looks like a work stream but is level ${node.depth}: streams are level-3 headings (${shape})`;
  if (format === 'phases' && !phaseWord) return `heading "${text.slice(0, 80)}" looks like a work stream, but this roadmap writes streams as ${shape}`;
  if (dotted) return `heading "${text.slice(0, 80)}" looks like a work stream but cannot be read as one (write it as ${shape})`;
  return `heading "${text.slice(0, 80)}" looks like a work stream but has no dotted id (write it as ${shape})`;
}

/** How streams are offered, by tag: `⭐ BOOTSTRAP` first, then `⭐ PRIORITY`, then the rest. */
export function tagRank(tag: string | undefined): number {
  if (tag === 'BOOTSTRAP') return 0;
  if (tag === 'PRIORITY') return 1;
  return 2;
}

import type { RoadmapIssue, WorkStream } from './stream-types';
import { parseStreamRef } from '../shared/targets';

/** A roadmap's streams and the file they were read from. */
export interface RoadmapStreams {
  file: string;
  streams: WorkStream[];
}

/** Problems only visible across all targets together: dependencies on unknown streams or targets, and cycles. */
export function dependencyIssues(roadmaps: RoadmapStreams[]): RoadmapIssue[] {
  const byRef = new Map<string, { stream: WorkStream; file: string }>();
  const targets = new Set<string>();
  for (const { file, streams } of roadmaps) {
    for (const stream of streams) {
      targets.add(stream.target);
      if (!byRef.has(stream.ref)) byRef.set(stream.ref, { stream, file });
    }
  }
  const issues: RoadmapIssue[] = [];
  for (const { file, streams } of roadmaps) {
    for (const stream of streams) {
      for (const ref of stream.dependsOn) {
        if (byRef.has(ref)) continue;
        const { target } = parseStreamRef(ref);
        const message = targets.has(target)
          ? `${stream.ref} depends on ${ref}, which is not in ${target}'s roadmap`
          : `${stream.ref} depends on ${ref}, but there is no target "${target}"`;
        issues.push({ file, line: stream.line, message });
      }
    }
  }
  const edges = (ref: string) => (byRef.get(ref)?.stream.dependsOn ?? []).filter((dep) => byRef.has(dep));
  for (const group of stronglyConnected([...byRef.keys()].sort(), edges)) {
    for (const ref of group) {
      const at = byRef.get(ref)!;
      issues.push({ file: at.file, line: at.stream.line, message: `dependency cycle: ${[...cycleFrom(ref, group, edges), ref].join(' → ')}` });
    }
  }
  return issues.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.message.localeCompare(b.message));
}

/** Groups of refs that all reach each other (Tarjan); only groups of two or more, since self-dependencies are parse issues. */
function stronglyConnected(refs: string[], edges: (ref: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (ref: string): void => {
    index.set(ref, index.size);
    low.set(ref, index.get(ref)!);
    stack.push(ref);
    onStack.add(ref);
    for (const dep of edges(ref)) {
      if (!index.has(dep)) {
        visit(dep);
        low.set(ref, Math.min(low.get(ref)!, low.get(dep)!));
      } else if (onStack.has(dep)) low.set(ref, Math.min(low.get(ref)!, index.get(dep)!));
    }
    if (low.get(ref) !== index.get(ref)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== ref);
    if (group.length > 1) groups.push(group);
  };
  for (const ref of refs) if (!index.has(ref)) visit(ref);
  return groups.map((group) => group.sort());
}

/** The shortest way from `start` round to itself within its group (without the closing `start`). */
function cycleFrom(start: string, group: string[], edges: (ref: string) => string[]): string[] {
  const members = new Set(group);
  const came = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    const ref = queue[at]!;
    for (const dep of edges(ref).filter((d) => members.has(d))) {
      if (dep === start) {
        const path = [ref];
        while (path[0] !== start) path.unshift(came.get(path[0]!)!);
        return path;
      }
      if (!came.has(dep)) {
        came.set(dep, ref);
        queue.push(dep);
      }
    }
  }
  return group;
}

import { dependencyIssues, interpretGoal, offerOrder, streamMission } from '../roadmap';
import { mentionedStreams } from '../roadmap/rank';
import { streamTaskKey } from '../agents/prompt';
import { AgentRuntimeError, type AgentRunContext, type AgentRuntime } from '../agents/runtime';
import type { GoalInterpretation, OpenStream, PlannedTask, PlanObjectiveInput, PlanResult } from '../shared/activity-types';
import { Failure } from '../shared/failures';
import type { WorkStream } from '../roadmap/stream-types';
import { parseStreamRef } from '../shared/targets';
import { formatIssues, loadRoadmaps, type LoadedRoadmap } from '../roadmap/load';

/** One task per selected stream; dependencies on streams selected with it become plan dependencies. */
function streamTasks(selected: WorkStream[]): PlannedTask[] {
  const keys = new Map(selected.map((s) => [s.ref, streamTaskKey(s.ref)]));
  return selected.map((s) => ({
    key: streamTaskKey(s.ref),
    role: s.role ?? 'developer',
    ...streamMission(s),
    dependsOn: s.dependsOn.map((d) => keys.get(d)).filter((k): k is string => !!k),
    stream: s.ref,
    ...(s.recovery ? { recovery: s.recovery } : {}),
  }));
}

/**
 * Seed 003's goal interpretation against the targets' roadmaps. Streams a person named (or `all`) and goals
 * when no LLM plans are matched by the deterministic ranking; an LLM planner sees the open streams and picks
 * them itself. Returns undefined when no stream matches, so the goal is planned freely. A malformed roadmap is
 * never guessed at: its streams are left out, and a goal that names them (or finds nothing else) fails with every
 * issue's file:line, while goals for the other targets go on.
 */
export async function planAgainstRoadmaps(input: PlanObjectiveInput, runtime: AgentRuntime, ctx: AgentRunContext): Promise<PlanResult | undefined> {
  // A roadmap that does not exist yet, or holds nothing yet, is not an error here (README): its target simply has no
  // streams to match. Health still reports both; a heading that looks like a stream still stops the goal.
  const loaded = (await loadRoadmaps(input.targets ?? [])).filter((r) => !r.missing && !r.parsed.empty);
  const issues = [...loaded.flatMap((r) => r.parsed.issues), ...dependencyIssues(loaded.map((r) => ({ file: r.file, streams: r.parsed.streams })))];
  const broken = loaded.filter((r) => issues.some((i) => i.file === r.file));
  const malformed = () =>
    new AgentRuntimeError(Failure.RoadmapMalformed, `roadmap problems, fix them first:\n${formatIssues(issues).slice(0, 20).join('\n')}`, false);
  if (broken.length && namesBroken(input, broken)) throw malformed();
  const streams = loaded.filter((r) => !broken.includes(r)).flatMap((r) => r.parsed.streams);
  const held = input.held ?? [];
  if (runtime.name !== 'scripted' && !input.streams) {
    const open = offerOrder(streams.filter((s) => s.status !== 'complete' && !held.includes(s.ref))).map(openStream);
    const planned = await runtime.plan({ ...input, openStreams: open }, ctx);
    return { ...planned, tasks: planned.tasks.map((t) => withStreamPolicy(t, streams)) };
  }
  const selection = interpretGoal(input.objective.description, streams, { held, ...(input.streams ? { explicit: input.streams } : {}) });
  if (!selection.selected.length) {
    // Nothing else matched: the goal may well mean the roadmap that cannot be read.
    if (broken.length && !Array.isArray(input.streams)) throw malformed();
    if (input.streams) {
      throw new AgentRuntimeError(Failure.PlanInvalid, `no work stream can run: ${selection.problems.join('; ') || 'nothing is available'}`, false);
    }
    return undefined;
  }
  const interpretation: GoalInterpretation = {
    ...selection.interpretation,
    recommendation: [selection.interpretation.recommendation, ...selection.problems, ...broken.map((r) => `${r.target} was left out: its roadmap has problems.`)]
      .join(' ')
      .slice(0, 2000),
  };
  return { tasks: streamTasks(selection.selected), interpretation };
}

/** Whether the goal names a stream (or target) of a roadmap with problems, by ref or by bare id. */
function namesBroken(input: PlanObjectiveInput, broken: LoadedRoadmap[]): boolean {
  const targets = broken.map((r) => r.target);
  const streams = broken.flatMap((r) => r.parsed.streams);
  if (input.streams === 'all') return false;
  if (input.streams) {
    return input.streams.some((name) => {
      const { target, id } = parseStreamRef(name.trim());
      return target ? targets.includes(target) : streams.some((s) => s.id === id);
    });
  }
  const goal = input.objective.description.toLowerCase();
  return targets.some((t) => new RegExp(`(^|[^a-z0-9_-])${t}:\\d`).test(goal)) || mentionedStreams(input.objective.description, streams).length > 0;
}

function openStream(s: WorkStream): OpenStream {
  return { ref: s.ref, title: s.title, ...(s.effort ? { effort: s.effort } : {}), status: s.status, dependsOn: s.dependsOn, ...(s.role ? { role: s.role } : {}), text: (s.format === 'phases' ? streamMission(s).mission : s.text).slice(0, 500) };
}

function withStreamPolicy(task: PlannedTask, streams: WorkStream[]): PlannedTask {
  const stream = task.stream ? streams.find((s) => s.ref === task.stream) : undefined;
  return stream?.recovery && !task.recovery ? { ...task, recovery: stream.recovery } : task;
}

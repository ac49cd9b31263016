import { temporal } from '@temporalio/proto';
import type { BenchEnv } from '../env';
import { activitySpan, eventMs, runEvents } from '../history';
import { writeScenario } from '../scenario';
import { pairedRatios, summarize, type Summary } from '../stats';
import { benchProject, timeBaton, wallMs } from './measure';

const T = temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;

/** Sizes for the delegation benchmark: `leads × tasksPerLead` tasks, flat and as a tree. */
export interface DelegationSizes {
  leads: number;
  tasksPerLead: number;
  delayMs: number;
  repeats: number;
}

/** Where the tree's time went, along its critical path (server timestamps; the parts add up to the tree's wall time). */
export interface TreePhases {
  /** Root start → its first child workflow asked for: the root plans the lead tasks. */
  rootPlanMs: number;
  /** First child asked for → first child running. */
  childStartMs: number;
  /** First child running → first agent scheduled in any child: the child plans its team. */
  childPlanMs: number;
  /** First agent scheduled → last agent's result seen, across all children. */
  agentsMs: number;
  /** Last agent's result seen → last child completed: the child's synthesis and its report up. */
  childFinishMs: number;
  /** Last child completed → the root's workflow task that took in its result. */
  rootSeesMs: number;
}

/** The same tasks run flat and as lead tasks of child orchestrations: wall time of each and where the tree's extra time goes. */
export interface DelegationResult {
  /** The server the run was measured on (set by bench/run.ts). */
  server?: string;
  tasks: number;
  leads: number;
  tasksPerLead: number;
  delayMs: number;
  maxAgents: number;
  /** Flat: start → the last agent's result seen (3 objectives of `tasksPerLead` tasks in one orchestration). */
  flatMs: Summary;
  /** Tree: start → the last lead task's result seen (which includes each child's planning and synthesis). */
  treeMs: Summary;
  /** Median tree / median flat. */
  ratio: number;
  /** Tree / flat of each paired repeat. */
  pairedRatio: Summary;
  /** Start → rest idle (root synthesis included), for both. */
  flatSessionMs: Summary;
  treeSessionMs: Summary;
  /** Flat: start → first agent scheduled (planning), medians over repeats. */
  flatPlanMs: number;
  /** Flat: first agent scheduled → last result seen. */
  flatAgentsMs: number;
  /** Medians over repeats. */
  treePhases: TreePhases;
}

const ROLES = ['researcher', 'analyst', 'developer', 'reviewer', 'qa'] as const;
const TREE = 'delegation tree';
const PART = 'delegation part';

/** Two plans: the root's (`leads` lead tasks) and the team's (`tasksPerLead` independent tasks), which a flat objective plans too. */
export function delegationScenario(sizes: Pick<DelegationSizes, 'leads' | 'tasksPerLead' | 'delayMs'>): string {
  const leads = Array.from({ length: sizes.leads }, (_, i) => `      - { key: lead${i}, role: ${ROLES[i % ROLES.length]}, mission: "Lead ${PART} ${i + 1}", lead: {} }`);
  const team = Array.from({ length: sizes.tasksPerLead }, (_, j) => `      - { key: t${j}, role: ${ROLES[j % ROLES.length]}, mission: "Benchmark step ${j}", dependsOn: [] }`);
  // The team's plan matches both a lead's mission (the child's objective) and a flat objective.
  return [
    'name: bench-delegation',
    'plans:',
    `  - match: "${TREE}"`,
    '    tasks:',
    ...leads,
    `  - match: "${PART}"`,
    '    tasks:',
    ...team,
    `defaults: { delayMs: ${sizes.delayMs}, files: [] }`,
    '',
  ].join('\n');
}

/** The first workflow task completed after event index `i`: when the workflow had seen that event. */
function seenAfter(events: Event[], i: number): Event | undefined {
  return events.slice(i + 1).find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
}

/** Time one tree: the root plans `leads` lead tasks, each child plans and runs `tasksPerLead` tasks; read from the root's and children's histories. */
async function timeTree(env: BenchEnv, project: string, scenario: string, sizes: DelegationSizes, maxAgents: number): Promise<{ wallMs: number; sessionMs: number; phases: TreePhases }> {
  const root = await env.startOrchestration(project, { scenario, maxAgents, mode: 'parallel' }, [`Run ${TREE}`]);
  try {
    await env.waitIdle(root, 300_000);
    const events = await runEvents(env.client, root);
    const started = events[0];
    const initiated = events.filter((e) => e.eventType === T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED);
    const completedAt = events.flatMap((e, i) => (e.eventType === T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED ? [i] : []));
    const lastCompleted = completedAt[completedAt.length - 1];
    const seen = lastCompleted === undefined ? undefined : seenAfter(events, lastCompleted);
    if (!started || !initiated[0] || completedAt.length !== sizes.leads || !seen) {
      throw new Error(`${root}: ${completedAt.length} of ${sizes.leads} child orchestrations completed`);
    }
    const childIds = initiated.map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? '');
    const children = await Promise.all(childIds.map((id) => runEvents(env.client, id)));
    const spans = children.map((c, i) => {
      const span = activitySpan(c, 'spawnAgent');
      if (span.completed !== sizes.tasksPerLead) throw new Error(`${childIds[i]}: ${span.completed} of ${sizes.tasksPerLead} agents completed`);
      const end = c.find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      if (!end) throw new Error(`${childIds[i]} did not complete`);
      return { ...span, endMs: eventMs(end) };
    });
    const min = (xs: number[]) => Math.min(...xs);
    const max = (xs: number[]) => Math.max(...xs);
    const t0 = eventMs(started);
    const asked = eventMs(initiated[0]);
    const childRunning = min(spans.map((s) => s.startedMs));
    const firstAgent = min(spans.map((s) => s.firstScheduledMs));
    const lastSeen = max(spans.map((s) => s.lastResultSeenMs));
    const childEnd = max(spans.map((s) => s.endMs));
    const last = events[events.length - 1];
    return {
      wallMs: eventMs(seen) - t0,
      sessionMs: (last ? eventMs(last) : eventMs(seen)) - t0,
      phases: {
        rootPlanMs: asked - t0,
        childStartMs: childRunning - asked,
        childPlanMs: firstAgent - childRunning,
        agentsMs: lastSeen - firstAgent,
        childFinishMs: childEnd - lastSeen,
        rootSeesMs: eventMs(seen) - childEnd,
      },
    };
  } finally {
    // The children have returned; the idle root would otherwise sit in the worker's cache.
    await env.terminate(root);
  }
}

/**
 * Issue 15's benchmark: `leads × tasksPerLead` tasks of `delayMs`, run flat (`leads` objectives of `tasksPerLead`
 * tasks in one orchestration) and as a tree (one objective of `leads` lead tasks, each a child orchestration planning
 * the same `tasksPerLead` tasks), paired repeats in alternating order after an untimed warm-up of each.
 */
export async function benchDelegation(env: BenchEnv, sizes: DelegationSizes, maxAgents: number, log: (m: string) => void): Promise<DelegationResult> {
  const tasks = sizes.leads * sizes.tasksPerLead;
  const scenario = writeScenario(env.dataDir, 'delegation', delegationScenario(sizes));
  const flat = (i: number | string) =>
    timeBaton(env, {
      project: benchProject('delegation-flat', i),
      scenario,
      objectives: Array.from({ length: sizes.leads }, (_, k) => `Run ${PART} ${k + 1}`),
      maxAgents,
      expectTasks: tasks,
      timeoutMs: 300_000,
    });
  const tree = (i: number | string) => timeTree(env, benchProject('delegation-tree', i), scenario, sizes, maxAgents);

  await flat('warmup');
  await tree('warmup');
  const flatMs: number[] = [];
  const treeMs: number[] = [];
  const flatSession: number[] = [];
  const treeSession: number[] = [];
  const flatPlan: number[] = [];
  const flatAgents: number[] = [];
  const phases: TreePhases[] = [];
  for (let r = 0; r < sizes.repeats; r++) {
    // Alternate which side goes first, so drift in machine load falls on both.
    const runFlat = async () => {
      const t = await flat(r);
      flatMs.push(wallMs(t.span));
      flatSession.push(t.sessionMs);
      flatPlan.push(t.span.firstScheduledMs - t.span.startedMs);
      flatAgents.push(t.span.lastResultSeenMs - t.span.firstScheduledMs);
    };
    const runTree = async () => {
      const t = await tree(r);
      treeMs.push(t.wallMs);
      treeSession.push(t.sessionMs);
      phases.push(t.phases);
    };
    if (r % 2 === 0) await runFlat().then(runTree);
    else await runTree().then(runFlat);
    log(`delegation ${r + 1}/${sizes.repeats}: tree ${treeMs[r]?.toFixed(0)} ms, flat ${flatMs[r]?.toFixed(0)} ms`);
  }
  const med = (xs: number[]) => summarize(xs).median;
  const phase = (k: keyof TreePhases) => med(phases.map((p) => p[k]));
  const f = summarize(flatMs);
  const t = summarize(treeMs);
  return {
    tasks,
    leads: sizes.leads,
    tasksPerLead: sizes.tasksPerLead,
    delayMs: sizes.delayMs,
    maxAgents,
    flatMs: f,
    treeMs: t,
    ratio: t.median / f.median,
    pairedRatio: summarize(pairedRatios(treeMs, flatMs)),
    flatSessionMs: summarize(flatSession),
    treeSessionMs: summarize(treeSession),
    flatPlanMs: med(flatPlan),
    flatAgentsMs: med(flatAgents),
    treePhases: {
      rootPlanMs: phase('rootPlanMs'),
      childStartMs: phase('childStartMs'),
      childPlanMs: phase('childPlanMs'),
      agentsMs: phase('agentsMs'),
      childFinishMs: phase('childFinishMs'),
      rootSeesMs: phase('rootSeesMs'),
    },
  };
}

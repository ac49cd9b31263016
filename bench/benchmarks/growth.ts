import type { StatusView } from '../../src/shared/status';
import { allRuns, type BenchEnv, type RunInfo } from '../env';
import { temporal } from '@temporalio/proto';
import { runEvents, workflowTaskFailures } from '../history';
import { objectiveTexts, scenarioYaml, writeScenario } from '../scenario';
import { ownRssMiB, sleep, summarize, type Summary } from '../stats';
import { benchProject } from './measure';

/** Sizes for the growth benchmark. */
export interface GrowthSizes {
  target: number;
  tasksPerObjective: number;
  /** Objectives kept open at once; the driver adds more as they complete, as a person would over weeks. */
  openObjectives: number;
  checkpoints: number[];
  /** The driver gives up (and reports how far it got) after this long. */
  budgetMs: number;
  /** Baton's `continueAsNewAfterEvents`; undefined leaves it to Temporal's own suggestion. */
  continueAsNewAfterEvents?: number;
  latencySamples: number;
}

/** What one orchestration looked like once `tasks` tasks had completed. */
export interface GrowthCheckpoint {
  checkpoint: number;
  tasks: number;
  elapsedMs: number;
  statusLatencyMs: Summary;
  statusBytes: number;
  workerRssMiB: number;
  /** Wall time per completed task since the previous checkpoint. */
  msPerTaskSincePrevious: number;
}

/** How one orchestration's cost grew with the work it had done. */
export interface GrowthResult {
  target: number;
  completed: number;
  reachedTarget: boolean;
  /** Why the driver stopped short of the target, naming what broke and where. */
  stoppedBecause?: string;
  continueAsNewAfterEvents?: number;
  checkpoints: GrowthCheckpoint[];
  runs: { count: number; events: Summary; maxEvents: number; largestHistoryBytes: number; largestCarriedStateBytes: number };
  runDetails: RunInfo[];
}

/** Benchmark 4: drive as many tasks as work through one orchestration that continues-as-new, measuring as it grows. */
export async function benchGrowth(env: BenchEnv, sizes: GrowthSizes, maxAgents: number, log: (m: string) => void): Promise<GrowthResult> {
  const totalObjectives = Math.ceil(sizes.target / sizes.tasksPerObjective);
  const scenario = writeScenario(env.dataDir, 'growth', scenarioYaml({ tasks: sizes.tasksPerObjective, shape: 'independent', delayMs: 0 }));
  const project = benchProject('growth', 0);
  const first = Math.min(sizes.openObjectives, totalObjectives);
  const config = { scenario, maxAgents, ...(sizes.continueAsNewAfterEvents ? { continueAsNewAfterEvents: sizes.continueAsNewAfterEvents } : {}) };
  const workflowId = await env.startOrchestration(project, config, objectiveTexts(first));
  const t0 = performance.now();
  let added = first;
  const checkpoints: GrowthCheckpoint[] = [];
  let stoppedBecause: string | undefined;
  let completed = 0;
  let progress = { tasks: 0, at: t0 };

  const timedStatus = async (): Promise<{ ms: number; status: StatusView }> => {
    const start = performance.now();
    const status = await env.baton.status(project);
    return { ms: performance.now() - start, status };
  };

  try {
    for (;;) {
      if (performance.now() - t0 > sizes.budgetMs) {
        stoppedBecause = `the benchmark's time budget of ${sizes.budgetMs / 1000} s ran out at ${completed} tasks (not a failure: the orchestration was still making progress)`;
        break;
      }
      let status: StatusView;
      try {
        status = (await timedStatus()).status;
      } catch (err) {
        stoppedBecause = `the status query failed at ${completed} tasks: ${(err as Error).message.slice(0, 400)}`;
        break;
      }
      completed = status.metrics.total_tasks_completed;
      while (checkpoints.length < sizes.checkpoints.length && completed >= (sizes.checkpoints[checkpoints.length] as number)) {
        const latencies: number[] = [];
        let bytes = 0;
        for (let i = 0; i < sizes.latencySamples; i++) {
          const s = await timedStatus();
          latencies.push(s.ms);
          bytes = Buffer.byteLength(JSON.stringify(s.status));
        }
        const elapsedMs = performance.now() - t0;
        const prev = checkpoints[checkpoints.length - 1];
        const cp: GrowthCheckpoint = {
          checkpoint: sizes.checkpoints[checkpoints.length] as number,
          tasks: completed,
          elapsedMs,
          statusLatencyMs: summarize(latencies),
          statusBytes: bytes,
          workerRssMiB: ownRssMiB(),
          msPerTaskSincePrevious: (elapsedMs - (prev?.elapsedMs ?? 0)) / (completed - (prev?.tasks ?? 0)),
        };
        checkpoints.push(cp);
        log(`growth: ${completed} tasks after ${(elapsedMs / 1000).toFixed(0)} s; status ${cp.statusLatencyMs.median.toFixed(0)} ms (${(bytes / 1024).toFixed(0)} KiB), worker RSS ${cp.workerRssMiB.toFixed(0)} MiB`);
      }
      if (completed >= sizes.target) break;
      if (status.metrics.total_tasks_failed > 0) {
        stoppedBecause = `${status.metrics.total_tasks_failed} task(s) failed: ${status.tasks.find((t) => t.status === 'failed')?.error ?? ''}`;
        break;
      }
      const open = status.objectives.filter((o) => o.status !== 'completed' && o.status !== 'failed').length;
      const more = Math.min(sizes.openObjectives - open, totalObjectives - added);
      for (const description of objectiveTexts(Math.max(0, more), added)) await env.baton.addObjective(project, description);
      added += Math.max(0, more);
      const now = performance.now();
      if (completed > progress.tasks) progress = { tasks: completed, at: now };
      else if (now - progress.at > 30_000) {
        stoppedBecause = await diagnoseStall(env, workflowId, completed);
        break;
      }
      await sleep(1000);
    }
    const runDetails = await allRuns(env.client, env.namespace, workflowId);
    const events = runDetails.map((r) => r.events);
    return {
      target: sizes.target,
      completed,
      reachedTarget: completed >= sizes.target,
      stoppedBecause,
      continueAsNewAfterEvents: sizes.continueAsNewAfterEvents,
      checkpoints,
      runs: {
        count: runDetails.length,
        events: summarize(events),
        maxEvents: Math.max(...events),
        largestHistoryBytes: Math.max(...runDetails.map((r) => r.historyBytes ?? 0)),
        largestCarriedStateBytes: Math.max(...runDetails.map((r) => r.inputBytes)),
      },
      runDetails,
    };
  } finally {
    await env.terminate(workflowId);
  }
}

/** Why an orchestration stopped making progress: its workflow status and any failed workflow task in its latest run. */
async function diagnoseStall(env: BenchEnv, workflowId: string, completed: number): Promise<string> {
  const d = await env.client.workflow.getHandle(workflowId).describe();
  let where = '';
  try {
    const failures = workflowTaskFailures(await runEvents(env.client, workflowId));
    const last = failures[failures.length - 1];
    if (last) where = `; workflow task failed (event ${last.eventId}, ${last.cause}, ${failures.length} time(s)): ${last.message}`;
  } catch (err) {
    where = `; its history could not be read: ${(err as Error).message}`;
  }
  return `no progress for 30 s at ${completed} tasks: workflow ${d.status.name}, run ${d.runId}, ${d.historyLength} events${where}; ${await waitingOn(env, workflowId)}`;
}

/** What a stalled orchestration holds: its phase, objectives and tasks by status, pending decisions, its last events. */
async function waitingOn(env: BenchEnv, workflowId: string): Promise<string> {
  try {
    const s = await env.baton.status(workflowId.replace(/^baton\//, ''));
    const count = (xs: { status: string }[]) => Object.entries(xs.reduce<Record<string, number>>((n, x) => ({ ...n, [x.status]: (n[x.status] ?? 0) + 1 }), {})).map(([k, v]) => `${v} ${k}`).join(', ');
    const events = await runEvents(env.client, workflowId);
    const last = events.slice(-8).map((e) => temporal.api.enums.v1.EventType[e.eventType ?? 0]?.replace('EVENT_TYPE_', '').toLowerCase()).join(' → ');
    return `phase ${s.phase}; objectives: ${count(s.objectives)}; tasks: ${count(s.tasks)}; pending decisions: ${s.pendingDecisions.length}; last events: ${last}`;
  } catch (err) {
    return `its status could not be read: ${(err as Error).message}`;
  }
}

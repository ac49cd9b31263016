import { Context } from '@temporalio/activity';
import { createAnthropicRuntime } from '../agents/anthropic/anthropic-runtime';
import { createClaudeCodeRuntime } from '../agents/claude-code/claude-code-runtime';
import { createCommandRuntime } from '../agents/command/command-runtime';
import { AgentRuntimeError, type AgentRunContext, type AgentRuntime } from '../agents/runtime';
import { createScriptedRuntime } from '../agents/scripted/scripted-runtime';
import { workspaceDir } from '../agents/workspace';
import { artifactsDir, FileArtifactStore, type ArtifactStore } from '../artifacts/artifact-store';
import { Failure } from '../shared/failures';
import { RuntimeName } from '../shared/schemas';
import { makeArchiveTasks } from './archive-tasks';
import { makeCompareReports } from './compare-reports';
import { makeGardenRoadmap } from './garden-roadmap';
import { makeLandWork, type LandStepHook } from './land-work';
import { makeSweepWorktrees } from './sweep-worktrees';
import { makePersistContext } from './persist-context';
import { makePlanObjective } from './plan-objective';
import { makePublishEvents } from './publish-events';
import { makeSpawnAgent } from './spawn-agent';
import { makeSynthesize } from './synthesize';
import { makeVerifyWork } from './verify-work';

/** What the worker hands the activities: where data lives and, optionally, runtimes and an artifact store to use instead of the defaults. */
export interface ActivityDeps {
  /** Root of Baton's files; each project gets `<dataDir>/<project>`. */
  dataDir: string;
  /** Replace a runtime by name (tests inject an `anthropic` runtime pointed at the fake server). */
  runtimes?: Partial<Record<RuntimeName, AgentRuntime>>;
  /** Default: content-addressed files under `<dataDir>/artifacts`. */
  artifacts?: ArtifactStore;
  /** NATS server for events, from the worker's config (which folds in `NATS_URL`); unset: `NATS_URL` is read at each batch. */
  natsUrl?: string;
  /** Crash drills: called before each landing step (commit, merge, publish, cleanup) so a test can interrupt it there. */
  landStepHook?: LandStepHook;
}

/** The helpers every activity factory gets from `createActivities`. */
export interface ActivityKit {
  dataDir: string;
  artifacts: ArtifactStore;
  /** The runtime named on the wire; throws a non-retryable failure for one that is not configured. */
  runtimeFor(name: unknown): AgentRuntime;
  /** An AgentRunContext bound to the current activity, working in `project`'s workspace. */
  runContext(project: string): AgentRunContext;
}

function makeKit(deps: ActivityDeps): ActivityKit {
  // The anthropic and command runtimes read their settings (API key, base URL, command template) from the environment per call.
  const runtimes: Record<RuntimeName, AgentRuntime> = {
    scripted: createScriptedRuntime(),
    anthropic: createAnthropicRuntime(),
    command: createCommandRuntime(),
    'claude-code': createClaudeCodeRuntime(),
    ...deps.runtimes,
  };
  const artifacts = deps.artifacts ?? new FileArtifactStore(artifactsDir(deps.dataDir));
  return {
    dataDir: deps.dataDir,
    artifacts,
    runtimeFor(name) {
      const parsed = RuntimeName.safeParse(name);
      const runtime = parsed.success ? runtimes[parsed.data] : undefined;
      if (!runtime) throw new AgentRuntimeError(Failure.InputInvalid, `unknown agent runtime "${String(name)}"`, false);
      return runtime;
    },
    runContext(project) {
      const ctx = Context.current();
      return {
        project,
        workspace: workspaceDir(deps.dataDir, project),
        artifacts,
        heartbeat: (details) => ctx.heartbeat(details),
        sleep: (ms) => ctx.sleep(ms),
        cancellationSignal: ctx.cancellationSignal,
        attempt: ctx.info.attempt,
        heartbeatDetails: ctx.info.heartbeatDetails,
        log: ctx.log,
      };
    },
  };
}

/** Baton's activities, bound to `deps`; register the result with a worker. */
export function createActivities(deps: ActivityDeps) {
  const kit = makeKit(deps);
  return {
    planObjective: makePlanObjective(kit),
    spawnAgent: makeSpawnAgent(kit),
    synthesize: makeSynthesize(kit),
    compareReports: makeCompareReports(kit),
    persistContext: makePersistContext(kit),
    archiveTasks: makeArchiveTasks(kit),
    verifyWork: makeVerifyWork(kit),
    gardenRoadmap: makeGardenRoadmap(),
    landWork: makeLandWork(deps.landStepHook),
    sweepWorktrees: makeSweepWorktrees(),
    publishEvents: makePublishEvents(deps.natsUrl ? () => ({ NATS_URL: deps.natsUrl }) : undefined),
  };
}

/** The activity interface workflows proxy: `proxyActivities<BatonActivities>(…)`. */
export type BatonActivities = ReturnType<typeof createActivities>;

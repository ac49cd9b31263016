import { Context } from '@temporalio/activity';
import { AgentRuntimeError, type AgentRunContext, type AgentRuntime } from '../agents/runtime';
import { createScriptedRuntime } from '../agents/scripted/scripted-runtime';
import { Failure } from '../shared/failures';
import { RuntimeName } from '../shared/schemas';
import { makePersistContext } from './persist-context';
import { makePlanObjective } from './plan-objective';
import { makeSpawnAgent } from './spawn-agent';
import { makeSynthesize } from './synthesize';
import { workspaceDir } from './workspace';

/** What the worker hands the activities: where data lives and, optionally, runtimes to use instead of the defaults. */
export interface ActivityDeps {
  /** Root of Baton's files; each project gets `<dataDir>/<project>`. */
  dataDir: string;
  runtimes?: Partial<Record<RuntimeName, AgentRuntime>>;
}

/** The helpers every activity factory gets from `createActivities`. */
export interface ActivityKit {
  dataDir: string;
  /** The runtime named on the wire; throws a non-retryable failure for one that is not configured. */
  runtimeFor(name: unknown): AgentRuntime;
  /** An AgentRunContext bound to the current activity, working in `project`'s workspace. */
  runContext(project: string): AgentRunContext;
}

function makeKit(deps: ActivityDeps): ActivityKit {
  const runtimes: Partial<Record<RuntimeName, AgentRuntime>> = { scripted: createScriptedRuntime(), ...deps.runtimes };
  return {
    dataDir: deps.dataDir,
    runtimeFor(name) {
      const parsed = RuntimeName.safeParse(name);
      const runtime = parsed.success ? runtimes[parsed.data] : undefined;
      if (!runtime) throw new AgentRuntimeError(Failure.InputInvalid, `unknown agent runtime "${String(name)}"`, false);
      return runtime;
    },
    runContext(project) {
      const ctx = Context.current();
      return {
        workspace: workspaceDir(deps.dataDir, project),
        heartbeat: (details) => ctx.heartbeat(details),
        sleep: (ms) => ctx.sleep(ms),
        cancellationSignal: ctx.cancellationSignal,
        attempt: ctx.info.attempt,
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
    persistContext: makePersistContext(kit),
  };
}

/** The activity interface workflows proxy: `proxyActivities<BatonActivities>(…)`. */
export type BatonActivities = ReturnType<typeof createActivities>;

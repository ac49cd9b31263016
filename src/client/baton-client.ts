import {
  type Client,
  type Connection,
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { ConsensusSpec } from '../shared/consensus-spec';
import { type QueryDefinition, TypedSearchAttributes, type UpdateDefinition } from '@temporalio/common';
import type { ContextDocument } from '../shared/context';
import * as msg from '../shared/messages';
import {
  AddObjectiveInput,
  type Budget,
  CompleteTaskInput,
  DecideInput,
  type Decision,
  type Objective,
  OrchestrationConfig,
  type OrchestrationState,
  ProjectName,
  RecordInsightInput,
  StopInput,
} from '../shared/schemas';
import { BATON_PROJECT, BATON_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import type { StatusView } from '../shared/status';
import { parseOrThrow } from '../shared/zod-errors';
import type { orchestration } from '../workflows';

/** A failure a person can act on; the CLI prints its message and exits non-zero. */
export class BatonError extends Error {
  override name = 'BatonError';
}

/** How long a call waits for a worker to answer before saying none is running. */
const WORKER_DEADLINE_MS = 20_000;

/** Options for starting an orchestration. */
export interface StartOptions {
  config?: Partial<OrchestrationConfig>;
  objectives?: string[];
  /** Imported state (from a context file); starts the workflow from it. */
  state?: OrchestrationState;
  /** Replace a running orchestration of the same project (the demo does this). */
  replaceExisting?: boolean;
}

/** Typed access to orchestrations: what the `baton` CLI uses and what other programs import. */
export class BatonClient {
  constructor(
    readonly client: Client,
    readonly connection: Connection,
    readonly namespace: string,
  ) {}

  /** Start `baton/<project>`; fails clearly if it is already running (unless replacing). */
  async start(project: string, opts: StartOptions = {}): Promise<{ workflowId: string; runId: string }> {
    parseOrThrow(ProjectName, project, 'project');
    const searchAttributes = await this.hasSearchAttributes();
    const config = parseOrThrow(OrchestrationConfig, { ...(opts.state?.config ?? {}), ...opts.config, searchAttributes }, 'config');
    const objectives = (opts.objectives ?? []).map((d) => parseOrThrow(AddObjectiveInput, { description: d }, 'objective').description);
    const workflowId = msg.workflowIdFor(project);
    const state = opts.state ? { ...opts.state, config } : undefined;
    try {
      const handle = await this.client.workflow.start<typeof orchestration>('orchestration', {
        taskQueue: msg.WORKFLOW_TASK_QUEUE,
        workflowId,
        args: [{ project, config, objectives, state }],
        workflowIdConflictPolicy: opts.replaceExisting ? WorkflowIdConflictPolicy.TERMINATE_EXISTING : WorkflowIdConflictPolicy.FAIL,
        staticSummary: `Baton orchestration · ${project}`,
        staticDetails: `Project **${project}** · mode ${config.mode} · up to ${config.maxAgents} agents · runtime ${config.runtime}${config.runtime === 'scripted' ? ' (simulated agents)' : ''}`,
        typedSearchAttributes: searchAttributes ? new TypedSearchAttributes([{ key: BATON_PROJECT, value: project }]) : undefined,
      });
      return { workflowId, runId: handle.firstExecutionRunId };
    } catch (err) {
      if (err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError') {
        throw new BatonError(`project ${project} already has a running orchestration (${workflowId}); use \`baton resume\` or \`baton status\``);
      }
      throw err;
    }
  }

  /** Whether an orchestration for the project is running. */
  async isRunning(project: string): Promise<boolean> {
    try {
      const d = await this.client.workflow.getHandle(msg.workflowIdFor(project)).describe();
      return d.status.name === 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** Add an objective; returns it with its id. */
  async addObjective(project: string, description: string, budget?: Budget, streams?: string[] | 'all', consensus?: ConsensusSpec): Promise<Objective> {
    const input = parseOrThrow(AddObjectiveInput, { description, ...(budget ? { budget } : {}), ...(streams ? { streams } : {}), ...(consensus ? { consensus } : {}) }, 'objective');
    return this.update(project, msg.addObjectiveUpdate, input);
  }

  /** Run roadmap work streams (`site:1.2`), or every available one (`all`), as an objective. */
  async runStreams(project: string, streams: string[] | 'all', budget?: Budget): Promise<Objective> {
    const description = streams === 'all' ? 'Run all available work streams' : `Run work stream${streams.length > 1 ? 's' : ''} ${streams.join(', ')}`;
    return this.addObjective(project, description, budget, streams);
  }

  /** Complete a task by hand with an outcome. */
  async completeTask(project: string, taskId: string, outcome: string): Promise<{ taskId: string; stoppedAgents: string[] }> {
    return this.update(project, msg.completeTaskUpdate, parseOrThrow(CompleteTaskInput, { taskId, outcome }, 'arguments'));
  }

  /** Record an insight. */
  async recordInsight(project: string, text: string, source?: string, memory: { agent?: string; kind?: RecordInsightInput['kind'] } = {}): Promise<{ insights: number }> {
    const input = parseOrThrow(RecordInsightInput, { text, source, ...(memory.agent ? { agent: memory.agent } : {}), ...(memory.kind ? { kind: memory.kind } : {}) }, 'insight');
    return this.update(project, msg.recordInsightUpdate, input);
  }

  /** Answer a pending decision. */
  async decide(project: string, input: DecideInput): Promise<Decision> {
    return this.update(project, msg.decideUpdate, parseOrThrow(DecideInput, input, 'decision'));
  }

  /** Stop the orchestration (immediately or gracefully) or one agent. */
  async stop(project: string, input: StopInput = {}): Promise<{ stoppedAgents: string[]; graceful: boolean }> {
    return this.update(project, msg.stopUpdate, parseOrThrow(StopInput, input, 'stop'));
  }

  /** Resume after a stop or start a new session; answers with the session that runs next. */
  async resume(project: string): Promise<{ session: number }> {
    return this.update(project, msg.resumeUpdate, {});
  }

  /** The `status` query. */
  status(project: string): Promise<StatusView> {
    return this.query(project, msg.statusQuery);
  }

  /** The seed-002 context document. */
  context(project: string): Promise<ContextDocument> {
    return this.query(project, msg.contextQuery);
  }

  /** Send an update; a rejection becomes a BatonError naming what was wrong. */
  async update<Ret, Arg>(project: string, def: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
    const handle = this.client.workflow.getHandle(msg.workflowIdFor(project));
    try {
      return await this.withWorker(() => handle.executeUpdate(def, { args: [arg] }));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        throw new BatonError(`${def.name} rejected: ${err.cause?.message ?? err.message}`);
      }
      throw this.explain(err, project);
    }
  }

  private async query<Ret>(project: string, def: QueryDefinition<Ret, []>): Promise<Ret> {
    const handle = this.client.workflow.getHandle(msg.workflowIdFor(project));
    try {
      return await this.withWorker(() => handle.query(def));
    } catch (err) {
      throw this.explain(err, project);
    }
  }

  private withWorker<T>(fn: () => Promise<T>): Promise<T> {
    return this.connection.withDeadline(Date.now() + WORKER_DEADLINE_MS, fn);
  }

  private explain(err: unknown, project: string): unknown {
    if (err instanceof WorkflowNotFoundError) {
      return new BatonError(`no orchestration for project ${project}; start one with \`baton new --project ${project}\``);
    }
    const text = err instanceof Error ? err.message : String(err);
    if (/deadline|DEADLINE_EXCEEDED/i.test(text)) {
      return new BatonError(`no answer from a Baton worker within ${WORKER_DEADLINE_MS / 1000}s: is \`baton worker\` running against this server?`);
    }
    if (/workflow execution already completed/i.test(text)) {
      return new BatonError(`the orchestration for project ${project} is no longer running`);
    }
    return err;
  }

  private async hasSearchAttributes(): Promise<boolean> {
    try {
      const res = await this.connection.operatorService.listSearchAttributes({ namespace: this.namespace });
      const custom = res.customAttributes ?? {};
      return Object.keys(BATON_SEARCH_ATTRIBUTES).every((name) => name in custom);
    } catch {
      return false;
    }
  }
}

import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { AgentReport, Usage, PlanObjectiveInput, PlanResult, SpawnAgentInput, SynthesisResult, SynthesizeInput } from '../shared/activity-types';
import type { CompareReportsInput, CompareReportsResult } from '../shared/consensus-spec';
import type { Failure } from '../shared/failures';
import type { RuntimeName } from '../shared/schemas';

/** Structured logger a runtime writes to; Temporal's activity logger satisfies it. */
export interface AgentLog {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** What the hosting activity lends a runtime for one call. */
export interface AgentRunContext {
  /** The project the call works for (artifacts are labelled with it). */
  project: string;
  /** Absolute directory the agent may read and write; nothing outside it. */
  workspace: string;
  /** Where transcripts, long outputs and long reports go; history carries their ids. */
  artifacts: ArtifactStore;
  /** Records liveness (and progress details) so a stuck agent is noticed and retried. */
  heartbeat(details?: unknown): void;
  /** Waits `ms`; rejects with a CancelledFailure when the activity is cancelled. */
  sleep(ms: number): Promise<void>;
  /** Aborted on cancellation; pass it to anything that accepts a signal. */
  cancellationSignal: AbortSignal;
  /** 1 on the first try, counting up on each retry. */
  attempt: number;
  /** What the previous attempt last heartbeated (a retry after a crash resumes from it), if anything. */
  heartbeatDetails?: unknown;
  log: AgentLog;
}

/** One way of running agents (simulated, Messages API, CLI); activities depend only on this. */
export interface AgentRuntime {
  readonly name: RuntimeName;
  /** Runs one agent on one task to completion; a failed task is a report, a crash is a throw. */
  runAgent(input: SpawnAgentInput, ctx: AgentRunContext): Promise<AgentReport>;
  /** Breaks an objective into a task DAG (validated by the caller), with what planning cost. */
  plan(input: PlanObjectiveInput, ctx: AgentRunContext): Promise<PlanResult>;
  /** Turns finished outputs into agreements, conflicts, patterns, unknowns and decisions. */
  synthesize(input: SynthesizeInput, ctx: AgentRunContext): Promise<SynthesisResult>;
  /** Compares consensus agents' answers with a model (LLM runtimes); without it the comparison is deterministic (src/agents/scripted/compare.ts). */
  compare?(input: CompareReportsInput, ctx: AgentRunContext): Promise<CompareReportsResult>;
}

/** An error a runtime raises on purpose, saying its failure type and whether a retry can help. */
export class AgentRuntimeError extends Error {
  override readonly name = 'AgentRuntimeError';

  constructor(
    readonly type: Failure,
    message: string,
    readonly retryable: boolean,
    readonly nextRetryDelayMs?: number,
    /** What the failed run had spent; it reaches the workflow in the failure's details so the ledger counts it. */
    readonly usage?: Usage,
  ) {
    super(message);
  }
}

/** Maps what a runtime threw to what an activity should throw; cancellation and Temporal failures pass through. */
export function toApplicationFailure(err: unknown): unknown {
  if (err instanceof CancelledFailure || err instanceof ApplicationFailure) return err;
  if (err instanceof AgentRuntimeError) {
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      nonRetryable: !err.retryable,
      // A zero delay would stop Temporal retrying (it reads it as "no interval"); "retry now" gets the policy's backoff.
      nextRetryDelay: err.nextRetryDelayMs || undefined,
      ...(err.usage ? { details: [{ usage: err.usage }] } : {}),
      cause: err,
    });
  }
  // Anything unexpected stays a plain error, which Temporal retries under the activity's policy.
  return err;
}

import { context } from '@opentelemetry/api';
import { defaultPayloadConverter } from '@temporalio/common';
import type {
  ActivityInput,
  ContinueAsNewInput,
  LocalActivityInput,
  Next,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { activeSessionContext, endSpansForHandover, receiveSession, sessionToCarry, type SessionCarry } from './phase-spans';

/** The continue-as-new header that carries a running session's root span to the next run. */
export const SESSION_HEADER = 'baton-session-trace';

// Workflow code (bundled into a traced worker's workflows, before the OpenTelemetry interceptor). Scheduling an activity
// during a session runs the OpenTelemetry interceptor's `StartActivity` span in the running phase's context, so the
// activity's spans (and, through its headers, the worker's `RunActivity` and model-call spans) join the session's trace.
// Only the active OpenTelemetry context changes: the same commands are issued, so histories replay.

/** Schedules activities under the running session's phase span; outside a session it leaves the context alone. */
export class SessionContextOutboundInterceptor implements WorkflowOutboundCallsInterceptor {
  /** An activity scheduled during a session belongs to the session's trace. */
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    const ctx = activeSessionContext();
    return ctx ? context.with(ctx, () => next(input)) : next(input);
  }

  /** The same for local activities. */
  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    const ctx = activeSessionContext();
    return ctx ? context.with(ctx, () => next(input)) : next(input);
  }

  /** A session still running at the hand-over carries its root span to the next run (a header: no new command). */
  continueAsNew(input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>): Promise<never> {
    const carry = sessionToCarry();
    endSpansForHandover();
    return next(carry ? { ...input, headers: { ...input.headers, [SESSION_HEADER]: defaultPayloadConverter.toPayload(carry) } } : input);
  }
}

/** Reads the session a previous run handed over, if any; a malformed header is ignored (tracing never fails a run). */
export class SessionCarryInboundInterceptor implements WorkflowInboundCallsInterceptor {
  /** Before the workflow runs: remember the carried session for the phase tracer. */
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const raw = input.headers[SESSION_HEADER];
    if (raw) {
      try {
        const carry = defaultPayloadConverter.fromPayload<SessionCarry>(raw);
        if (typeof carry?.session === 'number' && typeof carry.traceId === 'string' && typeof carry.spanId === 'string') receiveSession({ ...carry, traceFlags: Number(carry.traceFlags) || 0 });
      } catch {
        // Not ours to judge: the run goes on, its session starts a new trace.
      }
    }
    return next(input);
  }
}

/** The interceptors a traced bundle loads: Temporal's OpenTelemetry ones, with the session's context set outside its outbound one. */
export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new SessionCarryInboundInterceptor(), new OpenTelemetryInboundInterceptor()],
  outbound: [new SessionContextOutboundInterceptor(), new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});

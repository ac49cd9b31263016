import { context } from '@opentelemetry/api';
import type { ActivityInput, LocalActivityInput, Next, WorkflowInterceptors, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { activeSessionContext } from './phase-spans';

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
}

/** The interceptors a traced bundle loads: Temporal's OpenTelemetry ones, with the session's context set outside its outbound one. */
export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new SessionContextOutboundInterceptor(), new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});

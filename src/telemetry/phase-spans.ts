import { context, ROOT_CONTEXT, trace, type Context, type Link, type Span, type SpanContext } from '@opentelemetry/api';
import { PHASE_NUMBER } from '../shared/events';
import type { Phase } from '../shared/schemas';

// Imported by workflow code: @opentelemetry/api only. Spans are made with the tracer the OpenTelemetry workflow
// interceptor registers in the sandbox (exported through its sink, never during replay); without the interceptor
// the API hands out no-op spans. Starting or ending a span issues no workflow command, so histories replay as before.

/** What a phase span is told about the orchestration. */
export interface PhaseView {
  project: string;
  session: number;
  phase: Phase;
}

/** Span attribute names, shared with the tests and the README. */
export const SPAN_ATTR = {
  project: 'baton.project',
  session: 'baton.session',
  phase: 'baton.phase',
  phaseNumber: 'baton.phase.number',
  /** On a session's links: `workflow run` (the run span it began in) or `started by` (that span's parent: the client's StartWorkflow, or the previous run's ContinueAsNew). */
  linkKind: 'baton.link',
} as const;

// The context activities are scheduled in: the running phase's span, or nothing between sessions. Module state is
// per workflow execution (the worker gives each workflow its own module cache), and makePhaseSpans writes it.
let sessionContext: Context | undefined;
// The running session's root, handed to the next run when a session is carried across continue-as-new, and the one handed to this run.
let sessionRoot: SessionCarry | undefined;
let received: SessionCarry | undefined;
// Ends the open phase and session spans: a run that hands over never reaches its resting phase, and an unended span is never exported.
let closeOpen: (() => void) | undefined;

/** End this run's open session and phase spans (before continue-as-new; the next run continues the session under its root). */
export function endSpansForHandover(): void {
  closeOpen?.();
}

/** A session's root span, carried in a continue-as-new header so the next run's part of the session joins its trace. */
export interface SessionCarry {
  session: number;
  traceId: string;
  spanId: string;
  traceFlags: number;
}

/** The running session's root, for the workflow interceptor to carry over continue-as-new; `undefined` between sessions. */
export function sessionToCarry(): SessionCarry | undefined {
  return sessionRoot;
}

/** This run continues the session whose root `carry` names (from the header the previous run's continue-as-new wrote). */
export function receiveSession(carry: SessionCarry | undefined): void {
  received = carry;
}

/** The running session's phase context, for the workflow interceptor to schedule activities under; `undefined` between sessions. */
export function activeSessionContext(): Context | undefined {
  return sessionContext;
}

/** Links from a session's root span back to the orchestration's trace: the workflow run span and the span that started the run. */
function linksTo(run: Context): Link[] {
  const span = trace.getSpan(run);
  if (!span) return [];
  const own = span.spanContext();
  if (!trace.isSpanContextValid(own)) return [];
  const links: Link[] = [{ context: own, attributes: { [SPAN_ATTR.linkKind]: 'workflow run' } }];
  // The SDK's span (not the API's interface) knows its parent: the client's StartWorkflow, or the ContinueAsNew before this run.
  const parentSpanId = (span as unknown as { parentSpanId?: unknown }).parentSpanId;
  if (typeof parentSpanId === 'string' && parentSpanId) {
    links.push({ context: { ...own, spanId: parentSpanId, isRemote: true }, attributes: { [SPAN_ATTR.linkKind]: 'started by' } });
  }
  return links;
}

/**
 * A tracer of one workflow run's sessions: call it on every state change (it compares two fields, so it is cheap). Each session is
 * its own trace: a `session <n>` root span, linked to the workflow run's span and to the span that started the run, so the
 * orchestration's trace and the session's lead to each other. Each of seed 002's phases is a `phase <n> <name>` span under it, and
 * activities scheduled during a phase go under the phase (see ./workflow-interceptors). A resting phase (idle, paused) ends the session.
 * A session carried into a fresh run (continue-as-new) goes on as `session <n> (continued)` under the first run's session root.
 */
export function makePhaseSpans(): (view: PhaseView) => void {
  const tracer = trace.getTracer('baton-workflow');
  let run: Context | undefined;
  let session: { n: number; span: Span } | undefined;
  let phase: { name: Phase; span: Span } | undefined;

  const endPhase = (): void => {
    phase?.span.end();
    phase = undefined;
    sessionContext = session && trace.setSpan(ROOT_CONTEXT, session.span);
  };
  const endSession = (): void => {
    endPhase();
    session?.span.end();
    session = undefined;
    sessionContext = undefined;
    sessionRoot = undefined;
  };

  closeOpen = endSession;
  return (view) => {
    run ??= context.active();
    const number = PHASE_NUMBER[view.phase];
    // Session 0 is the time before the first session begins (phase 1 counts it): nothing to trace yet.
    if (number === undefined || view.session === 0) return endSession();
    if (session && session.n !== view.session) endSession();
    if (phase?.name === view.phase) return;
    endPhase();
    const base = { [SPAN_ATTR.project]: view.project, [SPAN_ATTR.session]: view.session };
    if (!session) {
      // A session carried over from the previous run continues in its trace, under its root; a new session is a new trace.
      const carried = received?.session === view.session ? received : undefined;
      received = undefined;
      const parent: SpanContext | undefined = carried && { traceId: carried.traceId, spanId: carried.spanId, traceFlags: carried.traceFlags, isRemote: true };
      const span = parent
        ? tracer.startSpan(`session ${view.session} (continued)`, { attributes: base, links: linksTo(run) }, trace.setSpanContext(ROOT_CONTEXT, parent))
        : tracer.startSpan(`session ${view.session}`, { root: true, attributes: base, links: linksTo(run) });
      session = { n: view.session, span };
      const own = span.spanContext();
      sessionRoot = carried ?? (trace.isSpanContextValid(own) ? { session: view.session, traceId: own.traceId, spanId: own.spanId, traceFlags: own.traceFlags } : undefined);
    }
    const attributes = { ...base, [SPAN_ATTR.phase]: view.phase, [SPAN_ATTR.phaseNumber]: number };
    const span = tracer.startSpan(`phase ${number} ${view.phase}`, { attributes }, trace.setSpan(ROOT_CONTEXT, session.span));
    phase = { name: view.phase, span };
    sessionContext = trace.setSpan(ROOT_CONTEXT, span);
  };
}

import { context, ROOT_CONTEXT, trace, type Context, type Link, type Span } from '@opentelemetry/api';
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
  };

  return (view) => {
    run ??= context.active();
    const number = PHASE_NUMBER[view.phase];
    // Session 0 is the time before the first session begins (phase 1 counts it): nothing to trace yet.
    if (number === undefined || view.session === 0) return endSession();
    if (session && session.n !== view.session) endSession();
    if (phase?.name === view.phase) return;
    endPhase();
    const base = { [SPAN_ATTR.project]: view.project, [SPAN_ATTR.session]: view.session };
    session ??= { n: view.session, span: tracer.startSpan(`session ${view.session}`, { root: true, attributes: base, links: linksTo(run) }) };
    const attributes = { ...base, [SPAN_ATTR.phase]: view.phase, [SPAN_ATTR.phaseNumber]: number };
    const span = tracer.startSpan(`phase ${number} ${view.phase}`, { attributes }, trace.setSpan(ROOT_CONTEXT, session.span));
    phase = { name: view.phase, span };
    sessionContext = trace.setSpan(ROOT_CONTEXT, span);
  };
}

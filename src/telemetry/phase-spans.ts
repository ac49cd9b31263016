import { context, trace, type Context, type Span } from '@opentelemetry/api';
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
} as const;

/**
 * A tracer of one workflow run's sessions: call it on every state change (it compares two fields, so it is cheap). Each session is a
 * `session <n>` span under the run's span, and each of seed 002's phases a `phase <n> <name>` span under it;
 * a resting phase (idle, paused) ends the session's span.
 */
export function makePhaseSpans(): (view: PhaseView) => void {
  const tracer = trace.getTracer('baton-workflow');
  let parent: Context | undefined;
  let session: { n: number; span: Span } | undefined;
  let phase: { name: Phase; span: Span } | undefined;

  const endPhase = (): void => {
    phase?.span.end();
    phase = undefined;
  };
  const endSession = (): void => {
    endPhase();
    session?.span.end();
    session = undefined;
  };

  return (view) => {
    parent ??= context.active();
    const number = PHASE_NUMBER[view.phase];
    // Session 0 is the time before the first session begins (phase 1 counts it): nothing to trace yet.
    if (number === undefined || view.session === 0) return endSession();
    if (session && session.n !== view.session) endSession();
    if (phase?.name === view.phase) return;
    endPhase();
    const base = { [SPAN_ATTR.project]: view.project, [SPAN_ATTR.session]: view.session };
    session ??= { n: view.session, span: tracer.startSpan(`session ${view.session}`, { attributes: base }, parent) };
    const attributes = { ...base, [SPAN_ATTR.phase]: view.phase, [SPAN_ATTR.phaseNumber]: number };
    phase = { name: view.phase, span: tracer.startSpan(`phase ${number} ${view.phase}`, { attributes }, trace.setSpan(parent, session.span)) };
  };
}

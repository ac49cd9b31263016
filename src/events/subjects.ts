import type { BatonEvent } from '../shared/events';

/** A NATS subject token: dots, spaces and wildcards would split or widen a subject, so they become `_`. */
export function subjectToken(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
}

/** Where an event goes on NATS, in seed 003's spirit: `baton.<project>.phase.<n>`, `baton.<project>.agent.<name>.complete`, … */
export function subjectFor(e: BatonEvent): string {
  // A lead's child orchestration publishes below its lead path, so `baton.<project>.phase.>` is the root's alone.
  const p = `baton.${subjectToken(e.project)}${e.lead ? `.lead.${subjectToken(e.lead)}` : ''}`;
  switch (e.type) {
    case 'phase.entered':
    case 'phase.completed':
      return `${p}.phase.${e.number ?? subjectToken(e.phase)}`;
    case 'agent.spawned':
    case 'agent.progress':
    case 'agent.completed':
    case 'agent.failed':
    case 'agent.stopped':
      return `${p}.agent.${subjectToken(e.name)}.${AGENT_VERB[e.type]}`;
    default:
      // orchestration.started, objective.added, decision.raised, verification.failed, rework, blocker, budget, stop, …
      return `${p}.${e.type}`;
  }
}

const AGENT_VERB = { 'agent.spawned': 'spawned', 'agent.progress': 'progress', 'agent.completed': 'complete', 'agent.failed': 'failed', 'agent.stopped': 'stopped' } as const;

/** The subject a person subscribes to for everything of one project (`baton.<project>.>`). */
export function projectSubjects(project: string): string {
  return `baton.${subjectToken(project)}.>`;
}

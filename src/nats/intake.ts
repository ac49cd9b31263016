import type { NatsConnection, Subscription } from 'nats';
import { z } from 'zod';
import { AddObjectiveInput, ProjectName } from '../shared/schemas';
import { describeIssues } from '../shared/zod-errors';

/** Subjects objectives are taken from when none are configured: `baton.<project>.intake`. */
export const DEFAULT_INTAKE_SUBJECTS = ['baton.*.intake'];

/** Longest intake message read; anything larger is dropped unread. */
const MAX_BYTES = 64 * 1024;

/** An intake message: an `addObjective` input, optionally naming its project. A plain-text body is the description. */
export const IntakeMessage = AddObjectiveInput.extend({ project: ProjectName.optional() });
export type IntakeMessage = z.infer<typeof IntakeMessage>;

/** What one message means: an objective for a project, or why it was dropped. */
export type Intake = { ok: true; project: string; input: AddObjectiveInput } | { ok: false; reason: string };

/**
 * Read one intake message. The project comes from the message, else from a `baton.<project>.intake` subject,
 * else the default; everything is validated like the `addObjective` update.
 */
export function parseIntake(subject: string, body: Uint8Array, defaultProject?: string): Intake {
  if (body.length > MAX_BYTES) return { ok: false, reason: `message of ${body.length} bytes is over the ${MAX_BYTES}-byte limit` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body).trim();
  } catch {
    return { ok: false, reason: 'message is not UTF-8 text' };
  }
  if (!text) return { ok: false, reason: 'message is empty: send a JSON object with a "description", or the description as plain text' };
  let raw: unknown = { description: text };
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"')) {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return { ok: false, reason: `message is not valid JSON (${(err as Error).message})` };
    }
    if (typeof raw === 'string') raw = { description: raw };
  }
  const parsed = IntakeMessage.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const { project: named, ...input } = parsed.data;
  const fromSubject = /^baton\.([^.]+)\.intake$/.exec(subject)?.[1];
  const project = named ?? (fromSubject && ProjectName.safeParse(fromSubject).success ? fromSubject : undefined) ?? defaultProject;
  if (!project) return { ok: false, reason: `no project: name one in the message ("project"), publish on baton.<project>.intake, or start the intake with a default project` };
  return { ok: true, project, input };
}

/** Where intake hands a valid objective: `addObjective` on the project's orchestration. */
export type AddObjective = (project: string, input: AddObjectiveInput) => Promise<{ id: string }>;

/** Subscribe to the intake subjects; each message becomes an `addObjective` call, or is logged and dropped with a reason. */
export function startIntake(opts: {
  nc: NatsConnection;
  subjects: string[];
  addObjective: AddObjective;
  defaultProject?: string;
  log: (line: string) => void;
}): { stop(): Promise<void>; done: Promise<void> } {
  const subs: Subscription[] = opts.subjects.map((s) => opts.nc.subscribe(s, { queue: 'baton-intake' }));
  const handle = async (sub: Subscription) => {
    for await (const m of sub) {
      const intake = parseIntake(m.subject, m.data, opts.defaultProject);
      let answer: Record<string, unknown>;
      if (!intake.ok) {
        opts.log(`intake: dropped a message on ${m.subject}: ${intake.reason}`);
        answer = { ok: false, error: intake.reason };
      } else {
        try {
          const objective = await opts.addObjective(intake.project, intake.input);
          opts.log(`intake: ${m.subject} → ${intake.project} ${objective.id}: ${intake.input.description.slice(0, 80)}`);
          answer = { ok: true, project: intake.project, objectiveId: objective.id };
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          opts.log(`intake: dropped a message on ${m.subject} for ${intake.project}: ${reason}`);
          answer = { ok: false, error: reason };
        }
      }
      // A request (with a reply subject) learns what became of it.
      if (m.reply) m.respond(new TextEncoder().encode(JSON.stringify(answer)));
    }
  };
  const done = Promise.all(subs.map(handle)).then(() => undefined);
  return {
    done,
    async stop() {
      subs.forEach((s) => s.unsubscribe());
      await done;
    },
  };
}

import { z } from 'zod';
import { Failure } from '../../shared/failures';
import { describeIssues } from '../../shared/zod-errors';
import { fillPlaceholders, templateString } from '../placeholders';
import { AgentRuntimeError } from '../runtime';

/** Placeholders an argv template may use, filled per call. */
/** `budget` is the USD the call may still spend; an argument holding it is left out when there is no dollar budget. */
export const COMMAND_PLACEHOLDERS = ['role', 'model', 'project', 'task', 'agent', 'workspace', 'budget'] as const;
export type CommandPlaceholder = (typeof COMMAND_PLACEHOLDERS)[number];

const argvTemplate = z.array(templateString(COMMAND_PLACEHOLDERS).min(1)).min(1);

/** How to run a CLI agent: its argv template, what it reads on stdin, its timeout and the model it reports usage under. */
export const CommandAgentConfig = z.strictObject({
  argv: argvTemplate,
  /** `text`: a prompt (role prompt, context, mission, the JSON shape to answer with); `json`: the same as one JSON object. */
  input: z.enum(['text', 'json']).default('text'),
  timeoutMs: z.number().int().positive().default(30 * 60 * 1000),
  /** Label for usage when the CLI does not report its model. */
  model: z.string().min(1).optional(),
});
export type CommandAgentConfig = z.infer<typeof CommandAgentConfig>;

/** Environment variable holding the config: a JSON argv array, or a JSON object in CommandAgentConfig's shape. */
export const COMMAND_AGENT_ENV = 'BATON_COMMAND_AGENT';

const invalid = (detail: string) => new AgentRuntimeError(Failure.ConfigInvalid, `${COMMAND_AGENT_ENV}: ${detail}`, false);

/** Parses the config from its JSON text (an argv array is short for `{ argv }`); errors name the variable and the field. */
export function parseCommandConfig(text: string | undefined): CommandAgentConfig {
  if (!text?.trim()) throw invalid('not set; give the CLI agent as a JSON argv array, e.g. ["claude","-p","--output-format","json"]');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw invalid(`not valid JSON (${(err as Error).message})`);
  }
  const result = CommandAgentConfig.safeParse(Array.isArray(raw) ? { argv: raw } : raw);
  if (!result.success) throw invalid(describeIssues(result.error));
  return result.data;
}

const BUDGET = /\{\{\s*budget\s*\}\}/;

/** The argv template with its placeholders filled; arguments using `{{budget}}` are dropped when `budget` is empty (no dollar limit). */
export function fillArgv(argv: readonly string[], values: Record<CommandPlaceholder, string>): string[] {
  return argv.filter((arg) => values.budget !== '' || !BUDGET.test(arg)).map((arg) => fillPlaceholders(arg, values));
}

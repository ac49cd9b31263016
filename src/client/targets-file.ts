import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isPair, isScalar, type LineCounter, type Document } from 'yaml';
import { z } from 'zod';
import { parseYamlWithLines } from '../node/yaml-lines';
import { Gate, RecoveryPolicy, Target } from '../shared/targets';
import { AuthorTemplate, DEFAULT_AUTHOR } from '../shared/target-git';
import { templateString } from '../agents/placeholders';
import { PULL_REQUEST_PLACEHOLDERS } from '../git/publish';
import { closestField } from './field-suggestion';

/** Where a roadmap lives inside its target when the file does not say. */
export const DEFAULT_ROADMAP = 'plans/roadmap.md';
/** Where the dev log lives inside its target when the file does not say. */
export const DEFAULT_DEV_LOG = 'plans/dev-log.md';

/** A targets.yaml that cannot be used; the message names the file, the line and the field. */
export class TargetsFileError extends Error {
  override readonly name = 'TargetsFileError';
}

const inTarget = (what: string) => z.string().trim().min(1, `${what} must not be empty`);

/** What a target may say, in Baton's spelling and seed 003's (`name` is the title there); all optional, so `defaults:` shares it. */
const SETTINGS = {
  title: z.string().trim().min(1, 'title must not be empty').max(200).optional(),
  name: z.string().trim().min(1, 'name must not be empty').max(200).optional(),
  description: z.string().trim().min(1, 'description must not be empty').max(2000).optional(),
  roadmap: inTarget('roadmap path').optional(),
  identity: inTarget('identity path').optional(),
  identity_context: inTarget('identity_context path').optional(),
  devLog: inTarget('devLog path').optional(),
  devlog: inTarget('devlog path').optional(),
  conventions: inTarget('conventions path').optional(),
  coder_agent: inTarget('coder_agent path').optional(),
  pm_agent: inTarget('pm_agent path').optional(),
  gates: z
    .array(Gate)
    .max(20)
    .superRefine((gates, ctx) => {
      gates.forEach((gate, i) => {
        if (gates.findIndex((g) => g.name === gate.name) < i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate gate name "${gate.name}"` });
      });
    })
    .optional(),
  recovery: RecoveryPolicy.optional(),
  /** Landing (issue 11): the branch agents' work merges into (default: the branch checked out at start), who authors it, how it is published. */
  integrationBranch: z.string().trim().min(1, 'integrationBranch must not be empty').max(200).optional(),
  author: AuthorTemplate.optional(),
  push: z.boolean({ error: 'push must be true or false' }).optional(),
  pullRequest: templateString(PULL_REQUEST_PLACEHOLDERS).pipe(z.string().trim().min(1, 'pullRequest must not be empty').max(1000)).optional(),
};
const Settings = z.strictObject(SETTINGS);
type Settings = z.infer<typeof Settings>;

/** One entry of the `targets` map as a person writes it (paths not yet resolved). */
const TargetEntry = z.strictObject({ path: inTarget('target path'), ...SETTINGS });

/** Seed 003's `task_intake:` — kept and checked; its NATS subjects are for the event bus. */
const TaskIntake = z.strictObject({
  enabled: z.boolean({ error: 'enabled must be true or false' }).optional(),
  nats_subjects: z.array(z.string().trim().regex(/^[^\s]+$/, 'a NATS subject has no spaces').max(200)).max(50).optional(),
});
export type TaskIntake = z.infer<typeof TaskIntake>;

// The same setting in both spellings: a file gives one of each pair.
const SPELLINGS = [['title', 'name'], ['identity', 'identity_context'], ['devLog', 'devlog']] as const;

function spellingIssues(entry: Settings | undefined, at: (string | number)[], ctx: z.core.$RefinementCtx): void {
  for (const [baton, seed] of SPELLINGS) {
    if (entry?.[baton] !== undefined && entry[seed] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [...at, seed], message: `${seed} and ${baton} are the same setting (seed 003's and Baton's spelling): give one` });
    }
  }
}

/** The whole targets.yaml: the targets, settings they share (`defaults:`), where free goals go, and task intake. */
const TargetsFileSchema = z
  .strictObject({
    targets: z
      .record(Target.shape.name, TargetEntry, { error: 'targets must be a map of target name to its settings' })
      .refine((targets) => Object.keys(targets).length > 0, 'list at least one target'),
    defaults: Settings.optional(),
    default_target: z.string({ error: 'default_target must be the name of a target' }).optional(),
    task_intake: TaskIntake.optional(),
  })
  .superRefine((file, ctx) => {
    spellingIssues(file.defaults, ['defaults'], ctx);
    for (const [name, entry] of Object.entries(file.targets)) spellingIssues(entry, ['targets', name], ctx);
    if (file.default_target !== undefined && !(file.default_target in file.targets)) {
      ctx.addIssue({ code: 'custom', path: ['default_target'], message: `no target named "${file.default_target}" (targets: ${Object.keys(file.targets).join(', ')})` });
    }
  });

/** The fields an object at `at` may have, for a "did you mean" suggestion. */
function knownFields(at: (string | number)[]): readonly string[] {
  const last = at.at(-1);
  if (!at.length) return Object.keys(TargetsFileSchema.shape);
  if (at[0] === 'task_intake') return Object.keys(TaskIntake.shape);
  if (typeof last === 'number' && at.at(-2) === 'gates') return Object.keys(Gate.shape);
  if (last === 'recovery') return Object.keys(RecoveryPolicy.shape);
  if (at[0] === 'defaults') return Object.keys(SETTINGS);
  return Object.keys(TargetEntry.shape);
}

type Field = (string | number)[];

/** A parsed file plus where each field sits in it, so later checks can name the line too. */
interface ParsedTargets extends TargetsConfig {
  lineOf(field: Field): number;
  /** Per target, the files given to agents: where the setting was written and the other place a relative path may mean. */
  agentFiles: Map<string, AgentFile[]>;
}

/** A file given to a target's agents, as resolved, with where it was written and the project-root reading of a relative path. */
interface AgentFile {
  key: 'identity' | 'conventions' | 'coderAgent' | 'pmAgent';
  field: Field;
  file: string;
  fromRoot?: string;
}

/** targets.yaml as a whole: the targets (paths absolute), and seed 003's `task_intake:` when given. */
export interface TargetsConfig {
  targets: Target[];
  taskIntake?: TaskIntake;
}

/** Line of the node at `field`, or of its nearest ancestor that exists (a missing field points at its parent). */
function lineFinder(doc: Document, lines: LineCounter): (field: Field) => number {
  return (field) => {
    for (let n = field.length; n >= 0; n--) {
      const parent = n > 0 ? doc.getIn(field.slice(0, n - 1), true) : undefined;
      // The key's own line reads better than its value's (a map value starts on the next line).
      const pair = isMap(parent) ? parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === field[n - 1]) : undefined;
      const node = (isScalar(pair?.key) ? pair.key : undefined) ?? (n > 0 ? doc.getIn(field.slice(0, n), true) : doc.contents);
      const offset = (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
      if (offset !== undefined) return lines.linePos(offset).line;
    }
    return 1;
  };
}

/** One zod issue as `field: message`, plus the field whose line to show. */
function describe(issue: z.core.$ZodIssue): { field: Field; text: string } {
  const field = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const meant = closestField(key, knownFields(field));
    const also = issue.keys.length > 1 ? ` (also ${issue.keys.slice(1).join(', ')})` : '';
    return { field: [...field, key], text: `${[...field, key].join('.')}: unknown field${meant ? ` — did you mean ${meant}?` : ''}${also}` };
  }
  const where = field.length ? field.join('.') : 'targets.yaml';
  if (issue.code === 'invalid_key') return { field, text: `${where}: ${issue.issues[0]?.message ?? issue.message}` };
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) return { field, text: `${where}: is required` };
  return { field, text: `${where}: ${issue.message}` };
}

/**
 * The folder relative target paths start from: the one holding targets.yaml, or its parent when that folder is
 * `config/` (seed 003 keeps `config/targets.yaml` and writes `path: "."` for the repository itself).
 */
export function projectRoot(file: string): string {
  const folder = path.dirname(path.resolve(file));
  return path.basename(folder) === 'config' ? path.dirname(folder) : folder;
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** One spelling for each setting (Baton's), plus which key and section (`targets.x` or `defaults`) each came from. */
function oneSpelling(entry: Settings, at: Field): { settings: Settings; from: Record<string, Field> } {
  const { name, identity_context, devlog, ...rest } = entry;
  const settings = defined({ ...rest, title: rest.title ?? name, identity: rest.identity ?? identity_context, devLog: rest.devLog ?? devlog });
  const from: Record<string, Field> = {};
  for (const key of Object.keys(entry)) from[key] = [...at, key];
  for (const [baton, seed] of SPELLINGS) if (entry[seed] !== undefined) from[baton] = [...at, seed];
  // The agent prompt files exist only in seed 003's spelling; Target names them in camelCase.
  if (entry.coder_agent !== undefined) from.coderAgent = [...at, 'coder_agent'];
  if (entry.pm_agent !== undefined) from.pmAgent = [...at, 'pm_agent'];
  return { settings, from };
}

/** Parses, validates and resolves the file's text; paths are resolved but not checked on disk. */
function readTargets(text: string, file: string): ParsedTargets {
  const { doc, lines, syntaxError } = parseYamlWithLines(text);
  if (syntaxError) throw new TargetsFileError(`${file}:${syntaxError.line}: YAML syntax error at column ${syntaxError.col}: ${syntaxError.message}`);
  const lineOf = lineFinder(doc, lines);
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) throw new TargetsFileError(`${file}:1: the file is empty; it needs a "targets:" map`);
  const result = TargetsFileSchema.safeParse(raw);
  if (!result.success) {
    // A mistyped key also makes its right spelling "required": name the typo first, it is the cause.
    const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    const [first, ...rest] = issues.map(describe);
    const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    throw new TargetsFileError(`${file}:${lineOf(first?.field ?? [])}: ${first?.text ?? 'invalid'}${more}`);
  }
  const root = projectRoot(file);
  const shared = oneSpelling(result.data.defaults ?? {}, ['defaults']);
  const agentFiles = new Map<string, AgentFile[]>();
  const targets = Object.entries(result.data.targets).map(([name, raw]): Target => {
    const { path: where, ...own } = raw;
    const mine = oneSpelling(own, ['targets', name]);
    // A target's own settings win over `defaults:`; a list (gates) is replaced, not merged.
    const entry: Settings = { ...shared.settings, ...mine.settings };
    const from = { ...shared.from, ...mine.from };
    const base = path.resolve(root, where);
    const files: AgentFile[] = [];
    const agentFile = (key: AgentFile['key'], value: string | undefined): Partial<Target> => {
      if (value === undefined) return {};
      const file = path.resolve(base, value);
      files.push({ key, field: from[key] ?? ['targets', name], file, ...(path.isAbsolute(value) ? {} : { fromRoot: path.resolve(root, value) }) });
      return { [key]: file };
    };
    const target: Target = {
      name,
      ...(entry.title === undefined ? {} : { title: entry.title }),
      ...(entry.description === undefined ? {} : { description: entry.description }),
      path: base,
      roadmap: path.resolve(base, entry.roadmap ?? DEFAULT_ROADMAP),
      ...agentFile('identity', entry.identity),
      devLog: path.resolve(base, entry.devLog ?? DEFAULT_DEV_LOG),
      ...agentFile('conventions', entry.conventions),
      ...agentFile('coderAgent', entry.coder_agent),
      ...agentFile('pmAgent', entry.pm_agent),
      gates: entry.gates ?? [],
      ...(entry.recovery === undefined ? {} : { recovery: entry.recovery }),
      ...landingSettings(entry),
      ...(result.data.default_target === name ? { isDefault: true } : {}),
    };
    agentFiles.set(name, files);
    return target;
  });
  return { targets, ...(result.data.task_intake ? { taskIntake: result.data.task_intake } : {}), lineOf, agentFiles };
}

/** The landing fields a person wrote (none: landing uses its defaults when the orchestration starts). */
function landingSettings(entry: Settings): Pick<Target, 'git'> {
  const { integrationBranch, author, push, pullRequest } = entry;
  if (integrationBranch === undefined && author === undefined && push === undefined && pullRequest === undefined) return {};
  return {
    git: {
      ...(integrationBranch === undefined ? {} : { integrationBranch }),
      author: author ?? DEFAULT_AUTHOR,
      push: push ?? false,
      ...(pullRequest === undefined ? {} : { pullRequest }),
    },
  };
}

/** Parses targets.yaml text: target paths resolved against the project root (see projectRoot), the other paths against each target's path. */
export function parseTargetsFile(text: string, file: string): Target[] {
  return readTargets(text, file).targets;
}

const errnoOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/** Why `file` is not an existing `kind` on disk, or undefined when it is. */
async function missingOnDisk(file: string, kind: 'directory' | 'file'): Promise<string | undefined> {
  const found = await stat(file).catch((err: unknown) => errnoOf(err));
  if (typeof found === 'string') return found === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${found})`;
  return (kind === 'directory' ? found.isDirectory() : found.isFile()) ? undefined : `${file} is not a ${kind}`;
}

/**
 * Checks one target on disk: its folder, and each file given to its agents. A relative file missing under the
 * target but present under the project root is taken from there (seed 003 keeps identity files in its own
 * `config/identity/`). Returns the target as found, or the field and problem.
 */
async function onDisk(target: Target, files: AgentFile[]): Promise<{ target: Target } | { field: Field; problem: string }> {
  const folder = await missingOnDisk(target.path, 'directory');
  if (folder) return { field: ['targets', target.name, 'path'], problem: folder };
  let found = target;
  for (const f of files) {
    const missing = await missingOnDisk(f.file, 'file');
    if (!missing) continue;
    if (f.fromRoot && f.fromRoot !== f.file && !(await missingOnDisk(f.fromRoot, 'file'))) {
      found = { ...found, [f.key]: f.fromRoot };
      continue;
    }
    return { field: f.field, problem: f.fromRoot && f.fromRoot !== f.file ? `${missing} (nor does ${f.fromRoot})` : missing };
  }
  return { target: found };
}

/** Reads targets.yaml at `file` and checks every target folder and the files given to agents exist (a missing roadmap is gardening's to report). */
export async function loadTargetsFile(file: string): Promise<Target[]> {
  return (await loadTargetsConfig(file)).targets;
}

/** `loadTargetsFile` plus the file-wide settings (seed 003's `task_intake:`). */
export async function loadTargetsConfig(file: string): Promise<TargetsConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TargetsFileError(`${file}: cannot read it (${errnoOf(err)})`);
  }
  const { targets, taskIntake, lineOf, agentFiles } = readTargets(text, file);
  const checked: Target[] = [];
  for (const target of targets) {
    const found = await onDisk(target, agentFiles.get(target.name) ?? []);
    if ('problem' in found) {
      const where = found.field[0] === 'defaults' ? `${found.field.join('.')} (for target ${target.name})` : found.field.join('.');
      throw new TargetsFileError(`${file}:${lineOf(found.field)}: ${where}: ${found.problem}`);
    }
    checked.push(found.target);
  }
  return { targets: checked, ...(taskIntake ? { taskIntake } : {}) };
}

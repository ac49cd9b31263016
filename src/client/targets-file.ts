import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isPair, isScalar, type LineCounter, type Document } from 'yaml';
import { z } from 'zod';
import { parseYamlWithLines } from '../agents/yaml-lines';
import { Gate, RecoveryPolicy, Target } from '../shared/targets';
import { AuthorTemplate, DEFAULT_AUTHOR } from '../shared/target-git';
import { templateString } from '../agents/placeholders';
import { PULL_REQUEST_PLACEHOLDERS } from '../git/publish';

/** Where a roadmap lives inside its target when the file does not say. */
export const DEFAULT_ROADMAP = 'plans/roadmap.md';
/** Where the dev log lives inside its target when the file does not say. */
export const DEFAULT_DEV_LOG = 'plans/dev-log.md';

/** A targets.yaml that cannot be used; the message names the file, the line and the field. */
export class TargetsFileError extends Error {
  override readonly name = 'TargetsFileError';
}

const inTarget = (what: string) => z.string().trim().min(1, `${what} must not be empty`);

/** One entry of the `targets` map as a person writes it (paths not yet resolved). */
const TargetEntry = z.strictObject({
  title: z.string().trim().min(1, 'title must not be empty').max(200).optional(),
  path: inTarget('target path'),
  roadmap: inTarget('roadmap path').default(DEFAULT_ROADMAP),
  identity: inTarget('identity path').optional(),
  devLog: inTarget('devLog path').default(DEFAULT_DEV_LOG),
  gates: z
    .array(Gate)
    .max(20)
    .default([])
    .superRefine((gates, ctx) => {
      gates.forEach((gate, i) => {
        if (gates.findIndex((g) => g.name === gate.name) < i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate gate name "${gate.name}"` });
      });
    }),
  recovery: RecoveryPolicy.optional(),
  /** Landing (issue 11): the branch agents' work merges into (default: the branch checked out at start), who authors it, how it is published. */
  integrationBranch: z.string().trim().min(1, 'integrationBranch must not be empty').max(200).optional(),
  author: AuthorTemplate.optional(),
  push: z.boolean({ error: 'push must be true or false' }).optional(),
  pullRequest: templateString(PULL_REQUEST_PLACEHOLDERS).pipe(z.string().trim().min(1, 'pullRequest must not be empty').max(1000)).optional(),
});

/** The whole targets.yaml. */
const TargetsFileSchema = z.strictObject({
  targets: z
    .record(Target.shape.name, TargetEntry, { error: 'targets must be a map of target name to its settings' })
    .refine((targets) => Object.keys(targets).length > 0, 'list at least one target'),
});

type Field = (string | number)[];

/** A parsed file plus where each field sits in it, so later checks can name the line too. */
interface ParsedTargets {
  targets: Target[];
  lineOf(field: Field): number;
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
    return { field: [...field, key], text: `${[...field, key].join('.')}: unknown field` + (issue.keys.length > 1 ? ` (also ${issue.keys.slice(1).join(', ')})` : '') };
  }
  const where = field.length ? field.join('.') : 'targets.yaml';
  if (issue.code === 'invalid_key') return { field, text: `${where}: ${issue.issues[0]?.message ?? issue.message}` };
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) return { field, text: `${where}: is required` };
  return { field, text: `${where}: ${issue.message}` };
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
    const [first, ...rest] = result.error.issues.map(describe);
    const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    throw new TargetsFileError(`${file}:${lineOf(first?.field ?? [])}: ${first?.text ?? 'invalid'}${more}`);
  }
  const base = path.dirname(path.resolve(file));
  const targets = Object.entries(result.data.targets).map(([name, entry]): Target => {
    const root = path.resolve(base, entry.path);
    return {
      name,
      ...(entry.title === undefined ? {} : { title: entry.title }),
      path: root,
      roadmap: path.resolve(root, entry.roadmap),
      ...(entry.identity === undefined ? {} : { identity: path.resolve(root, entry.identity) }),
      devLog: path.resolve(root, entry.devLog),
      gates: entry.gates,
      ...(entry.recovery === undefined ? {} : { recovery: entry.recovery }),
      ...landingSettings(entry),
    };
  });
  return { targets, lineOf };
}

/** The landing fields a person wrote (none: landing uses its defaults when the orchestration starts). */
function landingSettings(entry: z.infer<typeof TargetEntry>): Pick<Target, 'git'> {
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

/** Parses targets.yaml text: paths resolved against `file`'s folder (target paths) and each target's path (the rest). */
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

/** What is wrong on disk with one target (its folder, its identity file), as field and problem; undefined when fine. */
async function diskProblem(target: Target): Promise<{ field: string; problem: string } | undefined> {
  const folder = await missingOnDisk(target.path, 'directory');
  if (folder) return { field: 'path', problem: folder };
  const identity = target.identity === undefined ? undefined : await missingOnDisk(target.identity, 'file');
  return identity ? { field: 'identity', problem: identity } : undefined;
}

/** Reads targets.yaml at `file` and checks every target folder and identity file exists (a missing roadmap is gardening's to report). */
export async function loadTargetsFile(file: string): Promise<Target[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TargetsFileError(`${file}: cannot read it (${errnoOf(err)})`);
  }
  const { targets, lineOf } = readTargets(text, file);
  for (const target of targets) {
    const found = await diskProblem(target);
    if (found) throw new TargetsFileError(`${file}:${lineOf(['targets', target.name, found.field])}: targets.${target.name}.${found.field}: ${found.problem}`);
  }
  return targets;
}

import type { GateResult } from '../shared/activity-types';

/** What the rules reviewer reads: the agent's words and the facts (gate results, changed files). */
export interface ClaimsReviewInput {
  claims: string[];
  summary: string;
  gates: GateResult[];
  changedFiles: string[];
  /** Whether the workspace is under git, so `changedFiles` can be trusted to be complete. */
  gitAvailable: boolean;
}

/** The rules reviewer's verdict: every false claim with why, and what it could not check. */
export interface ClaimsReview {
  passed: boolean;
  falseClaims: string[];
  notes: string[];
}

/** A kind of check a claim can promise and the gates that can back it. */
interface Check {
  label: string;
  /** The claim talks about this kind of check … */
  subject: RegExp;
  /** … and says it went well. */
  success: RegExp;
  /** Gates whose name or command run this kind of check. */
  gate: RegExp;
}

const SUCCESS = /\b(pass(es|ed|ing)?|green|clean(ly)?|succeed(s|ed)?|successful(ly)?|ok|no (errors?|warnings?|issues?|problems?|failures?))\b/i;

const CHECKS: readonly Check[] = [
  { label: 'test', subject: /\b(tests?|specs?|test suite|unit tests?|jest|vitest|mocha|pytest)\b/i, success: SUCCESS, gate: /(^|[^a-z])(tests?|specs?|jest|vitest|mocha|pytest)([^a-z]|$)/i },
  { label: 'lint', subject: /\b(lint(s|er|ing)?|eslint|ruff|clippy|flake8|pylint|shellcheck)\b/i, success: SUCCESS, gate: /(lint|ruff|clippy|flake8|shellcheck)/i },
  { label: 'typecheck', subject: /\b(type-?check(s|ed|ing)?|tsc|mypy|pyright|types? check|type errors?)\b/i, success: SUCCESS, gate: /(typecheck|type-check|types|tsc|mypy|pyright)/i },
  { label: 'build', subject: /\b(build(s)?|compiles?|compilation)\b/i, success: /\b(pass(es|ed)?|green|clean(ly)?|succeed(s|ed)?|successful(ly)?|works?|compiles?|without (errors?|warnings?))\b/i, gate: /(build|compile|tsc)/i },
];

/** Words that turn "tests pass" into the opposite; such a sentence makes no success claim. */
const NEGATED = /\b(not|no longer|never|cannot|can't|couldn't|don't|doesn't|didn't|isn't|aren't|won't|fail(s|ed|ing|ures?)?|broken|red|until|once|if|should|would|need(s|ed)? to|todo)\b|n't\b/i;

/** Verbs saying the claim is about something the agent did not change: those file names cannot be checked against the diff. */
const UNCHANGED = /\b(unchanged|untouched|already|existing|left as is|not (modified|changed|touched))\b/i;

/** File extensions that make a bare `name.ext` token a file name (with a `/` any extension does). */
const FILE_EXT = /\.(html?|css|scss|sass|less|m?[jt]sx?|cjs|cts|mts|json|md|mdx|ya?ml|toml|ini|cfg|conf|txt|csv|xml|svg|png|jpe?g|gif|py|rb|go|rs|java|kt|swift|c|h|cc|cpp|hpp|cs|php|sh|bash|zsh|sql|lock|env|vue|svelte|astro|graphql|proto|tf|gradle|rst|adoc)$/i;

const MAX_QUOTE = 200;

/** `text` in quotes, cut at MAX_QUOTE characters. */
export function quote(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return `"${t.length > MAX_QUOTE ? `${t.slice(0, MAX_QUOTE - 1)}…` : t}"`;
}

/** How a failed gate failed, in a few words: `exit 1`, `timed out`, `did not start`, `killed`. */
export function gateOutcome(gate: GateResult): string {
  if (gate.timedOut) return 'timed out';
  if (gate.exitCode !== null) return `exit ${gate.exitCode}`;
  return /cannot start/.test(gate.tail) ? 'did not start' : 'killed';
}

/** File paths a claim names (`site/order.html`, `src/x.ts`, `README.md`), without a leading `./`. */
export function namedFiles(text: string): string[] {
  const found: string[] = [];
  const words = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ').split(/[\s,;"'`()[\]{}<>]+/);
  for (const word of words) {
    const token = word.replace(/^[.:!?]+(?=[^./])/, '').replace(/[.:!?]+$/, '').replace(/^\.\//, '');
    if (!/^[\w@.-]+(\/[\w@.-]+)*\.[A-Za-z0-9]+$/.test(token) || token.split('/').includes('..')) continue;
    const hasSlash = token.includes('/');
    // `Node.js`, `Vue.js`: library names, not files.
    if (!hasSlash && (!FILE_EXT.test(token) || /^[A-Z][a-z]+\.js$/.test(token))) continue;
    if (/^\d+(\.\d+)+$/.test(token) || /^v\d/.test(token)) continue;
    if (!found.includes(token)) found.push(token);
  }
  return found;
}

/** Whether `file` (as a claim names it, maybe without its folder) is one of `changed`. */
function isChanged(file: string, changed: readonly string[]): boolean {
  return changed.some((c) => c === file || c.endsWith(`/${file}`));
}

/** Sentences of a summary, for finding the success claims it makes. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The checks a sentence claims succeeded (`all tests pass` → test). */
function claimedChecks(sentence: string): Check[] {
  // "no failures" is praise, not negation.
  if (NEGATED.test(sentence.replace(/\bno (errors?|warnings?|issues?|problems?|failures?)\b/gi, ''))) return [];
  return CHECKS.filter((c) => c.subject.test(sentence) && c.success.test(sentence));
}

/** Why a claimed check is false given the gates, or undefined when a gate backs it. */
function checkProblem(check: Check, gates: readonly GateResult[]): string | undefined {
  const matching = gates.filter((g) => check.gate.test(g.name) || check.gate.test(g.command));
  if (!matching.length) return `no ${check.label} gate ran to back it`;
  const failed = matching.find((g) => !g.passed);
  return failed ? `gate ${failed.name} failed (${gateOutcome(failed)})` : undefined;
}

/** The deterministic reviewer: success claims against the gates, file claims against the changed files; what it cannot check becomes a note. */
export function reviewClaims(input: ClaimsReviewInput): ClaimsReview {
  const falseClaims: string[] = [];
  const notes: string[] = [];
  for (const claim of input.claims) {
    let checked = false;
    for (const check of claimedChecks(claim)) {
      checked = true;
      const problem = checkProblem(check, input.gates);
      if (problem) falseClaims.push(`claims ${quote(claim)} but ${problem}`);
    }
    const files = namedFiles(claim);
    if (files.length && UNCHANGED.test(claim)) {
      notes.push(`not checked: ${quote(claim)} names files it says were not changed`);
      checked = true;
    } else if (files.length && !input.gitAvailable) {
      notes.push(`not checked: ${quote(claim)} names ${files.join(', ')}, but the workspace has no version control to list changes`);
      checked = true;
    } else if (files.length) {
      checked = true;
      const untouched = files.filter((f) => !isChanged(f, input.changedFiles));
      if (untouched.length) falseClaims.push(`claims ${quote(claim)} but ${untouched.join(', ')} ${untouched.length === 1 ? 'was' : 'were'} not changed in the workspace`);
    }
    if (!checked) notes.push(`not checked: ${quote(claim)}`);
  }
  for (const sentence of sentences(input.summary)) {
    for (const check of claimedChecks(sentence)) {
      const problem = checkProblem(check, input.gates);
      if (problem) falseClaims.push(`summary says ${quote(sentence)} but ${problem}`);
    }
  }
  return { passed: falseClaims.length === 0, falseClaims, notes };
}

import { Client, type Connection } from '@temporalio/client';

/** An Anthropic-style API key, however it got into history. */
const ANTHROPIC_KEY_PATTERN = /sk-ant-[A-Za-z0-9_-]{20,}/g;

/** Keys the suite configures; listed so a short one the pattern would miss is still caught. */
const SUITE_TEST_KEYS: readonly string[] = [
  'sk-' + 'ant-test-0123456789abcdef',
  'sk-' + 'ant-test-0000000000000000000000000000000000',
  'sk-' + 'ant-wrong-key-000000000000000000000000',
  'sk-' + 'ant-wrong-key-000',
];

/** One workflow run's history and where it came from. */
export interface FetchedHistory {
  namespace: string;
  workflowId: string;
  runId: string;
  /** A fetched history object (payload `data` as bytes) or its JSON form (payload `data` as base64). */
  history: unknown;
}

/** A secret found in a history; `match` is masked so the report never repeats the secret. */
export interface SecretFinding {
  namespace: string;
  workflowId: string;
  runId: string;
  /** Where in the history, e.g. `events[4].activityTaskScheduledEventAttributes.input.payloads[0]`. */
  path: string;
  match: string;
}

/** What a scan covered and found. */
export interface ScanResult {
  histories: number;
  payloads: number;
  findings: SecretFinding[];
}

/** What counts as a secret: patterns (global regexes) and literal strings. */
export interface SecretRules {
  patterns: readonly RegExp[];
  literals: readonly string[];
}

/** The suite's rules: Anthropic-style keys, the suite's own test keys, and the real key if the environment has one. */
export function suiteSecretRules(env: NodeJS.ProcessEnv = process.env): SecretRules {
  const real = env.ANTHROPIC_API_KEY && env.ANTHROPIC_API_KEY.length >= 8 ? [env.ANTHROPIC_API_KEY] : [];
  return { patterns: [ANTHROPIC_KEY_PATTERN], literals: [...SUITE_TEST_KEYS, ...real] };
}

const mask = (secret: string) => `${secret.slice(0, 8)}… (${secret.length} chars)`;

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;

/** A Temporal Payload: `data` plus `metadata`, in fetched (bytes) or JSON (base64) form. */
function isPayload(v: Record<string, unknown>): boolean {
  return (isBytes(v.data) || typeof v.data === 'string') && typeof v.metadata === 'object' && v.metadata !== null;
}

/** Bytes as UTF-8; a string both as it is and base64-decoded (histories in JSON form carry payloads as base64). */
function decode(v: unknown): string {
  if (isBytes(v)) return Buffer.from(v).toString('utf8');
  if (typeof v === 'string') return `${v}\n${Buffer.from(v, 'base64').toString('utf8')}`;
  return '';
}

function secretsIn(text: string, rules: SecretRules): string[] {
  const found = rules.literals.filter((literal) => text.includes(literal));
  for (const pattern of rules.patterns) for (const m of text.matchAll(new RegExp(pattern.source, 'g'))) found.push(m[0]);
  return [...new Set(found)];
}

/** Scans one history: every string as it is and every payload decoded (data and metadata). */
export function scanHistory(fetched: FetchedHistory, rules: SecretRules = suiteSecretRules()): { payloads: number; findings: SecretFinding[] } {
  const findings: SecretFinding[] = [];
  let payloads = 0;
  const report = (text: string, path: string) => {
    for (const secret of secretsIn(text, rules)) {
      findings.push({ namespace: fetched.namespace, workflowId: fetched.workflowId, runId: fetched.runId, path, match: mask(secret) });
    }
  };
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') return report(v, path);
    if (isBytes(v)) return report(decode(v), path);
    if (Array.isArray(v)) return v.forEach((item, i) => walk(item, `${path}[${i}]`));
    if (typeof v !== 'object' || v === null) return;
    const record = v as Record<string, unknown>;
    const payload = isPayload(record);
    if (payload) {
      payloads++;
      report(decode(record.data), `${path}.data`);
      for (const [key, value] of Object.entries(record.metadata as Record<string, unknown>)) report(decode(value), `${path}.metadata.${key}`);
    }
    for (const [key, value] of Object.entries(record)) {
      if (!(payload && (key === 'data' || key === 'metadata'))) walk(value, path ? `${path}.${key}` : key);
    }
  };
  walk(fetched.history, '');
  return { payloads, findings };
}

/** Scans many histories and adds up what was covered and found. */
export function scanHistories(histories: Iterable<FetchedHistory>, rules: SecretRules = suiteSecretRules()): ScanResult {
  const result: ScanResult = { histories: 0, payloads: 0, findings: [] };
  for (const h of histories) addScan(result, scanHistory(h, rules));
  return result;
}

function addScan(total: ScanResult, one: { payloads: number; findings: SecretFinding[] }): void {
  total.histories++;
  total.payloads += one.payloads;
  total.findings.push(...one.findings);
}

/** Namespaces Temporal keeps for itself; nothing Baton or the suite does writes there. */
const SYSTEM_NAMESPACES = new Set(['temporal-system']);

/** Every user namespace on the server. */
async function listNamespaces(connection: Connection): Promise<string[]> {
  const names: string[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.listNamespaces({ pageSize: 100, nextPageToken });
    for (const ns of page.namespaces ?? []) {
      const name = ns.namespaceInfo?.name;
      if (name && !SYSTEM_NAMESPACES.has(name)) names.push(name);
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return names;
}

/** Lists every workflow run in `namespaces` (default: all user namespaces), fetches each history and scans it. */
export async function scanServer(connection: Connection, opts: { namespaces?: string[]; rules?: SecretRules; concurrency?: number } = {}): Promise<ScanResult> {
  const rules = opts.rules ?? suiteSecretRules();
  const result: ScanResult = { histories: 0, payloads: 0, findings: [] };
  for (const namespace of opts.namespaces ?? (await listNamespaces(connection))) {
    const client = new Client({ connection, namespace });
    const runs: { workflowId: string; runId: string }[] = [];
    for await (const run of client.workflow.list()) runs.push({ workflowId: run.workflowId, runId: run.runId });
    let next = 0;
    const fetchOne = async (): Promise<void> => {
      while (next < runs.length) {
        const { workflowId, runId } = runs[next++]!;
        const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
        addScan(result, scanHistory({ namespace, workflowId, runId, history }, rules));
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, fetchOne));
  }
  return result;
}

/** The one line the suite prints. */
export function scanSummary(r: ScanResult): string {
  return `secrets scan: ${r.histories} histories, ${r.payloads} payloads, ${r.findings.length} findings`;
}

/** Throws, listing (masked) where each secret was found, when the scan found any. */
export function assertNoSecrets(r: ScanResult): void {
  if (!r.findings.length) return;
  const shown = r.findings.slice(0, 20).map((f) => `  ${f.namespace}/${f.workflowId} (run ${f.runId}) at ${f.path}: ${f.match}`);
  const more = r.findings.length > shown.length ? `\n  … and ${r.findings.length - shown.length} more` : '';
  throw new Error(`secrets scan: an API key reached workflow history in ${r.findings.length} place(s):\n${shown.join('\n')}${more}`);
}

/** A secret found in a log or file; `match` is masked like a history finding. */
export interface TextFinding {
  source: string;
  line: number;
  match: string;
}

/** Scans plain text (a worker's or server's log, a file Baton wrote) line by line, as histories are scanned. */
export function scanText(source: string, text: string, rules: SecretRules = suiteSecretRules()): TextFinding[] {
  const findings: TextFinding[] = [];
  text.split('\n').forEach((line, i) => {
    // A log line may carry a payload base64-encoded; look inside what decodes to text as well.
    const decoded = (line.match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? []).map((b) => Buffer.from(b, 'base64').toString('utf8')).join('\n');
    for (const secret of secretsIn(`${line}\n${decoded}`, rules)) findings.push({ source, line: i + 1, match: mask(secret) });
  });
  return findings;
}

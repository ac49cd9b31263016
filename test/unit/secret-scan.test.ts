import { assertNoSecrets, scanHistories, scanHistory, scanSummary, suiteSecretRules, type FetchedHistory } from '../support/secret-scan';

const PLANTED = 'sk-' + 'ant-api03-PLANTEDplantedPLANTED_0123456789';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const jsonPayload = (value: unknown) => ({ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(value)) });

/** A history in its JSON form (as `temporal workflow show --output json` or an export writes it): payload data in base64. */
function history(input: unknown, extra: Record<string, unknown>[] = []): FetchedHistory {
  return {
    namespace: 'default',
    workflowId: 'baton/demo',
    runId: 'run-1',
    history: {
      events: [
        { eventId: '1', workflowExecutionStartedEventAttributes: { input: { payloads: [jsonPayload({ project: 'demo' })] } } },
        { eventId: '5', activityTaskScheduledEventAttributes: { input: { payloads: [jsonPayload(input)] } } },
        ...extra,
      ],
    },
  };
}

const rules = suiteSecretRules({});

test('finds a key planted in a base64 payload, names where, and never repeats the key', () => {
  const scanned = scanHistory(history({ runtime: 'anthropic', env: { ANTHROPIC_API_KEY: PLANTED } }), rules);
  expect(scanned.payloads).toBe(2);
  expect(scanned.findings).toHaveLength(1);
  expect(scanned.findings[0]).toMatchObject({ workflowId: 'baton/demo', path: 'events[1].activityTaskScheduledEventAttributes.input.payloads[0].data' });
  expect(JSON.stringify(scanned.findings)).not.toContain(PLANTED);
  expect(() => assertNoSecrets(scanHistories([history({ key: PLANTED })], rules))).toThrow(/API key reached workflow history in 1 place/);
});

test('finds a key in payload bytes (a fetched history) and in plain strings such as failure messages', () => {
  const bytes: FetchedHistory = {
    namespace: 'default',
    workflowId: 'w',
    runId: 'r',
    history: { events: [{ eventId: '3', markerRecordedEventAttributes: { details: { x: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(`"${PLANTED}"`) }] } } } }] },
  };
  expect(scanHistory(bytes, rules).findings).toHaveLength(1);
  const failure = history({ ok: true }, [{ eventId: '7', activityTaskFailedEventAttributes: { failure: { message: `401 for key ${PLANTED}` } } }]);
  expect(scanHistory(failure, rules).findings.map((f) => f.path)).toEqual(['events[2].activityTaskFailedEventAttributes.failure.message']);
});

test("catches the suite's own short test keys and the environment's real key, which the pattern alone might miss", () => {
  expect(scanHistory(history({ key: 'sk-' + 'ant-wrong-key-000' }), rules).findings).toHaveLength(1);
  const withReal = suiteSecretRules({ ANTHROPIC_API_KEY: 'my-real-key-42' });
  expect(scanHistory(history({ note: 'my-real-key-42' }), withReal).findings).toHaveLength(1);
});

test('a clean history passes and the summary line counts histories and payloads', () => {
  const clean = scanHistories([history({ description: 'Build the bakery homepage', mentions: 'sk-' + 'ant- is a key prefix' }), history({})], rules);
  expect(clean.findings).toEqual([]);
  expect(scanSummary(clean)).toBe('secrets scan: 2 histories, 4 payloads, 0 findings');
  expect(() => assertNoSecrets(clean)).not.toThrow();
});

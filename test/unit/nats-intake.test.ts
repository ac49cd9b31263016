import { parseIntake } from '../../src/nats/intake';

const bytes = (s: string) => new TextEncoder().encode(s);

test('a JSON objective, a plain-text one and a JSON string are all objectives', () => {
  expect(parseIntake('tasks', bytes('{"project":"bakery","description":"Add a gluten-free page","budget":{"maxUsd":2}}'))).toEqual({
    ok: true,
    project: 'bakery',
    input: { description: 'Add a gluten-free page', budget: { maxUsd: 2 } },
  });
  expect(parseIntake('baton.bakery.intake', bytes('  Translate the menu into French\n'))).toEqual({ ok: true, project: 'bakery', input: { description: 'Translate the menu into French' } });
  expect(parseIntake('x', bytes('"Fix the footer"'), 'site')).toEqual({ ok: true, project: 'site', input: { description: 'Fix the footer' } });
  expect(parseIntake('baton.bakery.intake', bytes('{"description":"Run them","streams":["site:1.2"]}'))).toMatchObject({ ok: true, input: { streams: ['site:1.2'] } });
});

test('the project comes from the message first, then the subject, then the default', () => {
  expect(parseIntake('baton.from-subject.intake', bytes('{"project":"named","description":"d"}'), 'dflt')).toMatchObject({ project: 'named' });
  expect(parseIntake('baton.from-subject.intake', bytes('d'), 'dflt')).toMatchObject({ project: 'from-subject' });
  expect(parseIntake('work.queue', bytes('d'), 'dflt')).toMatchObject({ project: 'dflt' });
});

test.each([
  ['', 'message is empty'],
  ['{"description": ', 'message is not valid JSON'],
  ['{"desc":"typo"}', 'unknown field(s) "desc"'],
  ['{"description":""}', 'description must not be empty'],
  ['{"description":"x","project":"Not A Project"}', 'project must be 1-63 chars'],
  ['{"description":"x","streams":["nope"]}', 'a stream must look like site:1.2'],
  ['[1,2]', 'input:'],
  ['just text', 'no project'],
])('a bad message %j is dropped with a reason naming what is wrong (%s)', (body, reason) => {
  const r = parseIntake('work.queue', bytes(body));
  expect(r.ok).toBe(false);
  expect(r.ok ? '' : r.reason).toContain(reason);
});

test('binary and oversized messages are dropped unread', () => {
  expect(parseIntake('baton.p.intake', new Uint8Array([0xff, 0xfe, 0x00]))).toEqual({ ok: false, reason: 'message is not UTF-8 text' });
  expect(parseIntake('baton.p.intake', new Uint8Array(70_000).fill(65))).toMatchObject({ ok: false, reason: expect.stringContaining('over the 65536-byte limit') });
});

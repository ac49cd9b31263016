// A Messages API stand-in for trying `baton demo --runtime claude-code` offline (no key, no network):
//   npx tsx scripts/fake-messages-api.ts [--port 8765] [--ledger spend.jsonl]
// It answers every role generically (test/support/fake-anthropic/generic.ts) and prints, per answered request, what it
// billed at Claude Code's list prices; with --ledger, one JSON line per answered request goes to that file too.
import { appendFileSync } from 'node:fs';
import { billedUsd, genericModel, roleOf } from '../test/support/fake-anthropic/generic';
import { startFakeAnthropic } from '../test/support/fake-anthropic/server';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const portText = option('port');
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0–65535), got "${portText}"`);
  const ledger = option('ledger');
  let total = 0;
  const fake = await startFakeAnthropic(genericModel(), {
    port,
    onAnswered: (req) => {
      const usd = billedUsd(req);
      total += usd;
      const line = { index: req.index, model: String(req.body?.model), role: roleOf(req) ?? null, usage: req.answered, costUsd: usd };
      if (ledger) appendFileSync(ledger, `${JSON.stringify(line)}\n`);
      process.stderr.write(`#${req.index} ${line.model} ${line.role ?? '-'} $${usd.toFixed(6)} (total $${total.toFixed(6)})\n`);
    },
  });
  process.stdout.write(`fake Messages API listening on ${fake.url}\n`);
  process.stdout.write(`  ANTHROPIC_BASE_URL=${fake.url} ANTHROPIC_API_KEY=sk-fake CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 npx baton demo --runtime claude-code\n`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`fake-messages-api: ${(err as Error).message}\n`);
  process.exit(1);
});

#!/usr/bin/env node
// A `command`-runtime agent that never answers: it reads its prompt and sleeps until it is killed.
// The immediate-stop drill finds these by the marker in argv; the sleep is bounded so none can linger.
const sleepArg = process.argv.find((a) => a.startsWith('--sleep-ms='));
const sleepMs = sleepArg ? Number(sleepArg.slice('--sleep-ms='.length)) : 120000;
process.stdin.on('data', () => undefined);
process.stdin.on('error', () => undefined);
setTimeout(() => process.exit(3), sleepMs);

/**
 * Run Stryker through its API. Stryker 10's CLI refuses Node < 22 up front, but its engine runs on
 * the Node 20 this project supports; the API skips only that version guard. Options come from
 * stryker.config.json; extra CLI-style flags pass through (e.g. --concurrency 2, --mutate <glob>,<glob>, --checkers []).
 * Afterwards it prints the score per folder (scripts/mutate-summary.ts).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
// The package's index also loads the CLI module, whose top level runs the guard; load the engine alone.
import { Stryker } from '../node_modules/@stryker-mutator/core/dist/src/stryker.js';
import { ensureTypescriptNative } from './typescript-native.mjs';

process.env.BATON_TEST_NO_SERVER = '1';
const args = process.argv.slice(2);
const options = {};
for (let i = 0; i < args.length; i += 2) {
  const key = args[i]?.replace(/^--/, '');
  const value = args[i + 1];
  if (!key || value === undefined) {
    console.error(`mutate: expected --option value pairs, got ${JSON.stringify(args)}`);
    process.exit(2);
  }
  options[key] = key === 'mutate' ? value.split(',') : parse(value);
}
/** A flag's value: JSON where it parses (numbers, arrays, booleans), else the plain string. */
function parse(value) {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

// stryker.config.json checks mutants with TypeScript 7's native compiler, kept outside node_modules/.bin.
ensureTypescriptNative({ projectDir: path.join(import.meta.dirname, '..') });
await new Stryker(options).runMutationTest();
// The score per folder, from the JSON report this run wrote.
const summary = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'mutate-summary.ts')], { stdio: 'inherit' });
process.exit(summary.status ?? 1);

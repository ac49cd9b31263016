/**
 * Summarise Stryker's JSON report per folder: `npm run mutate` prints this after the run.
 * Score = detected / (detected + undetected), where detected = killed + timeout and
 * undetected = survived + no coverage; compile errors and ignored mutants do not count (Stryker's own rule).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Mutant { status: string }
interface Report { files: Record<string, { mutants: Mutant[] }> }

/** Tallies of one folder's mutants. */
export interface FolderScore { folder: string; killed: number; timeout: number; survived: number; noCoverage: number; score: number }

/** Group a Stryker mutation-testing-report-schema report by the folder of each file. */
export function scoreByFolder(report: Report): FolderScore[] {
  const byFolder = new Map<string, FolderScore>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const folder = path.dirname(path.relative(process.cwd(), path.resolve(file)));
    const row = byFolder.get(folder) ?? { folder, killed: 0, timeout: 0, survived: 0, noCoverage: 0, score: 0 };
    for (const m of mutants) {
      if (m.status === 'Killed') row.killed++;
      else if (m.status === 'Timeout') row.timeout++;
      else if (m.status === 'Survived') row.survived++;
      else if (m.status === 'NoCoverage') row.noCoverage++;
    }
    byFolder.set(folder, row);
  }
  const rows = [...byFolder.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  for (const r of rows) {
    const total = r.killed + r.timeout + r.survived + r.noCoverage;
    r.score = total === 0 ? 0 : (100 * (r.killed + r.timeout)) / total;
  }
  return rows;
}

function main(): void {
  const file = process.argv[2] ?? 'coverage/mutation/mutation.json';
  let report: Report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch (err) {
    console.error(`mutate-summary: cannot read Stryker's JSON report ${file}: ${(err as Error).message}`);
    process.exit(1);
  }
  const rows = scoreByFolder(report);
  if (rows.length === 0) {
    console.error(`mutate-summary: ${file} holds no mutated files`);
    process.exit(1);
  }
  console.log('| Folder | Score | Killed | Timeout | Survived | No coverage |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.folder} | ${r.score.toFixed(1)}% | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} |`);
  }
}

if (require.main === module) main();

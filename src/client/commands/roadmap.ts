import type { Command } from 'commander';
import { loadRoadmaps, formatIssues } from '../../roadmap/load';
import { planGarden } from '../../roadmap';
import type { TargetHealth } from '../../roadmap/stream-types';
import { StreamRefInput } from '../../shared/schemas';
import { parseOrThrow } from '../../shared/zod-errors';
import { BatonError } from '../baton-client';
import { addBudgetOptions, budgetFromOptions, targetsFromOption } from '../options';
import { print, type Run } from './orchestration';

/** `run` (work streams as an objective) and `roadmap` (health, live or from the files). */
export function registerRoadmapCommands(program: Command, run: Run): void {
  addBudgetOptions(
    program
      .command('run')
      .description('run roadmap work streams: one or more refs (site:1.2), or --all available work')
      .argument('[streams...]', 'work stream refs, target:id')
      .option('--all', 'every available work stream (a batch of all available work)'),
  ).action((refs: string[], _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      if (!opts.all && !refs.length) throw new BatonError('run: name at least one work stream (site:1.2) or pass --all');
      if (opts.all && refs.length) throw new BatonError('run: give work streams or --all, not both');
      const streams = opts.all ? ('all' as const) : refs.map((r) => parseOrThrow(StreamRefInput, r, 'stream'));
      const objective = await (await session.baton()).runStreams(session.project(), streams, budgetFromOptions(opts));
      print(opts.json ? objective : `Added ${objective.id}: ${objective.description}`);
    }),
  );

  program
    .command('roadmap')
    .description("roadmap health per target: the orchestration's last check, or --targets FILE to read the files now")
    .option('--targets <file>', 'check these targets’ roadmaps directly (no server needed); exits 1 on problems')
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        if (opts.targets !== undefined) {
          const health = await checkFiles(opts.targets);
          print(opts.json ? health : renderHealth(health));
          if (health.some((h) => h.issues.length)) throw new BatonError('roadmap problems found (see above)');
          return;
        }
        const status = await (await session.baton()).status(session.project());
        if (!status.roadmap) throw new BatonError(`project ${status.project} has no roadmap health yet (no targets, or not gardened yet)`);
        print(opts.json ? status.roadmap : `Checked ${status.roadmap.checked}${status.roadmap.error ? ` — last gardening failed: ${status.roadmap.error}` : ''}\n${renderHealth(status.roadmap.targets)}`);
      }),
    );
}

/** Roadmap health of the targets in a `--targets` file, read from disk now. */
async function checkFiles(file: unknown): Promise<TargetHealth[]> {
  const loaded = await loadRoadmaps(await targetsFromOption(file));
  const roadmaps = loaded.map((r) => ({ target: r.target, file: r.file, streams: r.parsed.streams, issues: r.parsed.issues }));
  return planGarden(roadmaps, [], []).health;
}

/** Health as people read it: per target, problems with file:line, then available and blocked streams. */
function renderHealth(health: TargetHealth[]): string {
  const out: string[] = [];
  for (const h of health) {
    out.push(`${h.target} (${h.file})`);
    if (h.issues.length) out.push('  problems:', ...formatIssues(h.issues).map((i) => `    ${i}`));
    out.push(`  available: ${h.available.join(', ') || 'none'}`);
    out.push(`  in progress: ${h.inProgress.join(', ') || 'none'}`);
    out.push(`  complete: ${h.complete.join(', ') || 'none'}`);
    if (h.blocked.length) out.push('  blocked:', ...h.blocked.map((b) => `    ${b.ref}: ${b.why}`));
    if (h.changes.length) out.push('  gardening would change:', ...h.changes.map((c) => `    ${c}`));
  }
  return out.join('\n');
}

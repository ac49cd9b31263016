import { scoreByFolder } from '../../scripts/mutate-summary';

const mutants = (...statuses: string[]) => statuses.map((status) => ({ status }));

test('scores each folder: killed and timed-out over all but compile errors and ignored mutants', () => {
  const rows = scoreByFolder({
    files: {
      'src/shared/a.ts': { mutants: mutants('Killed', 'Killed', 'Survived', 'CompileError', 'Ignored') },
      'src/shared/b.ts': { mutants: mutants('Timeout', 'NoCoverage') },
      'src/roadmap/c.ts': { mutants: mutants('Killed') },
    },
  });
  expect(rows).toEqual([
    { folder: 'src/roadmap', killed: 1, timeout: 0, survived: 0, noCoverage: 0, score: 100 },
    { folder: 'src/shared', killed: 2, timeout: 1, survived: 1, noCoverage: 1, score: 60 },
  ]);
});

test('a folder whose every mutant was a compile error scores 0, not NaN', () => {
  expect(scoreByFolder({ files: { 'src/x/y.ts': { mutants: mutants('CompileError') } } })[0]!.score).toBe(0);
});

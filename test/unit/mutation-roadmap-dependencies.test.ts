import { dependencyIssues, type RoadmapStreams } from '../../src/roadmap/dependencies';
import type { WorkStream } from '../../src/roadmap/stream-types';

/** A stream of `target` at `line`, depending on the given refs. */
const stream = (target: string, id: string, line: number, dependsOn: string[] = []): WorkStream => ({ target, id, ref: `${target}:${id}`, title: id, status: 'available', dependsOn, text: '', line });
const located = (issues: { file: string; line: number; message: string }[]) => issues.map((i) => `${i.file}:${i.line}: ${i.message}`);

describe('dependencyIssues', () => {
  it('reports the shortest cycle through each stream of a larger tangle, once per stream', () => {
    // a → b → c → a, and b → a: from a the shortest way back is a → b → a; from c it is c → a → b → c.
    const roadmaps: RoadmapStreams[] = [{ file: 'R.md', streams: [stream('s', '1.1', 3, ['s:1.2']), stream('s', '1.2', 6, ['s:1.3', 's:1.1']), stream('s', '1.3', 9, ['s:1.1'])] }];
    expect(located(dependencyIssues(roadmaps))).toEqual([
      'R.md:3: dependency cycle: s:1.1 → s:1.2 → s:1.1',
      'R.md:6: dependency cycle: s:1.2 → s:1.1 → s:1.2',
      'R.md:9: dependency cycle: s:1.3 → s:1.1 → s:1.2 → s:1.3',
    ]);
  });

  it('reports a three-stream ring with the full way round from each member', () => {
    const roadmaps: RoadmapStreams[] = [{ file: 'R.md', streams: [stream('s', '1.3', 1, ['s:1.1']), stream('s', '1.1', 2, ['s:1.2']), stream('s', '1.2', 3, ['s:1.3'])] }];
    expect(located(dependencyIssues(roadmaps))).toEqual([
      'R.md:1: dependency cycle: s:1.3 → s:1.1 → s:1.2 → s:1.3',
      'R.md:2: dependency cycle: s:1.1 → s:1.2 → s:1.3 → s:1.1',
      'R.md:3: dependency cycle: s:1.2 → s:1.3 → s:1.1 → s:1.2',
    ]);
  });

  it('reports two separate cycles, and nothing for streams that only lead into one', () => {
    const roadmaps: RoadmapStreams[] = [
      {
        file: 'R.md',
        streams: [stream('s', '1.1', 1, ['s:1.2']), stream('s', '1.2', 2, ['s:1.1']), stream('s', '2.1', 3, ['s:1.1', 's:3.1']), stream('s', '3.1', 4, ['s:3.2']), stream('s', '3.2', 5, ['s:3.1'])],
      },
    ];
    expect(located(dependencyIssues(roadmaps))).toEqual([
      'R.md:1: dependency cycle: s:1.1 → s:1.2 → s:1.1',
      'R.md:2: dependency cycle: s:1.2 → s:1.1 → s:1.2',
      'R.md:4: dependency cycle: s:3.1 → s:3.2 → s:3.1',
      'R.md:5: dependency cycle: s:3.2 → s:3.1 → s:3.2',
    ]);
  });

  it('finds no cycle in a diamond or a long chain, whatever order the streams are listed in', () => {
    const diamond = [stream('s', '4.1', 1, ['s:2.1', 's:3.1']), stream('s', '2.1', 2, ['s:1.1']), stream('s', '3.1', 3, ['s:1.1']), stream('s', '1.1', 4)];
    expect(dependencyIssues([{ file: 'R.md', streams: diamond }])).toEqual([]);
    const chain = [stream('s', '1.1', 1), stream('s', '1.2', 2, ['s:1.1']), stream('s', '1.3', 3, ['s:1.2']), stream('s', '1.4', 4, ['s:1.3', 's:1.1'])];
    expect(dependencyIssues([{ file: 'R.md', streams: chain }])).toEqual([]);
    expect(dependencyIssues([{ file: 'R.md', streams: [...chain].reverse() }])).toEqual([]);
  });

  it('does not follow a dependency on a missing stream into a cycle', () => {
    const roadmaps: RoadmapStreams[] = [{ file: 'R.md', streams: [stream('s', '1.1', 1, ['s:9.9']), stream('s', '1.2', 2, ['s:1.1'])] }];
    expect(located(dependencyIssues(roadmaps))).toEqual(["R.md:1: s:1.1 depends on s:9.9, which is not in s's roadmap"]);
  });

  it('knows a target from any roadmap, and reads a stream listed twice from its first roadmap', () => {
    const roadmaps: RoadmapStreams[] = [
      { file: 'a.md', streams: [stream('a', '1.1', 1, ['b:1.2', 'c:1.1'])] },
      { file: 'b.md', streams: [stream('b', '1.1', 1)] },
      { file: 'b2.md', streams: [stream('a', '1.1', 7, ['b:1.1'])] },
    ];
    expect(located(dependencyIssues(roadmaps))).toEqual([
      "a.md:1: a:1.1 depends on b:1.2, which is not in b's roadmap",
      'a.md:1: a:1.1 depends on c:1.1, but there is no target "c"',
    ]);
  });

  it('sorts issues by file, then line, then message', () => {
    const roadmaps: RoadmapStreams[] = [
      { file: 'z.md', streams: [stream('z', '1.1', 5, ['z:9.1']), stream('z', '1.2', 2, ['z:8.1', 'y:7.1'])] },
      { file: 'a.md', streams: [stream('a', '1.1', 3, ['a:9.1'])] },
    ];
    expect(located(dependencyIssues(roadmaps))).toEqual([
      "a.md:3: a:1.1 depends on a:9.1, which is not in a's roadmap",
      'z.md:2: z:1.2 depends on y:7.1, but there is no target "y"',
      "z.md:2: z:1.2 depends on z:8.1, which is not in z's roadmap",
      "z.md:5: z:1.1 depends on z:9.1, which is not in z's roadmap",
    ]);
  });

  it('reads cycles from the first roadmap\'s copy of a stream listed twice', () => {
    const roadmaps: RoadmapStreams[] = [
      { file: 'x.md', streams: [stream('s', '1.1', 3, ['s:1.2']), stream('s', '1.2', 5, ['s:1.1'])] },
      { file: 'y.md', streams: [stream('s', '1.1', 9)] },
    ];
    expect(located(dependencyIssues(roadmaps))).toEqual(['x.md:3: dependency cycle: s:1.1 → s:1.2 → s:1.1', 'x.md:5: dependency cycle: s:1.2 → s:1.1 → s:1.2']);
  });

  it('does not mistake an edge into an already finished part of the graph for a cycle', () => {
    // 1.1 reaches 1.2 directly and through 1.3; 1.2 is finished before 1.3 is visited.
    const roadmaps: RoadmapStreams[] = [{ file: 'R.md', streams: [stream('s', '1.1', 1, ['s:1.2', 's:1.3']), stream('s', '1.2', 2), stream('s', '1.3', 3, ['s:1.2'])] }];
    expect(dependencyIssues(roadmaps)).toEqual([]);
  });

  it('finds nothing to report in no roadmaps', () => {
    expect(dependencyIssues([])).toEqual([]);
    expect(dependencyIssues([{ file: 'R.md', streams: [] }])).toEqual([]);
  });
});

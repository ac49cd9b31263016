import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatIssues, loadRoadmaps } from '../../src/roadmap/load';
import type { Target } from '../../src/shared/targets';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-load-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const target = (name: string, roadmap: string) => ({ name, path: dir, roadmap, devLog: path.join(dir, 'DEV_LOG.md') }) as Target;

describe('loadRoadmaps', () => {
  it('reads and parses each target\'s roadmap, keeping its text', async () => {
    const file = path.join(dir, 'site.md');
    fs.writeFileSync(file, '### 1.1 Menu\n- **Status:** available\n');
    const [site] = await loadRoadmaps([target('site', file)]);
    expect(site).toMatchObject({ target: 'site', file, text: '### 1.1 Menu\n- **Status:** available\n' });
    expect(site!.parsed.streams.map((s) => s.ref)).toEqual(['site:1.1']);
    expect(site!.parsed.issues).toEqual([]);
    expect(site).not.toHaveProperty('missing');
  });

  it('reports a missing file as an issue on line 1 and marks it missing, without throwing', async () => {
    const file = path.join(dir, 'nope.md');
    const [api] = await loadRoadmaps([target('api', file)]);
    expect(api).toEqual({ target: 'api', file, missing: true, parsed: { format: 'baton', spelling: { status: {}, completedLines: false }, streams: [], issues: [{ file, line: 1, message: 'roadmap file not found' }], fields: [] } });
  });

  it('reports an unreadable file with the reason, and does not call it missing', async () => {
    const folder = path.join(dir, 'a-folder.md');
    fs.mkdirSync(folder);
    const [odd] = await loadRoadmaps([target('odd', folder)]);
    expect(odd!.parsed.issues).toEqual([{ file: folder, line: 1, message: expect.stringMatching(/^roadmap file cannot be read: EISDIR/) }]);
    expect(odd).not.toHaveProperty('missing');
    expect(odd!.text).toBeUndefined();
  });

  it('loads several targets, in order', async () => {
    const file = path.join(dir, 'b.md');
    fs.writeFileSync(file, '### 2.1 B\n');
    expect((await loadRoadmaps([target('b', file), target('c', path.join(dir, 'c.md'))])).map((r) => [r.target, r.missing ?? false])).toEqual([
      ['b', false],
      ['c', true],
    ]);
  });
});

describe('formatIssues', () => {
  it('writes each issue as file:line: message', () => {
    expect(formatIssues([{ file: 'plans/roadmap.md', line: 12, message: 'duplicate stream id 1.2' }])).toEqual(['plans/roadmap.md:12: duplicate stream id 1.2']);
    expect(formatIssues([])).toEqual([]);
  });
});

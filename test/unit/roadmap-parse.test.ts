import { dependencyIssues, parseRoadmap } from '../../src/roadmap';

const SITE = `# Crumb & Co. website — roadmap

Any prose, anywhere; it is kept as written.

## Phase 1: Foundations

### 1.1 Menu data
- **Effort:** S
- **Status:** complete
- **Depends on:** none
- **Owner:** Aria
- **Role:** developer
- **On failure:** escalate

Free text: what the work is. Checklists are fine:
- [ ] a thing

#### Details

| dish | price |
| ---- | ----- |
| bun  | 2.50  |

### 1.2 Order form
- **Effort:** M
- **Status:** blocked — waiting on api:1.1
- **Depends on:** 1.1, api:1.1
- a free-text item in the field list

Some words.

## Phase 2: Polish

### Notes
Not a stream.

### 2.1: Photos
* **status**: In Progress - Bea is on it
* **Owner:** —
`;

const where = { file: 'site/ROADMAP.md', target: 'site' };
const lineOf = (line: string) => SITE.split('\n').indexOf(line) + 1;

describe('parseRoadmap', () => {
  it('reads streams, their fields, phase and free text', () => {
    const { streams, issues } = parseRoadmap(SITE, where);
    expect(issues).toEqual([]);
    expect(streams.map((s) => s.ref)).toEqual(['site:1.1', 'site:1.2', 'site:2.1']);
    const [menu, form, photos] = streams;
    expect(menu).toMatchObject({ id: '1.1', title: 'Menu data', phase: 'Phase 1: Foundations', effort: 'S', status: 'complete', owner: 'Aria', role: 'developer', recovery: 'escalate', dependsOn: [], line: lineOf('### 1.1 Menu data') });
    expect(menu!.text).toMatch(/^Free text: what the work is\./);
    expect(menu!.text).toContain('| bun  | 2.50  |');
    expect(menu!.text).toContain('#### Details');
    expect(form).toMatchObject({ status: 'blocked', note: 'waiting on api:1.1', dependsOn: ['site:1.1', 'api:1.1'], effort: 'M', line: lineOf('### 1.2 Order form') });
    expect(form!.text).toBe('- a free-text item in the field list\n\nSome words.');
    expect(photos).toMatchObject({ title: 'Photos', phase: 'Phase 2: Polish', status: 'in progress', note: 'Bea is on it', line: lineOf('### 2.1: Photos') });
    expect(photos!.owner).toBeUndefined();
    expect(photos!.effort).toBeUndefined();
  });

  it('records where each field line is and how the list is bulleted', () => {
    const { fields } = parseRoadmap(SITE, where);
    expect(fields[0]).toMatchObject({ id: '1.1', heading: lineOf('### 1.1 Menu data'), lastLine: lineOf('- **On failure:** escalate'), bullet: '- ', listed: true });
    expect(fields[0]!.lines.status).toEqual({ line: lineOf('- **Status:** complete'), endLine: lineOf('- **Status:** complete'), prefix: '- **Status:**', itemEnd: lineOf('- **Status:** complete') });
    expect(fields[2]!.lines.status).toEqual({ line: lineOf('* **status**: In Progress - Bea is on it'), endLine: lineOf('* **status**: In Progress - Bea is on it'), prefix: '* **status**:', itemEnd: lineOf('* **status**: In Progress - Bea is on it') });
    expect(fields[2]!.bullet).toBe('* ');
  });

  it('treats a stream without fields as available, with its heading as the insertion point', () => {
    const { streams, fields } = parseRoadmap('## P\n\n### 3.1 Bare\n\nJust words.\n', where);
    expect(streams[0]).toMatchObject({ status: 'available', dependsOn: [], text: 'Just words.' });
    expect(fields[0]).toMatchObject({ heading: 3, lastLine: 3, listed: false, lines: {} });
  });

  it('reads CRLF files with the same lines', () => {
    const crlf = parseRoadmap(SITE.replace(/\n/g, '\r\n'), where);
    const lf = parseRoadmap(SITE, where);
    expect(crlf.streams.map(({ text: _t, ...s }) => s)).toEqual(lf.streams.map(({ text: _t, ...s }) => s));
    expect(crlf.fields).toEqual(lf.fields);
  });

  const issuesOf = (text: string) => parseRoadmap(text, where).issues.map((i) => `${i.file}:${i.line}: ${i.message}`);

  it('names both lines of a duplicate id', () => {
    expect(issuesOf('### 1.1 A\n\n### 1.1 B\n')).toEqual([
      'site/ROADMAP.md:1: duplicate stream id 1.1 (lines 1 and 3)',
      'site/ROADMAP.md:3: duplicate stream id 1.1 (lines 1 and 3)',
    ]);
  });

  it('reports unknown values and fields at their own line', () => {
    const text = '### 1.1 A\n- **Status:** done\n- **Effort:** XL\n- **Role:** wizard\n- **On failure:** panic\n- **Colour:** red\n';
    expect(issuesOf(text)).toEqual([
      'site/ROADMAP.md:2: unknown status "done" (use available, in progress, blocked or complete) in 1.1',
      'site/ROADMAP.md:3: unknown effort "XL" (use S, M or L) in 1.1',
      'site/ROADMAP.md:4: unknown role "wizard" (use researcher, analyst, developer, reviewer, qa, executor, advisor) in 1.1',
      'site/ROADMAP.md:5: unknown on-failure value "panic" (use retry, skip or escalate) in 1.1',
      'site/ROADMAP.md:6: unknown field "Colour" in 1.1 (use Effort, Status, Depends on, Owner, Role or On failure)',
    ]);
    // Never guess: an unreadable status keeps the stream out of reach.
    expect(parseRoadmap(text, where).streams[0]!.status).toBe('blocked');
  });

  it('reports self-dependencies, malformed ids, repeated fields and misplaced fields', () => {
    const text = '### 1.1 A\n- **Depends on:** 1.1, api:x, 1.2\n- **Status:** available\n- **status:** blocked\n\n### 1.2 B\n\nWords first.\n\n- **Owner:** Bo\n';
    expect(issuesOf(text)).toEqual([
      'site/ROADMAP.md:2: site:1.1 depends on itself in 1.1',
      'site/ROADMAP.md:2: malformed dependency "api:x" (use an id like 1.2, or target:1.2 for another target) in 1.1',
      'site/ROADMAP.md:4: status is given twice in 1.1 (lines 3 and 4)',
      'site/ROADMAP.md:10: fields of 1.2 must be in the list right under its heading ("Owner" is not)',
    ]);
    expect(parseRoadmap(text, where).streams[0]!.dependsOn).toEqual(['site:1.2']);
  });

  it('ignores headings without a numeric id and bold list items that are not fields', () => {
    const { streams, issues } = parseRoadmap('### Notes\n- **Status:** whatever\n\n### 1.1 A\n- **Important** read this\n', where);
    expect(issues).toEqual([]);
    expect(streams).toHaveLength(1);
    expect(streams[0]!.text).toBe('- **Important** read this');
  });
});

describe('dependencyIssues', () => {
  const api = (text: string) => ({ file: 'api/ROADMAP.md', streams: parseRoadmap(text, { file: 'api/ROADMAP.md', target: 'api' }).streams });
  const site = (text: string) => ({ file: 'site/ROADMAP.md', streams: parseRoadmap(text, where).streams });
  const located = (issues: { file: string; line: number; message: string }[]) => issues.map((i) => `${i.file}:${i.line}: ${i.message}`);

  it('reports unknown streams and unknown targets at the depending stream', () => {
    const issues = dependencyIssues([site('# S\n\n### 1.1 A\n- **Depends on:** 1.9, api:1.1\n\n### 1.2 B\n- **Depends on:** shop:1.1\n'), api('### 1.1 X\n')]);
    expect(located(issues)).toEqual([
      "site/ROADMAP.md:3: site:1.1 depends on site:1.9, which is not in site's roadmap",
      'site/ROADMAP.md:6: site:1.2 depends on shop:1.1, but there is no target "shop"',
    ]);
  });

  it('reports a cycle across two targets once per stream in it', () => {
    const issues = dependencyIssues([
      site('### 1.1 A\n\n### 1.2 B\n- **Depends on:** api:1.1\n'),
      api('# API\n\n### 1.1 X\n- **Depends on:** site:1.2\n'),
    ]);
    expect(located(issues)).toEqual([
      'api/ROADMAP.md:3: dependency cycle: api:1.1 → site:1.2 → api:1.1',
      'site/ROADMAP.md:3: dependency cycle: site:1.2 → api:1.1 → site:1.2',
    ]);
  });

  it('finds nothing wrong in a clean chain', () => {
    expect(dependencyIssues([site('### 1.1 A\n\n### 1.2 B\n- **Depends on:** 1.1, api:1.1\n'), api('### 1.1 X\n- **Depends on:** site:1.1\n')])).toEqual([]);
  });
});

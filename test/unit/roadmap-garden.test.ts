import { editRoadmap, parseRoadmap, planGarden } from '../../src/roadmap';
import type { GardenRoadmap } from '../../src/roadmap';

const SITE = `# Site

### 1.1 Menu data
- **Status:** in progress
- **Owner:** Aria

### 1.2 Order form
- **Status:** blocked — waiting on api:1.1
- **Depends on:** 1.1, api:1.1
`;

const API = `# API

### 1.1 Orders endpoint
- **Status:** blocked — waiting on site:1.1
- **Depends on:** site:1.1
`;

function roadmap(target: string, text: string): GardenRoadmap & { text: string } {
  const file = `${target}/ROADMAP.md`;
  const parsed = parseRoadmap(text, { file, target });
  return { target, file, streams: parsed.streams, issues: parsed.issues, text };
}

/** Writes a plan's changes back, as the gardener activity would, and re-reads the roadmaps. */
function apply(roadmaps: (GardenRoadmap & { text: string })[], plan: ReturnType<typeof planGarden>) {
  return roadmaps.map((r) => {
    const changes = plan.changes.filter((c) => c.target === r.target).map(({ id, status, owner, note }) => ({ id, status, owner, note }));
    return roadmap(r.target, editRoadmap(r.text, parseRoadmap(r.text, { file: r.file, target: r.target }), changes));
  });
}

describe('planGarden', () => {
  it('unblocks a chain across two targets as each predecessor completes', () => {
    let maps = [roadmap('site', SITE), roadmap('api', API)];
    const first = planGarden(maps, [{ ref: 'site:1.1', status: 'complete', owner: 'Aria' }], []);
    expect(first.changes).toEqual([
      { ref: 'site:1.1', target: 'site', id: '1.1', status: 'complete', why: 'its task is done' },
      { ref: 'api:1.1', target: 'api', id: '1.1', status: 'available', note: null, why: 'dependencies complete' },
    ]);
    expect(first.health.find((h) => h.target === 'api')!.changes).toEqual(['api:1.1 blocked → available (dependencies complete)']);
    expect(first.health.find((h) => h.target === 'site')!.blocked).toEqual([{ ref: 'site:1.2', why: 'waiting on api:1.1' }]);
    maps = apply(maps, first);
    expect(maps[1]!.text).toContain('- **Status:** available\n');

    const second = planGarden(maps, [{ ref: 'api:1.1', status: 'complete', owner: 'Bo' }], []);
    expect(second.changes.map((c) => `${c.ref} ${c.status}`)).toEqual(['site:1.2 available', 'api:1.1 complete']);
    expect(second.health.find((h) => h.target === 'site')).toMatchObject({
      available: ['site:1.2'],
      complete: ['site:1.1'],
      blocked: [],
      changes: ['site:1.2 blocked → available (dependencies complete)'],
    });
    maps = apply(maps, second);
    expect(planGarden(maps, [], []).changes).toEqual([]);
  });

  it('frees a stream whose agent is gone, and keeps one that is held or updated', () => {
    const maps = [roadmap('site', SITE), roadmap('api', API)];
    const freed = planGarden(maps, [], []);
    expect(freed.changes[0]).toEqual({ ref: 'site:1.1', target: 'site', id: '1.1', status: 'available', owner: null, why: 'its agent is gone' });
    expect(freed.health[0]!.changes[0]).toBe('site:1.1 in progress → available (its agent is gone)');
    expect(planGarden(maps, [], ['site:1.1']).changes).toEqual([]);
    expect(planGarden(maps, [{ ref: 'site:1.1', status: 'in progress', owner: 'Aria' }], []).changes).toEqual([]);
  });

  it('blocks an available stream on unfinished dependencies, and keeps a person\'s own reason', () => {
    const text = `### 1.1 A\n- **Status:** available\n\n### 1.2 B\n- **Status:** available\n- **Depends on:** 1.1\n\n### 1.3 C\n- **Status:** blocked — the client has not signed\n- **Depends on:** 1.1\n`;
    const maps = [roadmap('site', text)];
    const plan = planGarden(maps, [{ ref: 'site:1.1', status: 'complete' }], []);
    expect(plan.changes.map((c) => c.ref)).toEqual(['site:1.1']);
    expect(plan.health[0]!.blocked).toEqual([{ ref: 'site:1.3', why: 'the client has not signed' }]);

    const waiting = planGarden(maps, [], ['site:1.1']);
    expect(waiting.changes).toEqual([{ ref: 'site:1.2', target: 'site', id: '1.2', status: 'blocked', note: 'waiting on 1.1', why: 'waiting on site:1.1' }]);
    expect(apply(maps, waiting)[0]!.text).toContain('- **Status:** blocked — waiting on 1.1\n');
  });

  it('keeps Baton\'s skipped note and applies its blocked update, clearing the owner who gave up', () => {
    const maps = [roadmap('site', '### 1.1 A\n- **Status:** in progress\n- **Owner:** Aria\n')];
    const plan = planGarden(maps, [{ ref: 'site:1.1', status: 'blocked', note: 'skipped: verification failed twice' }], []);
    expect(plan.changes).toEqual([{ ref: 'site:1.1', target: 'site', id: '1.1', status: 'blocked', owner: null, note: 'skipped: verification failed twice', why: 'Baton blocked it: skipped: verification failed twice' }]);
    const after = apply(maps, plan);
    expect(planGarden(after, [], []).changes).toEqual([]);
    expect(planGarden(after, [], []).health[0]!.blocked).toEqual([{ ref: 'site:1.1', why: 'skipped: verification failed twice' }]);
  });

  it('never changes a roadmap with issues, and treats streams depending on it as waiting', () => {
    const broken = roadmap('api', '### 1.1 X\n- **Status:** complete\n- **Effort:** huge\n');
    const site = roadmap('site', '### 1.1 A\n- **Status:** available\n- **Depends on:** api:1.1\n');
    const plan = planGarden([site, broken], [{ ref: 'api:1.1', status: 'in progress', owner: 'Bo' }], []);
    expect(plan.changes).toEqual([
      { ref: 'site:1.1', target: 'site', id: '1.1', status: 'blocked', note: 'waiting on api:1.1', why: 'waiting on api:1.1 (its roadmap has problems)' },
    ]);
    const api = plan.health.find((h) => h.target === 'api')!;
    expect(api.issues.map((i) => `${i.file}:${i.line}: ${i.message}`)).toEqual(['api/ROADMAP.md:3: unknown effort "huge" (use S, M or L) in 1.1']);
    expect(api.changes).toEqual([]);
    expect(api.complete).toEqual(['api:1.1']);
  });

  it('reports cross-target cycles on both roadmaps and changes neither', () => {
    const site = roadmap('site', '### 1.2 B\n- **Status:** available\n- **Depends on:** api:1.1\n');
    const api = roadmap('api', '### 1.1 X\n- **Status:** available\n- **Depends on:** site:1.2\n');
    const plan = planGarden([site, api], [], []);
    expect(plan.changes).toEqual([]);
    expect(plan.health.map((h) => h.issues.map((i) => `${i.file}:${i.line}: ${i.message}`))).toEqual([
      ['site/ROADMAP.md:1: dependency cycle: site:1.2 → api:1.1 → site:1.2'],
      ['api/ROADMAP.md:1: dependency cycle: api:1.1 → site:1.2 → api:1.1'],
    ]);
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { editRoadmap, interpretGoal, offerOrder, parseRoadmap, planGarden, streamMission, type ParsedRoadmap } from '../../src/roadmap';
import type { StreamUpdate } from '../../src/roadmap/stream-types';

// A roadmap the way seed 003's project keeps one: 55 phases over 10 batches, Strategic Priorities, a Backlog.
const TEXT = fs.readFileSync(path.join(__dirname, '../fixtures/seed003/roadmap.md'), 'utf8');
const where = { file: 'plans/roadmap.md', target: 'core' };
const lineOf = (text: string, line: string) => text.split('\n').indexOf(line) + 1;
const byId = (parsed: ParsedRoadmap, id: string) => {
  const stream = parsed.streams.find((s) => s.id === id);
  if (!stream) throw new Error(`no stream ${id}`);
  return stream;
};
/** The lines that differ between two texts of the same length, as `line: before → after`. */
const changedLines = (before: string, after: string) => {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [`${i + 1}: ${line} → ${b[i]}`]));
};
const garden = (parsed: ParsedRoadmap, updates: StreamUpdate[] = [], held: string[] = []) =>
  planGarden([{ target: 'core', file: where.file, streams: parsed.streams, issues: parsed.issues }], updates, held);

describe("seed 003's roadmap format", () => {
  const parsed = parseRoadmap(TEXT, where);

  it('reads every phase of every batch, and nothing else, with no issue', () => {
    expect(parsed.format).toBe('phases');
    expect(parsed.issues).toEqual([]);
    expect(parsed.streams).toHaveLength(55);
    expect(new Set(parsed.streams.map((s) => s.batch))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    // `### Core Features` and `### Nice to Have` under the Backlog are not phases; neither are the `##` sections.
    expect(parsed.streams.map((s) => s.title)).not.toContain('Core Features');
    expect(parsed.streams.every((s) => !s.text.includes('Strategic Priorities') && !s.text.includes('Voice interface'))).toBe(true);
    expect(parsed.streams.map((s) => s.id).slice(-7)).toEqual(['10.1', '10.2', '10.3', '10.4', '10.5', '10.6', '10.7']);
  });

  it('reads heading, tag, batch, status, owner, effort and dependencies as the team writes them', () => {
    expect(byId(parsed, '1.1')).toMatchObject({ ref: 'core:1.1', title: 'Project Scaffolding and Tooling', tag: 'BOOTSTRAP', batch: 1, phase: 'Batch 1: Foundations', status: 'complete', owner: 'Aria', dependsOn: [], effort: 'S' });
    expect(byId(parsed, '1.1').line).toBe(lineOf(TEXT, '### Phase 1.1: Project Scaffolding and Tooling ⭐ BOOTSTRAP'));
    expect(byId(parsed, '1.2')).toMatchObject({ owner: 'Lyra (coder-1765073295)', dependsOn: ['core:1.1'] });
    expect(byId(parsed, '1.4')).toMatchObject({ status: 'in progress', owner: 'Aria' });
    expect(byId(parsed, '1.5')).toMatchObject({ owner: 'Sage, Atlas', dependsOn: ['core:1.1'] });
    expect(byId(parsed, '2.1')).toMatchObject({ status: 'available', dependsOn: ['core:1.3', 'core:1.4'] });
    expect(byId(parsed, '2.2').owner).toBeUndefined();
    expect(byId(parsed, '2.3')).toMatchObject({ tag: 'PRIORITY', title: 'Error Detection Framework' });
    expect(byId(parsed, '2.7')).toMatchObject({ status: 'complete', note: 'verified by Sage' });
    expect(byId(parsed, '2.8')).toMatchObject({ effort: 'M', dependsOn: ['core:2.7', 'core:2.4'] });
    expect(byId(parsed, '2.9').effort).toBe('S');
    expect(byId(parsed, '3.2')).toMatchObject({ status: 'blocked', note: 'needs NATS credentials from ops', batch: 3 });
    expect(byId(parsed, '6.3').dependsOn).toEqual(['core:6.2', 'core:5.1']);
    expect(byId(parsed, '10.7')).toMatchObject({ batch: 10, dependsOn: ['core:8.1', 'core:7.5'] });
  });

  it('keeps every checklist item with its state, Done When as criteria and every other field as context', () => {
    expect(byId(parsed, '3.2').tasks).toEqual([
      { marker: ' ', state: 'open', text: 'Write the broadcast channels module', depth: 0 },
      { marker: ' ', state: 'open', text: 'Unit tests for broadcast channels', depth: 0 },
      { marker: ' ', state: 'open', text: 'Wire it into the orchestrator', depth: 0 },
      { marker: 'BLOCKED: no NATS credentials yet', state: 'blocked', text: 'Integration test against the shared broker', depth: 0 },
    ]);
    expect(byId(parsed, '1.1').tasks!.map((t) => [t.marker, t.state])).toEqual([['x', 'done'], ['✅', 'done'], ['x', 'done']]);
    expect(byId(parsed, '2.8').tasks!.map((t) => [t.marker, t.state])).toEqual([[' ', 'open'], ['⚙️', 'in progress'], [' ', 'open']]);
    expect(byId(parsed, '3.3').tasks!.map((t) => [t.marker, t.state, t.depth])).toEqual([['~', 'in progress', 0], [' ', 'open', 1], [' ', 'open', 0]]);
    // A `**Tasks:**` paragraph with its own list, after the fields.
    expect(byId(parsed, '1.3').tasks!.map((t) => t.text)).toEqual(['Spike', 'Read the seed']);
    expect(byId(parsed, '1.3').doneWhen).toEqual(['Task Decomposition is used by the orchestrator and its tests pass']);
    expect(byId(parsed, '1.4').doneWhen).toEqual(['Agent Role Registry has unit tests', '`make check` is green']);
    const registry = byId(parsed, '1.4').text;
    expect(registry).toContain('- **Implementation Notes:**\n  - Reuse the message envelope from Phase 3.1\n  - See docs/nats-architecture.md');
    expect(registry).not.toMatch(/Status|Assigned To|Depends On|Done When/);
    expect(byId(parsed, '1.5').text).toContain('- **Completed:** 2025-11-20\n- **Quality Gates:**\n  - pytest passes (no skips)');
    expect(byId(parsed, '1.3').text).toContain('- **Design Notes:** keep it a pure function');
  });

  it('learns how the file spells each status and an empty owner', () => {
    expect(parsed.spelling).toEqual({
      status: { complete: '✅ Complete', 'in progress': '🔄 In Progress', ready: '🟢 Ready', 'not started': '⚪ Not Started', blocked: '🔴 Blocked' },
      nobody: '-',
      completedLines: true,
    });
  });

  it('offers BOOTSTRAP, then PRIORITY, then by batch and numeric id (2.9 before 2.10, 9.5 before 10.1)', () => {
    const order = offerOrder(parsed.streams).map((s) => s.id);
    expect(order.slice(0, 5)).toEqual(['1.1', '3.1', '2.3', '4.1', '1.2']);
    expect(order.indexOf('2.10')).toBe(order.indexOf('2.9') + 1);
    expect(order.indexOf('10.1')).toBe(order.indexOf('9.5') + 1);
    expect(order.at(-1)).toBe('10.7');
  });

  it("health check: the dependency's own status decides, whatever ✅ the line carries", () => {
    const [health] = garden(parsed).health;
    expect(health!.issues).toEqual([]);
    // 2.1 says `Phase 1.3 ✅, Phase 1.4`; 2.5 says `Phase 2.4 ✅` and 2.4 is complete; 10.1 says `Phase 1.2 ✅, Phase 4.1` and 4.1 is not.
    expect(health!.available).toEqual(['core:3.1', 'core:2.3', 'core:4.1', 'core:1.4', 'core:2.5', 'core:2.6', 'core:2.8', 'core:2.9', 'core:6.1', 'core:8.1']);
    expect(health!.blocked).toContainEqual({ ref: 'core:2.1', why: 'not started, waiting on core:1.4' });
    expect(health!.blocked).toContainEqual({ ref: 'core:10.1', why: 'not started, waiting on core:4.1' });
    expect(health!.blocked).toContainEqual({ ref: 'core:3.2', why: 'needs NATS credentials from ops' });
    expect(health!.complete).toEqual(['core:1.1', 'core:1.2', 'core:1.3', 'core:1.5', 'core:2.4', 'core:2.7']);
    expect(health!.available.length + health!.blocked.length + health!.complete.length).toBe(55);
  });

  it('gardening frees phases whose agent is gone and touches nothing else: not-started phases stay as written', () => {
    const plan = garden(parsed);
    expect(plan.changes.map((c) => [c.id, c.status, c.owner, c.why])).toEqual([
      ['1.4', 'available', null, 'its agent is gone'],
      ['3.1', 'available', null, 'its agent is gone'],
    ]);
    const after = editRoadmap(TEXT, parsed, plan.changes);
    // Status and Assigned To are the first two lines under each heading.
    const line = (id: string, below: number) => byId(parsed, id).line + below;
    expect(changedLines(TEXT, after)).toEqual([
      `${line('1.4', 1)}: - **Status:** 🔄 In Progress → - **Status:** 🟢 Ready`,
      `${line('1.4', 2)}: - **Assigned To:** Aria → - **Assigned To:** -`,
      `${line('3.1', 1)}: - **Status:** 🔄 In Progress → - **Status:** 🟢 Ready`,
      `${line('3.1', 2)}: - **Assigned To:** Lyra (coder-1765073295) → - **Assigned To:** -`,
    ]);
    // Gardening again finds nothing to do.
    expect(garden(parseRoadmap(after, where)).changes).toEqual([]);
  });

  it("writes Baton's updates back in the file's own spelling, with a Completed date where the file keeps them", () => {
    const updates: StreamUpdate[] = [
      { ref: 'core:2.3', status: 'in progress', owner: 'Vega' },
      { ref: 'core:1.4', status: 'complete', owner: 'Aria' },
      { ref: 'core:4.1', status: 'blocked', note: 'skipped: verification failed twice' },
    ];
    const plan = garden(parsed, updates, ['core:2.3', 'core:3.1']);
    const after = editRoadmap(TEXT, parsed, plan.changes, { today: '2026-12-05' });
    const a = TEXT.split('\n');
    const b = after.split('\n');
    // One line more: 1.4's Completed line, inserted right under its Assigned To.
    expect(b).toHaveLength(a.length + 1);
    const registry = lineOf(after, '### Phase 1.4: Agent Role Registry');
    expect(b.slice(registry, registry + 4)).toEqual(['- **Status:** ✅ Complete', '- **Assigned To:** Aria', '- **Completed:** 2026-12-05', '- **Depends On:** Phase 1.1 ✅']);
    const errors = lineOf(after, '### Phase 2.3: Error Detection Framework ⭐ PRIORITY');
    expect(b.slice(errors, errors + 2)).toEqual(['- **Status:** 🔄 In Progress', '- **Assigned To:** Vega']);
    const parser = lineOf(after, '### Phase 4.1: Roadmap Parser ⭐ PRIORITY');
    expect(b[parser]).toBe('- **Status:** 🔴 Blocked — skipped: verification failed twice');
    // Everything else is byte for byte what the team wrote.
    const without = (text: string) => text.split('\n').filter((l) => !/^- \*\*(Status|Assigned To|Completed):\*\*/.test(l)).join('\n');
    expect(without(after)).toBe(without(TEXT));
    const reread = parseRoadmap(after, where);
    expect(reread.issues).toEqual([]);
    expect(byId(reread, '2.3')).toMatchObject({ status: 'in progress', owner: 'Vega' });
    expect(byId(reread, '4.1')).toMatchObject({ status: 'blocked', note: 'skipped: verification failed twice' });
  });

  it('round-trips byte for byte: no change, and CRLF kept on every line it writes', () => {
    expect(editRoadmap(TEXT, parsed, [])).toBe(TEXT);
    expect(editRoadmap(TEXT, parsed, garden(parsed, [], ['core:1.4', 'core:3.1']).changes)).toBe(TEXT);
    const crlf = TEXT.replace(/\n/g, '\r\n');
    const crlfParsed = parseRoadmap(crlf, where);
    expect(crlfParsed.streams.map(({ text: _t, ...s }) => s)).toEqual(parsed.streams.map(({ text: _t, ...s }) => s));
    const changes = [{ id: '2.3', status: 'complete' as const, owner: 'Vega' }];
    const lf = editRoadmap(TEXT, parsed, changes, { today: '2026-12-05' });
    expect(editRoadmap(crlf, crlfParsed, changes, { today: '2026-12-05' })).toBe(lf.replace(/\n/g, '\r\n'));
  });

  it('runs all available work in dependency order, bootstrap and priority first, never a phase a person blocked', () => {
    const selection = interpretGoal('', parsed.streams, { held: [], explicit: 'all' });
    const order = selection.selected.map((s) => s.id);
    expect(order.slice(0, 4)).toEqual(['3.1', '2.3', '4.1', '1.4']);
    expect(order).not.toContain('3.2');
    for (const stream of selection.selected) {
      for (const dep of stream.dependsOn) {
        const at = order.indexOf(dep.slice('core:'.length));
        if (at >= 0) expect(at).toBeLessThan(order.indexOf(stream.id));
      }
    }
    expect(selection.problems).toContain('core:3.3 waits on core:3.2, which is blocked: needs NATS credentials from ops');
  });

  it("gives the agent its tasks with their state, the phase's context, and Done When as success criteria", () => {
    const broadcast = streamMission(byId(parsed, '3.2'));
    expect(broadcast.mission.split('\n').slice(0, 2)).toEqual(['core:3.2 Broadcast Channels', 'Batch 3: Messaging · effort M']);
    expect(broadcast.mission).toContain('- [BLOCKED: no NATS credentials yet] (blocked) Integration test against the shared broker');
    expect(broadcast.mission).toContain('- [ ] (open) Write the broadcast channels module');
    const registry = streamMission(byId(parsed, '1.4'));
    expect(registry.successCriteria).toEqual(['Agent Role Registry has unit tests', '`make check` is green']);
    expect(registry.mission).toContain('See docs/nats-architecture.md');
    const agents = streamMission(byId(parsed, '3.3'));
    expect(agents.mission).toContain('- [~] (in progress) Sketch the blocker broadcasts API\n  - [ ] (open) Agree names with the PM');
    expect(streamMission(byId(parsed, '1.1')).mission).toContain('Batch 1: Foundations · ⭐ BOOTSTRAP · effort S');
  });
});

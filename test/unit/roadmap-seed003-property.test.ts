import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { editRoadmap, parseRoadmap } from '../../src/roadmap';
import { StreamStatus } from '../../src/roadmap/stream-types';

// Any set of Baton edits to seed 003's roadmap changes only Status, Assigned To and Completed lines, reads back as
// written, and keeps the file's spelling, in LF and CRLF alike.
const TEXT = fs.readFileSync(path.join(__dirname, '../fixtures/seed003/roadmap.md'), 'utf8');
const where = { file: 'plans/roadmap.md', target: 'core' };
const PARSED = parseRoadmap(TEXT, where);
const IDS = PARSED.streams.map((s) => s.id);
const SPELLED = new Set(['✅ Complete', '🔄 In Progress', '🔴 Blocked', '🟢 Ready']);
const BATON_LINE = /^- \*\*(Status|Assigned To|Completed):\*\*/;
const others = (text: string) => text.split(/\r?\n/).filter((l) => !BATON_LINE.test(l));

const edit = fc.record({
  id: fc.constantFrom(...IDS),
  status: fc.constantFrom(...StreamStatus.options),
  owner: fc.option(fc.constantFrom('Vega', 'Lyra (coder-1765073295)', 'Sage, Atlas'), { nil: null }),
  note: fc.option(fc.constantFrom('skipped: verification failed twice', 'needs a key'), { nil: undefined }),
});

test('edits touch only their own lines, read back as written and keep the file spelling', () => {
  fc.assert(
    fc.property(fc.uniqueArray(edit, { selector: (e) => e.id, maxLength: 12 }), fc.boolean(), (edits, crlf) => {
      const text = crlf ? TEXT.replace(/\n/g, '\r\n') : TEXT;
      const parsed = crlf ? parseRoadmap(text, where) : PARSED;
      const after = editRoadmap(text, parsed, edits, { today: '2026-12-05' });
      expect(others(after)).toEqual(others(text));
      if (crlf) expect(after.replace(/\r\n/g, '')).not.toContain('\n');
      const reread = parseRoadmap(after, where);
      expect(reread.issues).toEqual([]);
      for (const e of edits) {
        const stream = reread.streams.find((s) => s.id === e.id)!;
        expect(stream.status).toBe(e.status);
        expect(stream.owner).toBe(e.owner ?? undefined);
        if (e.note) expect(stream.note).toBe(e.note);
        const before = PARSED.streams.find((s) => s.id === e.id)!;
        const line = after.split(/\r?\n/)[stream.line]!;
        const spelled = line.replace('- **Status:** ', '').split(' — ')[0]!;
        // A status Baton wrote is in the file's spelling; one it left alone (same status, no new note) is as the team wrote it.
        if (e.status !== before.status || (e.note !== undefined && e.note !== before.note)) expect(SPELLED.has(spelled)).toBe(true);
      }
    }),
    { numRuns: 25, seed: Number(process.env.BATON_PROPERTY_SEED ?? 20261205) },
  );
});

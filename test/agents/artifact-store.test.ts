import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { artifactId, artifactsDir, FileArtifactStore } from '../../src/artifacts/artifact-store';
import { spillLongText } from '../../src/artifacts/spill';

const store = () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-artifacts-'));
  return new FileArtifactStore(artifactsDir(dataDir));
};

describe('FileArtifactStore', () => {
  it('stores content under its sha256, at <root>/ab/cdef…, with its metadata beside it', async () => {
    const s = store();
    const { id, bytes } = await s.put('hello transcript', { kind: 'transcript', project: 'demo' });
    expect(id).toBe(createHash('sha256').update('hello transcript').digest('hex'));
    expect(bytes).toBe(16);
    const file = path.join(s.root, id.slice(0, 2), id.slice(2));
    expect(readFileSync(file, 'utf8')).toBe('hello transcript');
    expect(JSON.parse(readFileSync(`${file}.meta.json`, 'utf8'))).toMatchObject({ kind: 'transcript', project: 'demo', bytes: 16 });
    expect((await s.get(id)).toString('utf8')).toBe('hello transcript');
  });

  it('is idempotent: the same content twice is one file and one id', async () => {
    const s = store();
    const a = await s.put(Buffer.from('same'), { kind: 'x', project: 'p' });
    const b = await s.put('same', { kind: 'y', project: 'q' });
    expect(b).toEqual(a);
    expect(readdirSync(path.join(s.root, a.id.slice(0, 2)))).toEqual([a.id.slice(2), `${a.id.slice(2)}.meta.json`]);
  });

  it('leaves no temporary files behind, also under concurrent puts of the same content', async () => {
    const s = store();
    const results = await Promise.all(Array.from({ length: 8 }, () => s.put('x'.repeat(100_000), { kind: 'k', project: 'p' })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const dir = path.join(s.root, results[0]!.id.slice(0, 2));
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses ids that are not sha256 hex, so an id cannot name another path', async () => {
    const s = store();
    await expect(s.get('../../etc/passwd')).rejects.toThrow('invalid artifact id');
    await expect(s.get('a'.repeat(64))).rejects.toThrow(`artifact ${'a'.repeat(64)} not found`);
  });

  it('computes ids without storing', () => {
    expect(artifactId('abc')).toHaveLength(64);
  });
});

describe('spillLongText', () => {
  it('keeps short text as is and stores nothing', async () => {
    const s = store();
    expect(await spillLongText(s, 'short', 100, { kind: 'k', project: 'p' })).toEqual({ text: 'short' });
    expect(existsSync(s.root)).toBe(false);
  });

  it('stores long text whole and returns it cut to the limit, naming the artifact', async () => {
    const s = store();
    const long = 'z'.repeat(10_000);
    const spilled = await spillLongText(s, long, 300, { kind: 'k', project: 'p' });
    expect(spilled.text.length).toBeLessThanOrEqual(300);
    expect(spilled.text).toContain(`artifact ${spilled.artifact?.id}`);
    expect((await s.get(spilled.artifact!.id)).toString()).toBe(long);
  });
});

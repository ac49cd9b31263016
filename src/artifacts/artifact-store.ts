import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What an artifact is (`transcript`, `summary`, `tool-output`, …) and which project made it. */
export interface ArtifactMeta {
  kind: string;
  project: string;
}

/** Where an artifact went: its id (the key to fetch it) and its size. */
export interface StoredArtifact {
  id: string;
  bytes: number;
}

/** Large data kept out of workflow history; history carries only the ids this hands out. */
export interface ArtifactStore {
  /** Stores `content`; storing the same content again returns the same id and writes nothing. */
  put(content: string | Buffer, meta: ArtifactMeta): Promise<StoredArtifact>;
  /** The content stored under `id`; rejects when there is none. */
  get(id: string): Promise<Buffer>;
}

const ID = /^[0-9a-f]{64}$/;

/** The artifact id of `content`: its sha256 in hex. */
export function artifactId(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** `<dataDir>/artifacts`: the default home of a FileArtifactStore. */
export function artifactsDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'artifacts');
}

let tmpCounter = 0;

/** Content-addressed files: `<root>/ab/cdef…` plus a `.meta.json` beside each; written atomically, so readers never see half a file. */
export class FileArtifactStore implements ArtifactStore {
  constructor(readonly root: string) {}

  /** The file an id is stored in; throws for anything that is not a sha256 id (so ids cannot name other paths). */
  fileFor(id: string): string {
    if (!ID.test(id)) throw new Error(`invalid artifact id "${id.slice(0, 80)}" (expected 64 hex digits)`);
    return path.join(this.root, id.slice(0, 2), id.slice(2));
  }

  async put(content: string | Buffer, meta: ArtifactMeta): Promise<StoredArtifact> {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const id = artifactId(data);
    const file = this.fileFor(id);
    const existing = await stat(file).catch(() => undefined);
    if (existing?.size === data.length) return { id, bytes: data.length };
    await mkdir(path.dirname(file), { recursive: true });
    await writeAtomic(`${file}.meta.json`, JSON.stringify({ ...meta, bytes: data.length, stored: new Date().toISOString() }) + '\n');
    await writeAtomic(file, data);
    return { id, bytes: data.length };
  }

  async get(id: string): Promise<Buffer> {
    try {
      return await readFile(this.fileFor(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`artifact ${id} not found in ${this.root}`);
      throw err;
    }
  }
}

async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${++tmpCounter}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

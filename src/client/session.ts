import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultDataDir } from '../workers/config';
import { BatonClient, BatonError } from './baton-client';
import { connectClient, type ConnectionSettings, loadConnectionSettings } from './connection';
import { localPaths } from './local';

/** Options every `baton` command accepts. */
export interface GlobalOptions {
  project?: string;
  profile?: string;
  address?: string;
  namespace?: string;
  dataDir?: string;
  json?: boolean;
}

/** What a command needs: settings, the data dir, and a way to get a connected client. */
export class CliSession {
  readonly dataDir: string;
  readonly settings: ConnectionSettings;
  private connected?: Awaited<ReturnType<typeof connectClient>>;

  constructor(readonly opts: GlobalOptions) {
    this.dataDir = opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir();
    const env = { ...process.env };
    if (opts.address) env.TEMPORAL_ADDRESS = opts.address;
    if (opts.namespace) env.TEMPORAL_NAMESPACE = opts.namespace;
    this.settings = loadConnectionSettings({ profile: opts.profile, env });
  }

  /** A connected Baton client (one per command). */
  async baton(): Promise<BatonClient> {
    try {
      this.connected ??= await connectClient(this.settings);
    } catch (err) {
      throw new BatonError(
        `cannot connect to Temporal at ${this.settings.address} (${(err as Error).message}); start it with \`baton server\` or \`baton demo\``,
      );
    }
    return new BatonClient(this.connected.client, this.connected.connection, this.settings.namespace);
  }

  /** The project named by --project, $BATON_PROJECT, or the last one this data dir used. */
  project(): string {
    const named = this.opts.project ?? process.env.BATON_PROJECT ?? this.lastProject();
    if (!named) throw new BatonError('no project: pass --project NAME (or set BATON_PROJECT)');
    return named;
  }

  /** Remember the project so later commands can omit --project. */
  rememberProject(project: string): void {
    fs.mkdirSync(this.dataDir, { recursive: true });
    fs.writeFileSync(localPaths(this.dataDir).lastProjectFile, project);
  }

  /** The Temporal UI address for a workflow on the local dev server. */
  uiLink(workflowId: string): string {
    const port = Number(this.settings.address.split(':').pop()) + 1000;
    return `http://localhost:${port}/namespaces/${this.settings.namespace}/workflows/${encodeURIComponent(workflowId)}`;
  }

  async close(): Promise<void> {
    await this.connected?.close();
  }

  private lastProject(): string | undefined {
    try {
      return fs.readFileSync(localPaths(this.dataDir).lastProjectFile, 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

import Module from 'node:module';
import type * as AgentSdk from '@anthropic-ai/claude-agent-sdk';

/** The Claude Agent SDK module (ESM-only). */
export type ClaudeAgentSdk = typeof AgentSdk;

const SDK = '@anthropic-ai/claude-agent-sdk';

interface CompilableModule {
  filename: string;
  paths: string[];
  exports: unknown;
  _compile(code: string, filename: string): void;
}
interface ModuleInternals {
  new (id: string, parent?: NodeModule): CompilableModule;
  _nodeModulePaths(dir: string): string[];
}

let loaded: Promise<ClaudeAgentSdk> | undefined;

/**
 * Loads the SDK with a real dynamic `import()`. Compiled to CommonJS, `import()` would become `require()`
 * (which cannot load ESM on Node 20), and inside jest's VM a bare `import()` needs --experimental-vm-modules;
 * a tiny module compiled by Node's own CommonJS loader keeps a working `import()` in both.
 */
export function loadClaudeAgentSdk(): Promise<ClaudeAgentSdk> {
  if (!loaded) {
    const M = Module as unknown as ModuleInternals;
    const loader = new M(`${__filename}#import`, module);
    loader.filename = __filename;
    loader.paths = M._nodeModulePaths(__dirname);
    loader._compile('module.exports = (specifier) => import(specifier);', __filename);
    const load = loader.exports as (specifier: string) => Promise<ClaudeAgentSdk>;
    loaded = load(SDK).catch((err: unknown) => {
      loaded = undefined;
      throw err;
    });
  }
  return loaded;
}

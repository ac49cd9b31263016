import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fullConfigFromOptions } from '../../src/client/options';
import { runCli } from '../support/cli';
import { gitRepo } from '../support/git-targets';

const CONFIG = path.join(__dirname, '../fixtures/targets/seed-003/orchestrator/config/targets.yaml');
const NO_SERVER = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

describe("baton roadmap --targets with seed 003's config/targets.yaml (no server)", () => {
  it('reads both targets and their roadmaps from where seed 003 keeps them', async () => {
    const r = await runCli(['roadmap', '--targets', CONFIG], NO_SERVER);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`self (${path.join(path.dirname(CONFIG), '..', 'plans/roadmap.md')})`);
    expect(r.stdout).toContain('complete: self:1.1');
    expect(r.stdout).toContain('available: aurora:1.1');
  });

  it('refuses a typo with file:line and the field it meant, exit 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-seed-targets-'));
    const file = path.join(dir, 'targets.yaml');
    fs.writeFileSync(file, 'targets:\n  self:\n    name: "Orchestrator (Self)"\n    path: "."\n    gatez: []\n');
    const r = await runCli(['roadmap', '--targets', file], NO_SERVER);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:5: targets.self.gatez: unknown field — did you mean gates?`);
  });
});

describe("starting an orchestration from seed 003's targets.yaml", () => {
  it('carries the default target, the agent files and task_intake into the config (both repositories real git repos)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-seed-config-'));
    fs.cpSync(path.join(CONFIG, '../../..'), root, { recursive: true });
    for (const repo of ['orchestrator', 'aurora']) gitRepo(root, repo, {});
    const config = await fullConfigFromOptions({ targets: path.join(root, 'orchestrator/config/targets.yaml') });
    expect(config.taskIntake).toEqual({ enabled: true, natsSubjects: ['tasks.intake', 'tasks.intake.>'] });
    expect(config.targets?.map((t) => [t.name, t.isDefault ?? false, path.relative(root, t.coderAgent ?? ''), t.git?.integrationBranch])).toEqual([
      ['self', true, 'orchestrator/agents/coder_agent.md', 'main'],
      ['aurora', false, 'aurora/agents/coder_agent.md', 'main'],
    ]);
  });
});

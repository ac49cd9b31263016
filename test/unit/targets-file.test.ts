import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTargetsConfig, loadTargetsFile, parseTargetsFile, projectRoot, TargetsFileError } from '../../src/client/targets-file';

/** A fresh folder holding `site/` (with IDENTITY.md) and `targets.yaml` with `yaml`. */
function project(yaml: string): { root: string; file: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'baton-targets-'));
  mkdirSync(path.join(root, 'site'));
  writeFileSync(path.join(root, 'site', 'IDENTITY.md'), '# Crumb & Co.\n');
  writeFileSync(path.join(root, 'README.md'), 'not a folder\n');
  const file = path.join(root, 'targets.yaml');
  writeFileSync(file, yaml);
  return { root, file };
}

async function loadError(yaml: string): Promise<{ message: string; root: string }> {
  const { root, file } = project(yaml);
  const err = await loadTargetsFile(file).then(
    () => {
      throw new Error('expected the file to be refused');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TargetsFileError);
  return { message: (err as Error).message.replace(file, 'targets.yaml'), root };
}

const parseError = (yaml: string): string => {
  try {
    parseTargetsFile(yaml, 'targets.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(TargetsFileError);
    return (err as Error).message;
  }
  throw new Error('expected the text to be refused');
};

const FULL = [
  '# targets.yaml',
  'targets:',
  '  site:',
  '    title: Crumb & Co. website',
  '    path: ./site',
  '    identity: IDENTITY.md',
  '    gates:',
  '      - name: test',
  '        command: node --test',
  '        timeoutSeconds: 120',
  '      - name: lint',
  '        command: npx eslint .',
  '    recovery:',
  '      policy: escalate',
  '      timeoutSeconds: 86400',
  '',
].join('\n');

describe('targets.yaml', () => {
  it('resolves paths (target against the file, the rest against the target) and fills the defaults', async () => {
    const { root, file } = project(FULL);
    const site = path.join(root, 'site');
    expect(await loadTargetsFile(file)).toEqual([
      {
        name: 'site',
        title: 'Crumb & Co. website',
        path: site,
        roadmap: path.join(site, 'plans/roadmap.md'),
        identity: path.join(site, 'IDENTITY.md'),
        devLog: path.join(site, 'plans/dev-log.md'),
        gates: [
          { name: 'test', command: 'node --test', timeoutSeconds: 120 },
          { name: 'lint', command: 'npx eslint .', timeoutSeconds: 300 },
        ],
        recovery: { policy: 'escalate', freshAgents: 1, timeoutSeconds: 86400 },
      },
    ]);
  });

  it('keeps absolute paths, takes explicit roadmap and dev log, and leaves out what is not given', () => {
    const [docs] = parseTargetsFile('targets:\n  docs:\n    path: /srv/docs\n    roadmap: ROADMAP.md\n    devLog: /var/log/dev.md\n', '/etc/baton/targets.yaml');
    expect(docs).toEqual({ name: 'docs', path: '/srv/docs', roadmap: '/srv/docs/ROADMAP.md', devLog: '/var/log/dev.md', gates: [] });
  });

  it('does not require the roadmap to exist (gardening reports it)', async () => {
    const { file } = project('targets:\n  site: { path: site }\n');
    await expect(loadTargetsFile(file)).resolves.toHaveLength(1);
  });

  it.each([
    ['an empty gate command', 'targets:\n  site:\n    path: site\n    gates:\n      - name: test\n        command: "  "\n', 'targets.yaml:6: targets.site.gates.0.command: gate command must not be empty'],
    ['a typo in a field name', 'targets:\n  site:\n    path: site\n    gatez: []\n', 'targets.yaml:4: targets.site.gatez: unknown field — did you mean gates?'],
    ['a missing path', 'targets:\n  site:\n    title: Site\n', 'targets.yaml:2: targets.site.path: is required'],
    ['an empty targets map', '# nothing yet\ntargets: {}\n', 'targets.yaml:2: targets: list at least one target'],
    ['targets as a list', 'targets:\n  - site\n', 'targets.yaml:1: targets: targets must be a map of target name to its settings'],
    ['a bad target name', 'targets:\n  My Site:\n    path: site\n', 'targets.yaml:2: targets.My Site: target name must be lowercase'],
    ['an unknown recovery policy', 'targets:\n  site:\n    path: site\n    recovery:\n      policy: pray\n', 'targets.yaml:5: targets.site.recovery.policy: policy must be retry, skip or escalate'],
    ['a duplicate gate name', 'targets:\n  site:\n    path: site\n    gates:\n      - { name: t, command: a }\n      - { name: t, command: b }\n', 'targets.yaml:6: targets.site.gates.1.name: duplicate gate name "t"'],
    ['a YAML syntax error', 'targets:\n  site:\n    path: [site\n', 'targets.yaml:4: YAML syntax error'],
    ['an empty file', '# just a comment\n', 'targets.yaml:1: the file is empty'],
  ])('refuses %s, naming the line and the field', (_what, yaml, expected) => {
    expect(parseError(yaml)).toContain(expected);
  });

  it('refuses a target folder that does not exist, naming the line and the resolved path', async () => {
    const { message, root } = await loadError('targets:\n  site:\n    path: ./site\n  blog:\n    title: Blog\n    path: ./blog\n');
    expect(message).toBe(`targets.yaml:6: targets.blog.path: ${path.join(root, 'blog')} does not exist`);
  });

  it('refuses a target path that is a file', async () => {
    const { message, root } = await loadError('targets:\n  site:\n    path: README.md\n');
    expect(message).toBe(`targets.yaml:3: targets.site.path: ${path.join(root, 'README.md')} is not a directory`);
  });

  it('refuses an identity file that does not exist', async () => {
    const { message, root } = await loadError('targets:\n  site:\n    path: site\n    identity: WHO.md\n');
    expect(message).toBe(`targets.yaml:4: targets.site.identity: ${path.join(root, 'site', 'WHO.md')} does not exist (nor does ${path.join(root, 'WHO.md')})`);
  });

  it('says when the file itself cannot be read', async () => {
    await expect(loadTargetsFile('/nowhere/targets.yaml')).rejects.toThrow('/nowhere/targets.yaml: cannot read it (ENOENT)');
  });
});

const SEED = path.join(__dirname, '../fixtures/targets/seed-003');
const ORCH = path.join(SEED, 'orchestrator');
const AURORA = path.join(SEED, 'aurora');

describe("targets.yaml in seed 003's shape", () => {
  it('reads config/targets.yaml as seed 003 writes it: name as title, defaults merged, default target, task intake', async () => {
    const { targets, taskIntake } = await loadTargetsConfig(path.join(ORCH, 'config/targets.yaml'));
    const test = { name: 'test', command: 'npm test', timeoutSeconds: 600 };
    expect(targets).toEqual([
      {
        name: 'self',
        title: 'Orchestrator (Self)',
        description: 'The orchestrator itself: roadmap parser, agent runner, message bus and dashboards',
        // `path: "."` in config/targets.yaml is the repository the config folder belongs to.
        path: ORCH,
        roadmap: path.join(ORCH, 'plans/roadmap.md'),
        identity: path.join(ORCH, 'config/identity/anchors.yaml'),
        devLog: path.join(ORCH, 'plans/devlog.md'),
        conventions: path.join(ORCH, 'docs/CONVENTIONS.md'),
        coderAgent: path.join(ORCH, 'agents/coder_agent.md'),
        pmAgent: path.join(ORCH, 'agents/pm_agent.md'),
        gates: [test],
        isDefault: true,
      },
      {
        name: 'aurora',
        title: 'Aurora',
        description: 'Aurora, the companion app: memory, identity and voice',
        path: AURORA,
        roadmap: path.join(AURORA, 'ROADMAP.md'),
        // Not in the Aurora repository: seed 003 keeps it in the orchestrator's config/identity/.
        identity: path.join(ORCH, 'config/identity/aurora.yaml'),
        devLog: path.join(AURORA, 'plans/devlog.md'),
        conventions: path.join(AURORA, 'CONTRIBUTING.md'),
        // Aurora has its own coder prompt; the PM prompt comes from the orchestrator (defaults).
        coderAgent: path.join(AURORA, 'agents/coder_agent.md'),
        pmAgent: path.join(ORCH, 'agents/pm_agent.md'),
        gates: [
          { name: 'test', command: 'pytest -q', timeoutSeconds: 300 },
          { name: 'types', command: 'mypy src', timeoutSeconds: 300 },
        ],
        recovery: { policy: 'escalate', freshAgents: 1, timeoutSeconds: 86400 },
      },
    ]);
    expect(taskIntake).toEqual({ enabled: true, nats_subjects: ['tasks.intake', 'tasks.intake.>'] });
  });

  it('reads the shape the seed itself shows (name and path, identity_context on an absolute path)', () => {
    const yaml = 'targets:\n  self:\n    name: "Orchestrator (Self)"\n    path: "."\n  aurora:\n    name: "Aurora"\n    path: "/path/to/aurora-repo"\n    identity_context: "config/identity/anchors.yaml"\n';
    const [self, aurora] = parseTargetsFile(yaml, '/srv/orchestrator/config/targets.yaml');
    expect(self).toMatchObject({ name: 'self', title: 'Orchestrator (Self)', path: '/srv/orchestrator' });
    expect(aurora).toMatchObject({ title: 'Aurora', path: '/path/to/aurora-repo', identity: '/path/to/aurora-repo/config/identity/anchors.yaml' });
  });

  it('resolves a relative target path against the folder holding targets.yaml, or its parent when that is config/', () => {
    expect(projectRoot('/srv/app/targets.yaml')).toBe('/srv/app');
    expect(projectRoot('/srv/app/config/targets.yaml')).toBe('/srv/app');
    expect(projectRoot('/srv/app/configs/targets.yaml')).toBe('/srv/app/configs');
  });

  it.each([
    ['a misspelt seed field', 'targets:\n  a:\n    path: .\n    identityContext: x.yaml\n', 'targets.yaml:4: targets.a.identityContext: unknown field — did you mean identity_context?'],
    ['a misspelt default_target', 'default_targt: a\ntargets:\n  a: { path: . }\n', 'targets.yaml:1: default_targt: unknown field — did you mean default_target?'],
    ['a misspelt field under defaults', 'defaults:\n  coder_agnet: c.md\ntargets:\n  a: { path: . }\n', 'targets.yaml:2: defaults.coder_agnet: unknown field — did you mean coder_agent?'],
    ['a misspelt task_intake field', 'task_intake:\n  nats_subject: [a]\ntargets:\n  a: { path: . }\n', 'targets.yaml:2: task_intake.nats_subject: unknown field — did you mean nats_subjects?'],
    ['a misspelt gate field', 'targets:\n  a:\n    path: .\n    gates:\n      - { name: t, comand: x }\n', 'targets.yaml:5: targets.a.gates.0.comand: unknown field — did you mean command?'],
    ['a field like none', 'targets:\n  a:\n    path: .\n    favourite_colour: blue\n', 'targets.yaml:4: targets.a.favourite_colour: unknown field'],
    ['a path under defaults', 'defaults:\n  path: .\ntargets:\n  a: { path: . }\n', 'targets.yaml:2: defaults.path: unknown field'],
    ['both spellings of one setting', 'targets:\n  a:\n    path: .\n    title: A\n    name: A too\n', "targets.yaml:5: targets.a.name: name and title are the same setting (seed 003's and Baton's spelling): give one"],
    ['a default target that is not listed', 'default_target: web\ntargets:\n  a: { path: . }\n  b: { path: . }\n', 'targets.yaml:1: default_target: no target named "web" (targets: a, b)'],
    ['a NATS subject with a space', 'task_intake:\n  nats_subjects: ["tasks intake"]\ntargets:\n  a: { path: . }\n', 'targets.yaml:2: task_intake.nats_subjects.0: a NATS subject has no spaces'],
  ])('refuses %s with file:line and the field', (_what, yaml, expected) => {
    expect(parseError(yaml)).toContain(expected);
  });

  it('names the defaults line (and the target) when a shared file is missing', async () => {
    const { message, root } = await loadError('defaults:\n  conventions: CONVENTIONS.md\ntargets:\n  site: { path: site }\n');
    expect(message).toBe(`targets.yaml:2: defaults.conventions (for target site): ${path.join(root, 'site', 'CONVENTIONS.md')} does not exist (nor does ${path.join(root, 'CONVENTIONS.md')})`);
  });

  it('refuses a missing coder_agent file at its own line', async () => {
    const { message } = await loadError('targets:\n  site:\n    path: site\n    coder_agent: prompts/coder.md\n');
    expect(message).toMatch(/^targets\.yaml:4: targets\.site\.coder_agent: .*prompts\/coder\.md does not exist/);
  });
});

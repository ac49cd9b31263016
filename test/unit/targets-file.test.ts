import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTargetsFile, parseTargetsFile, TargetsFileError } from '../../src/client/targets-file';

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
    ['a typo in a field name', 'targets:\n  site:\n    path: site\n    gatez: []\n', 'targets.yaml:4: targets.site.gatez: unknown field'],
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
    expect(message).toBe(`targets.yaml:4: targets.site.identity: ${path.join(root, 'site', 'WHO.md')} does not exist`);
  });

  it('says when the file itself cannot be read', async () => {
    await expect(loadTargetsFile('/nowhere/targets.yaml')).rejects.toThrow('/nowhere/targets.yaml: cannot read it (ENOENT)');
  });
});

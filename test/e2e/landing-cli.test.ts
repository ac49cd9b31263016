import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseTargetsFile } from '../../src/client/targets-file';
import { runCli } from '../support/cli';
import { gitOut, gitRepo } from '../support/git-targets';
import { testServerInfo } from '../support/test-server';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-landing-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `baton new -p <fresh> --targets <file>` against the shared test server. */
async function newWith(yaml: string) {
  const file = path.join(dir, `targets-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, yaml);
  const { address, namespace } = testServerInfo();
  const project = `never-${Math.random().toString(36).slice(2)}`;
  return { file, ...(await runCli(['new', '-p', project, '--address', address, '--namespace', namespace, '--data-dir', dir, '--targets', file])) };
}

describe('targets.yaml landing settings', () => {
  it('reads integrationBranch, author, push and pullRequest; leaves git out when none is given', () => {
    const [site, api] = parseTargetsFile(
      [
        'targets:',
        '  site:',
        '    path: /srv/site',
        '    integrationBranch: develop',
        '    author: "Bot {{agent}} <bots@example.com>"',
        '    push: true',
        '    pullRequest: gh pr create --base {{integrationBranch}} --head {{branch}} --title {{title}}',
        '  api:',
        '    path: /srv/api',
        '',
      ].join('\n'),
      '/etc/baton/targets.yaml',
    );
    expect(site!.git).toEqual({ integrationBranch: 'develop', author: 'Bot {{agent}} <bots@example.com>', push: true, pullRequest: 'gh pr create --base {{integrationBranch}} --head {{branch}} --title {{title}}' });
    expect(api!.git).toBeUndefined();
  });

  it('names the line of a bad author or an unknown pullRequest placeholder', () => {
    expect(() => parseTargetsFile('targets:\n  site:\n    path: /srv/site\n    author: Forge\n', '/t.yaml')).toThrow(/t\.yaml:4: targets\.site\.author: author must look like "Name <email>"/);
    expect(() => parseTargetsFile('targets:\n  site:\n    path: /srv/site\n    pullRequest: gh pr create --head {{brnch}}\n', '/t.yaml')).toThrow(/t\.yaml:4: targets\.site\.pullRequest: unknown placeholder \{\{brnch\}\}/);
    expect(() => parseTargetsFile('targets:\n  site:\n    path: /srv/site\n    push: yes please\n', '/t.yaml')).toThrow(/t\.yaml:4: targets\.site\.push: push must be true or false/);
  });
});

describe('baton new --targets refuses a target that cannot take landed work, and changes nothing', () => {
  it('a folder that is not a git repository', async () => {
    fs.mkdirSync(path.join(dir, 'plain'));
    const r = await newWith('targets:\n  plain:\n    path: ./plain\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--targets: .*targets\.plain: .*plain is not a git repository/);
    expect(fs.readdirSync(path.join(dir, 'plain'))).toEqual([]);
  });

  it('a repository with no commits', async () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    execFileSync('git', ['init', '-q'], { cwd: path.join(dir, 'empty') });
    const r = await newWith('targets:\n  empty:\n    path: ./empty\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/targets\.empty: .*has no commits yet/);
  });

  it('uncommitted changes on the integration branch, named; the files are left as they are', async () => {
    const repo = gitRepo(dir, 'dirty', { 'index.html': '<h1>hi</h1>\n' });
    fs.writeFileSync(path.join(repo, 'index.html'), '<h1>half edited</h1>\n');
    const r = await newWith('targets:\n  dirty:\n    path: ./dirty\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/targets\.dirty: .*has uncommitted changes on main \(index\.html\): commit or stash them first/);
    expect(fs.readFileSync(path.join(repo, 'index.html'), 'utf8')).toBe('<h1>half edited</h1>\n');
    expect(gitOut(repo, 'status', '--porcelain')).toBe('M index.html');
  });

  it('an integrationBranch that does not exist', async () => {
    gitRepo(dir, 'nobranch', { 'a.txt': 'a\n' });
    const r = await newWith('targets:\n  nobranch:\n    path: ./nobranch\n    integrationBranch: release\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/targets\.nobranch: .*has no branch release/);
  });
});

import { buildArgs, type ResolvedOptions } from '../../src/server/dev-server';

const base: ResolvedOptions = { ip: '127.0.0.1', port: 7555, namespace: 'default', logLevel: 'warn' };
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('temporal server start-dev arguments', () => {
  it('keeps a chosen UI port alongside a UI codec endpoint', () => {
    const args = buildArgs({ ...base, uiPort: 9555, uiCodecEndpoint: 'http://127.0.0.1:8888' });
    expect(after(args, '--ui-port')).toBe('9555');
    expect(after(args, '--ui-codec-endpoint')).toBe('http://127.0.0.1:8888');
  });

  it('passes no UI flags to a headless server', () => {
    const args = buildArgs({ ...base, headless: true, uiPort: 9555, uiCodecEndpoint: 'http://127.0.0.1:8888' });
    expect(args).toContain('--headless');
    expect(args).not.toContain('--ui-port');
    expect(args).not.toContain('--ui-codec-endpoint');
  });
});

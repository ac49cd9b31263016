import { parseStreamRef, streamRef, Target, taskTarget } from '../../src/shared/targets';
import { target } from '../support/reducers';

describe('stream refs', () => {
  it('writes a ref as target:id', () => {
    expect(streamRef('site', '1.2')).toBe('site:1.2');
  });

  it('splits a ref at its first colon, and reads a bare id as having no target', () => {
    expect(parseStreamRef('site:1.2')).toEqual({ target: 'site', id: '1.2' });
    expect(parseStreamRef('1.2')).toEqual({ target: '', id: '1.2' });
    expect(parseStreamRef(':1.2')).toEqual({ target: '', id: '1.2' });
    expect(parseStreamRef('site:api:1.2')).toEqual({ target: 'site', id: 'api:1.2' });
  });

  it('round-trips every ref it writes', () => {
    for (const [target, id] of [['site', '1.2'], ['api-v2', '10.11.3'], ['a', '0.1']] as const) expect(parseStreamRef(streamRef(target, id))).toEqual({ target, id });
  });
});

describe('taskTarget', () => {
  const config = () => ({ targets: [Target.parse(target('site')), Target.parse(target('api'))] });

  it('finds the target a task names, by name', () => {
    const found = taskTarget(config(), { target: 'api' });
    expect(found).toMatchObject({ name: 'api', path: '/repo/api' });
    expect(taskTarget(config(), { target: 'site' })?.name).toBe('site');
  });

  it('finds none for a task without a target, or one the config no longer lists', () => {
    expect(taskTarget(config(), {})).toBeUndefined();
    expect(taskTarget(config(), { target: undefined })).toBeUndefined();
    expect(taskTarget(config(), { target: 'docs' })).toBeUndefined();
    expect(taskTarget({ targets: [] }, { target: 'site' })).toBeUndefined();
  });
});

import { ConfigReader } from '@backstage/config';
import { readEngineSettings } from './readEngineSettings';

const read = (aicloudops: object) => readEngineSettings(new ConfigReader({ aicloudops }));

describe('readEngineSettings', () => {
  it('is undefined without the section, and fills the defaults', () => {
    expect(readEngineSettings(new ConfigReader({}))).toBeUndefined();
    expect(read({ engine: { baseUrl: 'http://engine:8080/' } })).toEqual({
      baseUrl: 'http://engine:8080',
      timeoutMs: 30_000,
      allowClusterChanges: false,
      maxStreamsPerUser: 10,
      actsForUsers: false,
    });
  });

  it.each([
    [{ engine: { baseUrl: 'engine:8080' } }, 'aicloudops.engine.baseUrl'],
    [{ engine: { baseUrl: 'ftp://engine' } }, 'aicloudops.engine.baseUrl: must be http or https'],
    [{ engine: { baseUrl: 'http://e', timeoutSeconds: 0 } }, 'aicloudops.engine.timeoutSeconds'],
    [{ engine: { baseUrl: 'http://e' }, proxy: { maxStreamsPerUser: 0 } }, 'aicloudops.proxy.maxStreamsPerUser'],
    [{ engine: { baseUrl: 'http://e' }, proxy: { maxStreamsPerUser: 2.5 } }, 'aicloudops.proxy.maxStreamsPerUser'],
  ])('names the setting that is wrong: %j', (section, field) => {
    expect(() => read(section)).toThrow(field);
  });
});

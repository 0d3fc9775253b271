import { describe, expect, it } from 'vitest';
import { workerExecArgv } from './startModuleWorker.js';

describe('workerExecArgv', () => {
  it('drops the flags that only a main script may carry, with their values', () => {
    expect(workerExecArgv(['--input-type=module', '--max-old-space-size=512'])).toEqual([
      '--max-old-space-size=512',
    ]);
    expect(workerExecArgv(['--input-type', 'module', '--import', 'tsx'])).toEqual(['--import', 'tsx']);
    expect(workerExecArgv(['-e', 'code()', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
  });
});

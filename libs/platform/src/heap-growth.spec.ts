import { spawnSync } from 'node:child_process';
import { applyHeapGrowth } from './heap-growth';

describe('applyHeapGrowth', () => {
  it('hands V8 the configured growth, and nothing when it is 0', () => {
    const flags: string[] = [];
    applyHeapGrowth({ runtime: { heap_growing_percent: 50 } }, (flag) => flags.push(flag));
    applyHeapGrowth({ runtime: { heap_growing_percent: 0 } }, (flag) => flags.push(flag));
    expect(flags).toEqual(['--heap-growing-percent=50']);
  });

  it('names a flag this Node accepts', () => {
    // V8 silently ignores an unknown flag given at run time; from the command line it refuses it.
    const run = spawnSync(process.execPath, ['--heap-growing-percent=50', '-e', '0'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const misspelt = spawnSync(process.execPath, ['--heap-growing-percentage=50', '-e', '0'], { encoding: 'utf8' });
    expect(misspelt.status).not.toBe(0);
  });
});

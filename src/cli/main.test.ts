import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import pkg from '../../package.json' with { type: 'json' };

const BIN = new URL('../../bin/faultline.mjs', import.meta.url).pathname;

describe('faultline command', () => {
  it('prints the version', () => {
    expect(execFileSync(BIN, ['--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
  });

  it('rejects an unknown command with usage and status 2', () => {
    const run = spawnSync(BIN, ['frobnicate'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
    expect(run.stderr).toContain('usage: faultline <command>');
  });
});

// Tests of the MIPS meter.
import { describe, expect, it } from 'vitest';
import { MipsMeter, WINDOW_MS } from './mips-meter.ts';

describe('MIPS meter', () => {
  it('reports instructions per microsecond over complete windows', () => {
    let now = 1000;
    const meter = new MipsMeter(() => now);
    meter.restart(0);
    now += WINDOW_MS / 2;
    expect(meter.sample(10_000_000)).toBe(0);
    now += WINDOW_MS / 2;
    expect(meter.sample(25_000_000)).toBe(50);
    now += WINDOW_MS;
    expect(meter.sample(35_000_000)).toBe(20);
    meter.restart(35_000_000);
    expect(meter.sample(35_000_000)).toBe(0);
  });
});

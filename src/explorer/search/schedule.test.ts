import { describe, expect, it } from 'vitest';
import { decodeSchedule, encodeSchedule, KEYBOARD_TID, ScheduleFormatError } from './schedule.ts';

describe('schedule codec', () => {
  it('run-length encodes and round-trips', () => {
    const s = [3, 3, 3, 4, 4, 3, 12];
    expect(encodeSchedule(s)).toBe('3*3.4*2.3.12');
    expect(decodeSchedule(encodeSchedule(s))).toEqual({ choices: s, dataRacePoints: [] });
    expect(encodeSchedule([])).toBe('');
    expect(decodeSchedule('')).toEqual({ choices: [], dataRacePoints: [] });
  });

  it('writes the keyboard pseudo-thread as k', () => {
    const s = [4, 4, KEYBOARD_TID, KEYBOARD_TID, 4];
    expect(encodeSchedule(s)).toBe('4*2.k*2.4');
    expect(decodeSchedule('4*2.k*2.4').choices).toEqual(s);
    expect(() => decodeSchedule('K')).toThrow(ScheduleFormatError);
  });

  it('leads with the data-race preemption points it was taken with, distinct and ascending', () => {
    expect(encodeSchedule([4, 4, 5], [0x100036f, 0x1034a5, 0x100036f])).toBe('dr=0x1034a5,0x100036f:4*2.5');
    expect(decodeSchedule('dr=0x100036f,0x1034a5:4*2.5')).toEqual({ choices: [4, 4, 5], dataRacePoints: [0x1034a5, 0x100036f] });
    expect(decodeSchedule('dr=0x10:')).toEqual({ choices: [], dataRacePoints: [0x10] });
    expect(() => decodeSchedule('dr=1034a5:4')).toThrow(/bad data-race point '1034a5'/);
    expect(() => decodeSchedule('dr=:4')).toThrow(ScheduleFormatError);
  });

  it('rejects malformed text with a clear error', () => {
    expect(() => decodeSchedule('3*x')).toThrow(ScheduleFormatError);
    expect(() => decodeSchedule('3..4')).toThrow(/bad schedule group ''/);
    expect(() => decodeSchedule('3*0')).toThrow(/at least 1/);
    expect(() => decodeSchedule('-1')).toThrow(ScheduleFormatError);
  });
});

import { describe, expect, it } from 'vitest';
import { levelToPercent, lostLine, recordedLine, targetZone } from './meter';

describe('levelToPercent', () => {
  it('is 0 for silence and 100 at full scale', () => {
    expect(levelToPercent(0)).toBe(0);
    expect(levelToPercent(1000)).toBe(100);
  });
  it('puts -20 dBFS two thirds of the way up', () => {
    expect(levelToPercent(100)).toBeCloseTo(66.67, 1);
  });
  it('clamps out-of-range input', () => {
    expect(levelToPercent(5000)).toBe(100);
    expect(levelToPercent(Number.NaN)).toBe(0);
    expect(levelToPercent(0.0001)).toBe(0);
  });
});

describe('targetZone', () => {
  it('classifies against the soft target', () => {
    expect(targetZone(30_000, 120, 180)).toBe('short');
    expect(targetZone(150_000, 120, 180)).toBe('on-target');
    expect(targetZone(200_000, 120, 180)).toBe('long');
  });
});

describe('recordedLine', () => {
  it('says how a take sits against the target', () => {
    expect(recordedLine(5_000, 120, 180)).toBe('Recorded 0:05 — well under your 2–3 minute target.');
    expect(recordedLine(100_000, 120, 180)).toBe('Recorded 1:40 — a little under your 2–3 minute target.');
    expect(recordedLine(150_000, 120, 180)).toBe('Recorded 2:30 — within your 2–3 minute target.');
    expect(recordedLine(200_000, 120, 180)).toMatch(/^Recorded 3:20 — over your 2–3 minute target/);
    expect(recordedLine(20_000, 30, 90)).toBe('Recorded 0:20 — a little under your 30–90 second target.');
  });
});

describe('lostLine', () => {
  it('says nothing when nothing was lost', () => {
    expect(lostLine(null)).toBeNull();
    expect(lostLine({ seconds: 0, places: 0, spans: [] })).toBeNull();
  });
  it('says how much was lost and where, never silently', () => {
    expect(lostLine({ seconds: 48.6, places: 1, spans: [{ at_s: 11.3, lost_s: 48.6 }] })).toBe(
      '48.6 s of audio is missing in one place at 0:11: the computer could not keep up while recording. The rest of the take is kept.',
    );
    const many = {
      seconds: 0.05,
      places: 5,
      spans: [1, 62, 125].map((at) => ({ at_s: at, lost_s: 0.01 })),
    };
    expect(lostLine(many)).toContain('Under 0.1 s of audio is missing in 5 places at 0:01, 1:02, 2:05 and 2 more');
  });
});

import { describe, expect, it } from 'vitest';
import { levelToPercent, recordedLine, targetZone } from './meter';

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

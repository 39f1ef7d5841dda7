import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, formatWhen } from './format';

describe('formatClock', () => {
  it('shows minutes and zero-padded seconds', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(3_400)).toBe('0:03');
    expect(formatClock(125_000)).toBe('2:05');
  });
  it('never goes negative', () => {
    expect(formatClock(-500)).toBe('0:00');
  });
});

describe('formatDuration', () => {
  it('uses tenths of a second under a minute', () => {
    expect(formatDuration(3_240)).toBe('3.2 s');
  });
  it('uses minutes and seconds from a minute on', () => {
    expect(formatDuration(125_400)).toBe('2 min 05 s');
  });
});

describe('formatWhen', () => {
  it('says Today for a take of the same day', () => {
    const now = new Date('2026-11-26T15:00:00Z');
    expect(formatWhen('2026-11-26T14:00:00.000Z', now)).toMatch(/^Today /);
  });
  it('returns the input when it is not a date', () => {
    expect(formatWhen('garbage')).toBe('garbage');
  });
});

describe('formatWhen across years', () => {
  it('leaves out the year of this year, and names another year', () => {
    const now = new Date('2026-11-26T15:00:00Z');
    expect(formatWhen('2026-03-02T10:00:00Z', now)).not.toMatch(/2026/);
    expect(formatWhen('2025-03-02T10:00:00Z', now)).toMatch(/2025/);
  });
});

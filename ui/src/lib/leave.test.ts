import { describe, expect, it, vi } from 'vitest';
import { DESTINATIONS, LeaveGuard, interruption, leaveQuestion, navKey } from './leave';

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
  key: k, ctrlKey: true, altKey: false, metaKey: false, shiftKey: false, repeat: false, ...mods,
});

describe('navKey', () => {
  it('maps Ctrl+1 to Ctrl+7 (or ⌘) to the navigation bar in order', () => {
    expect(DESTINATIONS.map((d) => navKey(key(d.key)))).toEqual(['home', 'review', 'progress', 'library', 'positions', 'settings', 'data']);
    expect(DESTINATIONS.map((d) => d.key)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(navKey(key('2', { ctrlKey: false, metaKey: true }))).toBe('review');
  });
  it('leaves plain digits (scores), other modifiers and auto-repeat alone', () => {
    expect(navKey(key('2', { ctrlKey: false }))).toBeNull();
    expect(navKey(key('2', { shiftKey: true }))).toBeNull();
    expect(navKey(key('2', { altKey: true }))).toBeNull();
    expect(navKey(key('2', { repeat: true }))).toBeNull();
    expect(navKey(key('8'))).toBeNull();
  });
});

describe('interruption', () => {
  it('asks about a take first, then about a round on screen that has not ended', () => {
    expect(interruption(true, null)).toEqual({ kind: 'take', inRound: false });
    expect(interruption(true, { onScreen: true, ended: false })).toEqual({ kind: 'take', inRound: true });
    expect(interruption(false, { onScreen: true, ended: false })).toEqual({ kind: 'round' });
  });
  it('asks nothing when leaving interrupts nothing', () => {
    expect(interruption(false, null)).toBeNull();
    expect(interruption(false, { onScreen: false, ended: false })).toBeNull();
    expect(interruption(false, { onScreen: true, ended: true })).toBeNull();
  });
});

describe('leaveQuestion', () => {
  it('offers Stop and keep, Discard and Keep recording (the safe default last) during a take', () => {
    const q = leaveQuestion({ kind: 'take', inRound: false });
    expect(q.choices.map((c) => c.label)).toEqual(['Stop and keep', 'Discard', 'Keep recording']);
    expect(q.choices.at(-1)?.choice).toBe('stay');
  });
  it('tells how to come back to a round', () => {
    expect(leaveQuestion({ kind: 'take', inRound: true }).text).toContain('Resume round');
    const q = leaveQuestion({ kind: 'round' });
    expect(q.text).toContain('Resume round');
    expect(q.choices.map((c) => c.choice)).toEqual(['leave', 'stay']);
  });
});

describe('LeaveGuard', () => {
  it('knows when any registered take records, and stops only those', async () => {
    const g = new LeaveGuard();
    const idle = { recording: false, stop: vi.fn(async () => {}) };
    const busy = { recording: true, stop: vi.fn(async () => {}) };
    g.register(idle);
    const off = g.register(busy);
    expect(g.recording).toBe(true);
    await g.stop(false);
    expect(busy.stop).toHaveBeenCalledWith(false);
    expect(idle.stop).not.toHaveBeenCalled();
    off();
    expect(g.recording).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Marker, Rubric } from './backend';
import { FLAG_COLOR, UNTAGGED_COLOR, insertMarker, labelRows, markerStyle, waveMarkers } from './markers';

const rubric: Pick<Rubric, 'criteria' | 'red_flags'> = {
  criteria: [
    { key: 'complexity', name: 'Handles complexity', short: 'Complexity', color: '#1f77b4', scored_on: 'answer', definition: '', checks: [], levels: [], guide: '' },
    { key: 'gaps', name: 'Knowledge gaps', short: 'Gaps', color: '#2ca02c', scored_on: 'answer', definition: '', checks: [], levels: [], guide: '' },
  ],
  red_flags: [{ key: 'reaching_for_framework', label: 'Reaching for a framework', description: '', sounds_like: '' }],
};

const marker = (id: string, at_s: number | null, tag: string | null = null): Marker => ({ id, take_id: 't', at_s, tag, note: '' });

describe('marker style', () => {
  it('gives a criterion marker the criterion colour and short name', () => {
    expect(markerStyle(rubric, 'gaps')).toEqual({ kind: 'criterion', color: '#2ca02c', label: 'Gaps' });
  });

  it('draws a red flag red with its label (the same in Review and side by side)', () => {
    expect(markerStyle(rubric, 'reaching_for_framework')).toEqual({ kind: 'flag', color: FLAG_COLOR, label: 'Reaching for a framework' });
    expect(FLAG_COLOR).toBe('#c62828');
  });

  it('leaves an untagged marker, an unknown tag, or a missing rubric grey', () => {
    const none = { kind: 'none', color: UNTAGGED_COLOR, label: 'Marker' };
    expect(markerStyle(rubric, null)).toEqual(none);
    expect(markerStyle(rubric, 'charm')).toEqual(none);
    expect(markerStyle(null, 'gaps')).toEqual(none);
  });

  it('turns markers into waveform lines (a marker without a time at the start)', () => {
    expect(waveMarkers([marker('a', 2.5, 'complexity'), marker('b', null, 'reaching_for_framework')], rubric)).toEqual([
      { id: 'a', at_s: 2.5, color: '#1f77b4', label: 'Complexity' },
      { id: 'b', at_s: 0, color: FLAG_COLOR, label: 'Reaching for a framework' },
    ]);
  });

  it('keeps the list in time order when a marker is added', () => {
    const list = [marker('a', 1), marker('c', 5)];
    expect(insertMarker(list, marker('b', 3)).map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(insertMarker(list, marker('z', null)).map((m) => m.id)).toEqual(['z', 'a', 'c']);
    expect(list.map((m) => m.id)).toEqual(['a', 'c']);
  });
});

describe('labelRows', () => {
  it('puts labels that would overlap on separate rows, and reuses a row once clear', () => {
    const ms = [
      { at_s: 10, label: 'Complexity' },
      { at_s: 11, label: 'Gaps' },
      { at_s: 50, label: 'Honesty' },
      { at_s: 12, label: 'Marker' },
    ];
    // 100 s over 1000 px: 10 px a second; "Complexity" is about 84 px wide.
    expect(labelRows(ms, 100, 1000)).toEqual([0, 1, 0, 2]);
  });
  it('leaves out labels beyond the rows there is room for', () => {
    const ms = [
      { at_s: 10, label: 'Complexity' },
      { at_s: 11, label: 'Gaps' },
      { at_s: 50, label: 'Honesty' },
    ];
    expect(labelRows(ms, 100, 1000, 1)).toEqual([0, -1, 0]);
  });

  it('keeps everything on one row when nothing overlaps', () => {
    expect(labelRows([{ at_s: 1, label: 'A' }, { at_s: 50, label: 'B' }], 100, 1000)).toEqual([0, 0]);
  });
});

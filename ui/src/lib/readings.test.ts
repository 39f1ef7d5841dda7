import { describe, expect, it } from 'vitest';
import { READING_SOURCES, readingSource, readings } from './welcome';

describe('the readings of the question bank', () => {
  it('says where to find each reading the built-in questions name', () => {
    for (const r of [
      'Core Views on AI Safety',
      'Responsible Scaling Policy',
      "Anthropic's research pages",
      "Anthropic's research pages: Constitutional AI",
      "Anthropic's research pages: mechanistic interpretability",
      "Anthropic's research pages: scalable oversight",
    ]) {
      expect(READING_SOURCES[r], r).toBeTruthy();
      expect(readingSource(r)).not.toMatch(/named yourself/);
    }
  });

  it('leaves out categories about your own experience (no reading)', () => {
    const r = readings([
      { name: 'RSP', reading: 'Responsible Scaling Policy' },
      { name: 'Behavioral', reading: '' },
      { name: 'Disagreeing well', reading: '  ' },
    ]);
    expect(r.map((x) => x.reading)).toEqual(['Responsible Scaling Policy']);
  });
});

import { describe, expect, it } from 'vitest';
import type { EvidenceHints, Hint } from './backend';
import { aroundCue, flagHints, hintsFor, times, untranscribedNote, whereSaid } from './hints';

const hint = (patch: Partial<Hint>): Hint => ({
  take_id: 'a',
  reply: 0,
  sentence: 'I don’t know who owns it.',
  start_s: 2,
  cue: 'I don’t know',
  followed_by: null,
  flag: null,
  ...patch,
});
const hints = (patch: Partial<EvidenceHints> = {}): EvidenceHints => ({ uncertainty: [], consequences: [], flags: [], untranscribed: 0, ...patch });

describe('hints on the rating steps', () => {
  it('lists voiced uncertainty with whether a way to find out followed', () => {
    const h = hintsFor('gaps', hints({ uncertainty: [hint({ followed_by: 'ask' }), hint({ start_s: 9, reply: 1, take_id: 'r1' })] }))!;
    expect(h.summary).toBe('You voiced uncertainty twice; a way to find out followed once.');
    expect(h.lines.map((l) => [l.where, l.note, l.takeId, l.atS])).toEqual([
      ['First answer', 'a way to find out followed: “ask”', 'a', 2],
      ['Reply to push-back 1', 'no way to find out followed', 'r1', 9],
    ]);
    expect(hintsFor('gaps', hints({ uncertainty: [hint({})] }))!.summary).toBe('You voiced uncertainty once; no way to find out followed.');
    expect(hintsFor('gaps', hints())!.summary).toBe('No uncertainty was voiced in the words Candor heard.');
  });

  it('tells unprompted consequence reasoning from reasoning after a push-back', () => {
    const first = hint({ cue: 'which means' });
    const later = hint({ cue: 'downstream', reply: 2, take_id: 'r2' });
    const h = hintsFor('second_order', hints({ consequences: [first, later] }))!;
    expect(h.summary).toBe('Consequence language twice, once in the first answer (unprompted).');
    expect(h.lines.map((l) => l.note)).toEqual(['unprompted', 'after a push-back']);
    expect(hintsFor('second_order', hints({ consequences: [later] }))!.summary).toBe('Consequence language once, only after a push-back.');
    expect(hintsFor('second_order', hints({ consequences: [first, first] }))!.summary).toBe('Consequence language twice, both in the first answer (unprompted).');
    expect(hintsFor('second_order', hints({ consequences: [first] }))!.summary).toBe('Consequence language once, in the first answer (unprompted).');
  });

  it('offers nothing for steps without hints, or before the hints load', () => {
    expect(hintsFor('complexity', hints())).toBeNull();
    expect(hintsFor('gaps', null)).toBeNull();
    expect(flagHints('sanitized_star', null)).toEqual([]);
  });

  it('puts each flagged phrase under its own red flag', () => {
    const h = hints({ flags: [hint({ flag: 'sanitized_star', cue: 'In the end' }), hint({ flag: 'performing_alignment', cue: 'your mission' })] });
    expect(flagHints('sanitized_star', h).map((l) => l.cue)).toEqual(['In the end']);
    expect(flagHints('cliche_lesson', h)).toEqual([]);
  });

  it('says when recordings have no transcript yet, and counts in words', () => {
    expect(untranscribedNote(hints())).toBeNull();
    expect(untranscribedNote(hints({ untranscribed: 1 }))).toMatch(/^One recording/);
    expect(untranscribedNote(hints({ untranscribed: 2 }))).toMatch(/^2 recordings/);
    expect([1, 2, 5].map(times)).toEqual(['once', 'twice', '5 times']);
    expect(whereSaid(hint({ reply: 3 }))).toBe('Reply to push-back 3');
    expect(aroundCue('So, which means, fine.', 'which means,')).toEqual(['So, ', 'which means,', ' fine.']);
    expect(aroundCue('No cue here.', 'absent')).toEqual(['No cue here.', '', '']);
  });
});

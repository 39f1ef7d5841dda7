import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, type Backend, type Position } from './backend';
import { humanError } from './messages';
import {
  PositionSaver,
  confidenceChoices,
  confidenceLabel,
  confidenceValue,
  isEmpty,
  parseConfidence,
  sameFields,
  statusText,
  type SaveStatus,
} from './positions';
import { fakeBackend } from './testing';

/** What the saver sends (the confidence may be left out). */
type Sent = Parameters<Backend['savePosition']>[0];

function position(patch: Partial<Position> = {}): Position {
  return { category: 'rsp', view: '', confidence: null, would_change: '', question: '', updated_at: '', ...patch };
}

describe('confidence', () => {
  it('offers Not said, then 10% to 90%, stored as percent', () => {
    const choices = confidenceChoices();
    expect(choices.map((c) => c.label)).toEqual(['Not said', '10%', '20%', '30%', '40%', '50%', '60%', '70%', '80%', '90%']);
    expect(choices[0]?.value).toBe('');
    expect(parseConfidence('70')).toBe(70);
    expect(parseConfidence('')).toBeNull();
    expect(confidenceValue(null)).toBe('');
    expect(confidenceValue(40)).toBe('40');
  });

  it('keeps a stored value off the steps selectable, in its place', () => {
    expect(confidenceChoices(65).map((c) => c.value)).toEqual(['', '10', '20', '30', '40', '50', '60', '65', '70', '80', '90']);
    expect(confidenceChoices(60)).toHaveLength(10);
  });

  it('says a confidence in words', () => {
    expect(confidenceLabel(null)).toBe('Not said');
    expect(confidenceLabel(80)).toBe('80%');
  });

  it('refuses what is not a percentage', () => {
    expect(parseConfidence('abc')).toBeNull();
    expect(parseConfidence('120')).toBeNull();
    expect(parseConfidence('12.5')).toBeNull();
  });
});

describe('comparing positions', () => {
  it('compares as Candor stores them (trimmed)', () => {
    expect(sameFields(position({ view: ' A view. ' }), position({ view: 'A view.' }))).toBe(true);
    expect(sameFields(position({ confidence: 50 }), position())).toBe(false);
    expect(isEmpty(position({ view: '   ' }))).toBe(true);
    expect(isEmpty(position({ confidence: 10 }))).toBe(false);
  });
});

describe('the status beside an item', () => {
  it('says saved, cleared, pending, saving, or why not', () => {
    const cases: [SaveStatus, string][] = [
      [{ kind: 'idle' }, ''],
      [{ kind: 'pending' }, 'Not saved yet…'],
      [{ kind: 'saving' }, 'Saving…'],
      [{ kind: 'saved', cleared: false }, 'Saved'],
      [{ kind: 'saved', cleared: true }, 'Cleared'],
      [{ kind: 'failed', text: 'Keep it short.' }, 'Not saved. Keep it short.'],
    ];
    for (const [s, text] of cases) expect(statusText(s)).toBe(text);
  });
});

describe('PositionSaver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  function setup(save?: (p: Sent) => Promise<Position>) {
    const stored = async (p: Sent): Promise<Position> => ({ ...p, confidence: p.confidence ?? null, view: p.view.trim(), updated_at: '2026-11-27T10:00:00Z' });
    const savePosition = vi.fn(save ?? stored);
    const { backend } = fakeBackend({ savePosition });
    const statuses: SaveStatus[] = [];
    const onerror = vi.fn();
    const saver = new PositionSaver(backend, position(), (s) => statuses.push(s), onerror, 500);
    return { saver, savePosition, statuses, onerror };
  }

  it('saves once typing pauses, the last text only, then says Saved', async () => {
    const { saver, savePosition, statuses } = setup();
    saver.edit({ ...position(), view: 'The' });
    await vi.advanceTimersByTimeAsync(200);
    saver.edit({ ...position(), view: 'The trigger breaks first.' });
    expect(saver.status).toEqual({ kind: 'pending' });
    await vi.advanceTimersByTimeAsync(499);
    expect(savePosition).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(savePosition).toHaveBeenCalledTimes(1);
    expect(savePosition.mock.calls[0]?.[0]).toMatchObject({ category: 'rsp', view: 'The trigger breaks first.' });
    expect(saver.status).toEqual({ kind: 'saved', cleared: false });
    expect(statuses.map((s) => s.kind)).toEqual(['pending', 'pending', 'saving', 'saved']);
    expect(saver.saved.updated_at).not.toBe('');
  });

  it('saves at once when a field is left, and not again when nothing changed', async () => {
    const { saver, savePosition } = setup();
    saver.edit({ ...position(), confidence: 70 });
    await saver.flush();
    expect(savePosition).toHaveBeenCalledTimes(1);
    expect(savePosition.mock.calls[0]?.[0].confidence).toBe(70);
    await vi.advanceTimersByTimeAsync(1000);
    expect(savePosition).toHaveBeenCalledTimes(1);
    saver.edit({ ...position(), confidence: 70, view: '  ' });
    await saver.flush();
    expect(savePosition).toHaveBeenCalledTimes(1);
    expect(saver.status).toEqual({ kind: 'saved', cleared: false });
  });

  it('never overlaps saves: a change made while one runs is saved after it', async () => {
    let release: (() => void) | null = null;
    const { saver, savePosition } = setup(
      (p) =>
        new Promise((resolve) => {
          release = () => resolve({ ...p, confidence: p.confidence ?? null, updated_at: 'now' });
        }),
    );
    saver.edit({ ...position(), view: 'First.' });
    const first = saver.flush();
    expect(saver.status.kind).toBe('saving');
    saver.edit({ ...position(), view: 'Second.' });
    const second = saver.flush();
    expect(savePosition).toHaveBeenCalledTimes(1);
    release!();
    await first;
    // The first is stored, but a newer change waits: not "Saved" yet.
    expect(saver.status.kind).not.toBe('saved');
    await vi.waitFor(() => expect(savePosition).toHaveBeenCalledTimes(2));
    release!();
    await second;
    expect(savePosition.mock.calls[1]?.[0].view).toBe('Second.');
    expect(saver.status).toEqual({ kind: 'saved', cleared: false });
  });

  it('says Cleared when every field is emptied (Candor removes the position)', async () => {
    const { saver } = setup(async (p) => ({ ...p, confidence: null, view: '', updated_at: '' }));
    saver.edit({ ...position(), view: 'x' });
    await saver.flush();
    expect(saver.status).toEqual({ kind: 'saved', cleared: true });
  });

  it('says a refused value beside the item, in Candor’s words, with its field', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { saver, onerror } = setup(async () => {
      throw new BackendError({ code: 'InvalidInput', message: 'The view is too long (2100 characters; at most 2000). Shorten it and save again.' });
    });
    saver.edit({ ...position(), view: 'x'.repeat(2100) });
    await saver.flush();
    expect(saver.status).toEqual({ kind: 'failed', text: 'Keep your view under 2000 characters (it has 2100).', field: 'view' });
    expect(onerror).not.toHaveBeenCalled();
  });

  it('passes other failures to the window, and tries again on the next change', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let fail = true;
    const { saver, onerror, savePosition } = setup(async (p) => {
      if (fail) throw new BackendError({ code: 'Database', message: 'disk I/O error' });
      return { ...p, confidence: p.confidence ?? null, updated_at: 'now' };
    });
    saver.edit({ ...position(), question: 'What breaks first?' });
    await saver.flush();
    expect(saver.status.kind).toBe('failed');
    expect(statusText(saver.status)).not.toContain('disk I/O');
    expect(onerror).toHaveBeenCalledWith(expect.objectContaining({ code: 'Database' }));
    fail = false;
    saver.edit({ ...position(), question: 'What breaks first, and why?' });
    await saver.flush();
    expect(savePosition).toHaveBeenCalledTimes(2);
    expect(saver.status).toEqual({ kind: 'saved', cleared: false });
  });

  it('saves what is pending when the screen closes', async () => {
    const { saver, savePosition } = setup();
    saver.edit({ ...position(), would_change: 'A lab that stayed behind and still found it.' });
    await saver.dispose();
    expect(savePosition).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(savePosition).toHaveBeenCalledTimes(1);
  });
});

describe('refusals of a position, in Candor’s words', () => {
  beforeEach(() => vi.spyOn(console, 'error').mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it('names each field that is too long, and a confidence over 100', () => {
    const cases: [string, string][] = [
      ['What would change your mind is too long (2001 characters; at most 2000). Shorten it and save again.', 'Keep what would change your mind under 2000 characters (it has 2001).'],
      ['Your question is too long (3000 characters; at most 2000). Shorten it and save again.', 'Keep your question under 2000 characters (it has 3000).'],
      ['confidence is a percentage, from 0 to 100', 'How sure you are is a percentage, from 0 to 100.'],
    ];
    for (const [message, text] of cases) expect(humanError({ code: 'InvalidInput', message }).text).toBe(text);
  });
});

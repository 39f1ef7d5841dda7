import { describe, expect, it } from 'vitest';
import { isRecordToggle } from './keys';

const base = { code: 'Space', key: ' ', repeat: false, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, target: null };

describe('isRecordToggle', () => {
  it('accepts a plain Space', () => {
    expect(isRecordToggle(base)).toBe(true);
  });
  it('ignores auto-repeat and modifiers', () => {
    expect(isRecordToggle({ ...base, repeat: true })).toBe(false);
    expect(isRecordToggle({ ...base, ctrlKey: true })).toBe(false);
  });
  it('ignores Space typed into a field or a picker', () => {
    expect(isRecordToggle({ ...base, target: document.createElement('textarea') })).toBe(false);
    expect(isRecordToggle({ ...base, target: document.createElement('input') })).toBe(false);
    expect(isRecordToggle({ ...base, target: document.createElement('select') })).toBe(false);
  });
  it('records on Space even when a button has focus', () => {
    expect(isRecordToggle({ ...base, target: document.createElement('button') })).toBe(true);
  });
  it('ignores other keys', () => {
    expect(isRecordToggle({ ...base, code: 'KeyR', key: 'r' })).toBe(false);
  });
});

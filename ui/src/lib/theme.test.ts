import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadAppearance, prefersReducedMotion, saveAppearance, scrollBehavior } from './theme';

const memory = (): { getItem(k: string): string | null; setItem(k: string, v: string): void } => {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
};

describe('appearance', () => {
  it('is the system one until chosen, and unknown values read as the system one', () => {
    const store = memory();
    expect(loadAppearance(store)).toBe('system');
    saveAppearance('dark', store);
    expect(loadAppearance(store)).toBe('dark');
    store.setItem('candor.appearance', 'purple');
    expect(loadAppearance(store)).toBe('system');
  });
});

describe('less motion', () => {
  afterEach(() => vi.unstubAllGlobals());

  const mediaSays = (reduce: boolean): void => {
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: reduce && q === '(prefers-reduced-motion: reduce)' }));
  };

  it('is read from the system', () => {
    mediaSays(true);
    expect(prefersReducedMotion()).toBe(true);
    mediaSays(false);
    expect(prefersReducedMotion()).toBe(false);
  });

  it('scrolls without animation when asked for', () => {
    mediaSays(true);
    expect(scrollBehavior()).toBe('auto');
    mediaSays(false);
    expect(scrollBehavior()).toBe('smooth');
  });
});

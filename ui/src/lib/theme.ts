// Light and dark: the appearance the person chose (System follows the desktop), kept in the
// window's own storage, and the colours canvas drawings (charts, waveform) read from the theme.

export type Appearance = 'system' | 'light' | 'dark';

const KEY = 'candor.appearance';

/** Something like localStorage (a plain object in tests). */
export interface Store {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The window's own storage, or null where there is none (tests, a locked-down webview). */
export function storage(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The appearance chosen, System when none was. */
export function loadAppearance(store: Store | null = storage()): Appearance {
  const v = store?.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function saveAppearance(a: Appearance, store: Store | null = storage()): void {
  store?.setItem(KEY, a);
}

/** Applies it to the page: `data-theme` on <html> (absent for System, which follows the desktop). */
export function applyAppearance(a: Appearance, root: HTMLElement = document.documentElement): void {
  if (a === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', a);
  root.dispatchEvent(new CustomEvent('candor-theme', { bubbles: false }));
}

/** Whether the page is dark now (chosen, or the desktop's when System). */
export function isDark(root: HTMLElement = document.documentElement): boolean {
  const t = root.getAttribute('data-theme');
  if (t === 'dark') return true;
  if (t === 'light') return false;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

/** A colour from the theme's CSS variables (for canvases), or `fallback` outside a page. */
export function cssColor(name: string, fallback: string): string {
  if (typeof document === 'undefined' || typeof getComputedStyle !== 'function') return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Calls `f` whenever the theme changes (chosen in Settings, or the desktop's while System). */
export function onThemeChange(f: () => void, root: HTMLElement = document.documentElement): () => void {
  root.addEventListener('candor-theme', f);
  const mq = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  mq?.addEventListener('change', f);
  return () => {
    root.removeEventListener('candor-theme', f);
    mq?.removeEventListener('change', f);
  };
}

/**
 * A criterion colour from the rubric made readable on the current background: on dark, mixed
 * towards white so navy and purple lines do not sink into near-black.
 */
export function seriesColor(hex: string, dark: boolean): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m || !dark) return hex;
  const n = parseInt(m[1]!, 16);
  const mix = (c: number): number => Math.round(c + (255 - c) * 0.35);
  const r = mix((n >> 16) & 255);
  const g = mix((n >> 8) & 255);
  const b = mix(n & 255);
  return `#${((r << 16) | (g << 8) | b).toString(16).padStart(6, '0')}`;
}

/** Whether the person asked their system for less motion (no pulsing, no smooth scrolling). */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** How to scroll something into view: smoothly, unless less motion was asked for. */
export function scrollBehavior(reduced: boolean = prefersReducedMotion()): ScrollBehavior {
  return reduced ? 'auto' : 'smooth';
}

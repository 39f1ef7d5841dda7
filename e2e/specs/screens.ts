// e2e-audio: silent
// e2e-seed: gen-history --weeks 10 --takes 60 --seed 7 --audio
// Every screen at the default window size (1100×760), in light and in dark, saved to
// e2e/artifacts/screens-<theme>-<screen>.png, on a seeded ten-week history.
//
// Dark mode: WebKitWebDriver cannot emulate `prefers-color-scheme` (there is no such capability or
// command in WebDriver classic, and tauri-driver adds none), so the spec picks the theme the way a
// person does, with Settings → Appearance (Light / Dark), which Candor applies at once and keeps in
// the window's storage. "Same as the system" follows the desktop's choice through the same CSS.
import { byTestId, press, screenshot } from '../helpers.js';

async function shot(theme: string, name: string): Promise<void> {
  await browser.pause(400);
  expect(await $(byTestId('error-message')).isExisting()).toBe(false);
  await screenshot(`screens-${theme}-${name}`);
}

async function go(nav: string, ready: string): Promise<void> {
  await $(byTestId(`nav-${nav}`)).click();
  await $(byTestId(ready)).waitForDisplayed({ timeout: 15_000 });
}

async function everyScreen(theme: 'light' | 'dark'): Promise<void> {
  await go('home', 'home');
  await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 15_000 });
  await shot(theme, 'home');

  await $(byTestId('practice-suggested')).click();
  await $(byTestId('record-button')).waitForDisplayed({ timeout: 15_000 });
  await shot(theme, 'practice');

  await press('?');
  await $(byTestId('shortcuts')).waitForDisplayed({ timeout: 5_000 });
  await shot(theme, 'shortcuts');
  await $(byTestId('open-welcome')).click();
  await $(byTestId('welcome-sheet')).waitForDisplayed({ timeout: 5_000 });
  await $(byTestId('welcome-tab-scores')).click();
  await shot(theme, 'welcome');
  await press('Escape');
  await $(byTestId('welcome-sheet')).waitForExist({ reverse: true, timeout: 5_000 });

  await go('review', 'review');
  await $(byTestId('queue-item')).waitForDisplayed({ timeout: 15_000 });
  await shot(theme, 'review-list');
  await $(byTestId('queue-item')).$('button').click();
  await $(byTestId('wizard')).waitForDisplayed({ timeout: 15_000 });
  await shot(theme, 'review-rating');
  // The rating at 1100×760: the scores and Next are on screen without scrolling.
  const inView = await browser.execute((a: string, b: string) => {
    const visible = (sel: string): boolean => {
      const r = document.querySelector(sel)?.getBoundingClientRect();
      return !!r && r.top >= 0 && r.bottom <= window.innerHeight;
    };
    return visible(a) && visible(b);
  }, '[data-testid="wizard-next"]', '[data-testid^="score-"][data-testid$="-5"]');
  expect(inView).toBe(true);

  await go('progress', 'progress');
  await $(byTestId('criteria-chart')).waitForDisplayed({ timeout: 15_000 });
  await shot(theme, 'progress');
  await $(byTestId('practice-calendar')).scrollIntoView({ block: 'start' });
  await shot(theme, 'progress-calendar');
  await $(byTestId('tab-history')).click();
  await $(byTestId('history-question')).waitForDisplayed({ timeout: 15_000 });
  await shot(theme, 'history');

  await go('library', 'library');
  await $(byTestId('library-row')).waitForDisplayed({ timeout: 15_000 });
  await shot(theme, 'library');

  await go('positions', 'positions');
  await shot(theme, 'positions');

  await go('home', 'home');
  await $(byTestId('open-guide')).click();
  await $(byTestId('guide')).waitForDisplayed({ timeout: 10_000 });
  await shot(theme, 'guide');

  await go('data', 'data-screen');
  await $(byTestId('recordings')).waitForDisplayed({ timeout: 15_000 });
  await shot(theme, 'data');

  await go('settings', 'settings');
  await $(byTestId('device-select')).waitForDisplayed({ timeout: 15_000 });
  await shot(theme, 'settings');

  await go('home', 'home');
  await press('m');
  await $(byTestId('round-briefing')).waitForDisplayed({ timeout: 10_000 });
  await shot(theme, 'round-briefing');
  await press('Escape');
  await $(byTestId('round-briefing')).waitForExist({ reverse: true, timeout: 5_000 });
}

/** Clicks an appearance choice in Settings, scrolled to the middle of the window first (the
 * sticky header would take a click on a button at the very bottom of the view). */
async function appearance(choice: string): Promise<void> {
  await browser.execute((sel: string) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }), byTestId(`appearance-${choice}`));
  await $(byTestId(`appearance-${choice}`)).click();
}

describe('screens', () => {
  it('opens at 1100×760', async () => {
    await $(byTestId('home')).waitForDisplayed({ timeout: 30_000 });
    const size = await browser.execute(() => [window.innerWidth, window.innerHeight]);
    console.log(`[e2e] viewport ${size.join('×')}`);
    expect(size[0]).toBe(1100);
    expect(size[1]).toBe(760);
  });

  it('every screen in light', async () => {
    await go('settings', 'settings');
    await appearance('light');
    await everyScreen('light');
  });

  it('every screen in dark', async () => {
    await go('settings', 'settings');
    await appearance('dark');
    expect(await browser.execute(() => document.documentElement.getAttribute('data-theme'))).toBe('dark');
    await everyScreen('dark');
    await go('settings', 'settings');
    await appearance('system');
  });
});

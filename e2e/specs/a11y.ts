// e2e-audio: pulse
// e2e-seed: gen-history --weeks 6 --takes 24 --seed 11 --audio
// e2e-motion: reduced
// Accessibility: axe-core (e2e/node_modules, injected through WebDriver, never part of the app)
// runs on every screen and state that matters, in light and in dark, and the spec fails on any
// serious or critical violation. A dark screenshot of each lands in e2e/artifacts/a11y-<name>-dark.png.
// In light every rule axe runs by default; in dark the colour rules (a theme changes colours and
// nothing else, and the contrast rule is most of axe's time on a page).
//
// Appearance: Light is chosen once in Settings as a person would; for each state the spec then
// switches the page to dark and back the way Candor applies a choice (ui/src/lib/theme.ts
// applyAppearance: `data-theme` on <html> and a `candor-theme` event, on which the canvases
// redraw), so both themes are checked on exactly the same state (a take recording, a push-back
// on screen) without leaving it. Settings' own Dark choice is checked through the UI as well.
// The desktop asks for less motion (GTK's animations off, which WebKitGTK reports as
// prefers-reduced-motion): the recording dot stops pulsing.
import assert from 'node:assert/strict';
import { COLOUR_RULES, axeViolations, blocking, describeFindings, type Finding } from '../a11y.js';
import { byTestId, press, recordingMotion, screenshot, waitStep, waitWizard } from '../helpers.js';

type Theme = 'light' | 'dark';

/** Applies a theme to the page as applyAppearance does, and waits for the next frames. */
async function setTheme(theme: Theme): Promise<void> {
  await browser.executeAsync((t: string, done: () => void) => {
    const root = document.documentElement;
    root.setAttribute('data-theme', t);
    root.dispatchEvent(new CustomEvent('candor-theme', { bubbles: false }));
    requestAnimationFrame(() => requestAnimationFrame(() => done()));
  }, theme);
}

const found: Finding[] = [];

/** Runs axe (`rules`, or all it runs by default) and keeps its serious and critical violations. */
async function audit(where: string, rules?: string[]): Promise<void> {
  const violations = blocking(await axeViolations(rules));
  if (violations.length) found.push({ where, violations });
}

/**
 * axe on what the window shows: every rule in light, then in dark the rules a theme can change
 * (it sets colours only, so a label or a role found in light is the same in dark); a dark screenshot.
 */
async function check(name: string): Promise<void> {
  const t0 = Date.now();
  await audit(`${name} (light)`);
  await setTheme('dark');
  await audit(`${name} (dark)`, COLOUR_RULES);
  await screenshot(`a11y-${name}-dark`);
  await setTheme('light');
  console.log(`[e2e] a11y ${name}: ${Date.now() - t0} ms`);
}

/** Fails the test with every violation found since the last call. */
function assertClean(): void {
  const report = describeFindings(found.splice(0));
  assert.ok(report === '', `axe found serious or critical violations:\n${report}`);
}

async function go(nav: string, ready: string): Promise<void> {
  await $(byTestId(`nav-${nav}`)).click();
  await $(byTestId(ready)).waitForDisplayed({ timeout: 15_000 });
}

/** Clicks an appearance choice in Settings (scrolled to the middle: the sticky header would take the click). */
async function appearance(choice: string): Promise<void> {
  await browser.execute((sel: string) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }), byTestId(`appearance-${choice}`));
  await $(byTestId(`appearance-${choice}`)).click();
}

describe('a11y', () => {
  afterEach(() => {
    found.length = 0;
  });

  it('Home and the shortcuts sheet', async () => {
    await go('settings', 'settings');
    await appearance('light');
    await go('home', 'home');
    await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 30_000 });
    await check('home');
    await press('?');
    await $(byTestId('shortcuts')).waitForDisplayed({ timeout: 5_000 });
    await check('shortcuts');
    await press('Escape');
    await $(byTestId('shortcuts')).waitForExist({ reverse: true, timeout: 5_000 });
    assertClean();
  });

  it('Practice: a take recording, then the push-back', async () => {
    await $(byTestId('practice-suggested')).click();
    await waitStep('ready');
    await press(' ');
    await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
    // This spec's desktop asks for less motion (e2e-motion: reduced): the recording dot is still.
    expect(await recordingMotion()).toEqual({ reduce: true, pulsing: false });
    await check('practice-recording');
    await press(' ');
    await waitStep('decide');
    await press('Enter');
    await waitStep('pushback');
    await $(byTestId('pushback-text')).waitForDisplayed({ timeout: 10_000 });
    await check('pushback');
    await press('e');
    await waitStep('done');
    assertClean();
  });

  // The rating's steps: the criteria (scored 3 from the keys), then feelings, red flags, the
  // commitment and save, in the order the wizard's bar lists them.
  let steps: string[] = [];
  const CRITERIA = ['complexity', 'gaps', 'second_order', 'honesty', 'feeling'];

  it('Review: the replay and each criterion step', async () => {
    await press('r');
    await waitWizard('complexity');
    await $(byTestId('review-play')).click();
    await check('review-replay');
    steps = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="wizard"] li[data-step]')).map((li) => li.getAttribute('data-step') ?? ''),
    );
    for (const step of steps.filter((s) => CRITERIA.includes(s))) {
      await waitWizard(step);
      await press('3');
      await check(`review-${step}`);
      await press('Enter');
    }
    assertClean();
  });

  it('Review: feelings, red flags, the commitment, save, and after saving', async () => {
    for (const step of steps.filter((s) => !CRITERIA.includes(s))) {
      await waitWizard(step);
      await check(`review-${step}`);
      if (step !== 'save') await press('Enter');
    }
    await $(byTestId('save-rating')).click();
    await $(byTestId('after-save')).waitForDisplayed({ timeout: 10_000 });
    await check('review-saved');
    assertClean();
  });

  it('Progress with its charts, and History', async () => {
    await go('progress', 'progress');
    await $(byTestId('criteria-chart')).waitForDisplayed({ timeout: 15_000 });
    await check('progress');
    await $(byTestId('tab-history')).click();
    await $(byTestId('history-question')).waitForDisplayed({ timeout: 15_000 });
    await check('history');
    assertClean();
  });

  it('the Library with the form open, Settings (Dark chosen there too) and Your data', async () => {
    await go('library', 'library');
    await $(byTestId('library-row')).waitForDisplayed({ timeout: 15_000 });
    await $(byTestId('add-question')).click();
    await $(byTestId('question-form')).waitForDisplayed({ timeout: 10_000 });
    await check('library-form');
    await go('settings', 'settings');
    await $(byTestId('device-select')).waitForDisplayed({ timeout: 15_000 });
    await check('settings');
    await appearance('dark');
    expect(await browser.execute(() => document.documentElement.getAttribute('data-theme'))).toBe('dark');
    await audit('settings (dark, chosen in Settings)', COLOUR_RULES);
    await appearance('light');
    await go('data', 'data-screen');
    await $(byTestId('recordings')).waitForDisplayed({ timeout: 15_000 });
    await check('data');
    assertClean();
  });
});

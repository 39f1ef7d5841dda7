// e2e-audio: pulse
// Delivery metrics in review: a recorded take shows its measured length, speaking time, pauses
// and time to first word, its waveform with the pauses shaded, and it replays with seek and speed.
import { byTestId, press, recordAnswer, screenshot, waitStep } from '../helpers.js';

describe('metrics', () => {
  it('records an answer of about 6 s and skips the push-back', async () => {
    await recordAnswer(6);
  });

  it('opens the answer in Review with its metrics', async () => {
    await $(byTestId('nav-review')).click();
    const item = await $(byTestId('queue-item'));
    await item.waitForDisplayed({ timeout: 15_000 });
    await item.$('button').click();
    await $(byTestId('metrics')).waitForDisplayed({ timeout: 15_000 });
    const text = async (id: string) => (await $(byTestId(id)).getText()).trim();
    const duration = await text('metric-duration');
    const speaking = await text('metric-speaking');
    const pauses = await text('metric-pauses');
    const firstWord = await text('metric-first-word');
    console.log(`[e2e] metrics: length ${duration}, speaking ${speaking}, pauses ${pauses}, first word ${firstWord}`);
    const secs = Number.parseFloat(duration);
    expect(secs).toBeGreaterThan(4.5);
    expect(secs).toBeLessThan(8);
    expect(Number.parseFloat(speaking)).toBeGreaterThan(1);
    expect(Number.parseFloat(speaking)).toBeLessThanOrEqual(secs);
    expect(firstWord).toMatch(/s$/);
    expect(pauses).toMatch(/^\d+ · [\d.]+ a minute$/);
    // The measurement is explained.
    await $(byTestId('how-measured')).click();
    expect(await $(byTestId('how-measured')).getText()).toContain('noise floor');
  });

  it('draws the waveform with the pauses shaded', async () => {
    const wave = await $(byTestId('waveform'));
    await wave.waitForDisplayed({ timeout: 10_000 });
    const pauses = Number(await wave.getAttribute('data-pauses'));
    const counted = Number.parseInt((await $(byTestId('metric-pauses')).getText()).trim(), 10);
    expect(pauses).toBe(counted);
    // wavesurfer renders into a shadow root: count the drawn canvases and shaded regions there.
    const drawn = await browser.execute((sel: string) => {
      const host = document.querySelector(sel)?.firstElementChild as HTMLElement | null;
      const root = host?.shadowRoot;
      if (!root) return { canvases: 0, regions: 0 };
      return {
        canvases: root.querySelectorAll('canvas').length,
        regions: root.querySelectorAll('[part~="region"]').length,
      };
    }, byTestId('waveform'));
    console.log(`[e2e] waveform: ${JSON.stringify(drawn)}, pauses ${pauses}`);
    expect(drawn.canvases).toBeGreaterThan(0);
    expect(drawn.regions).toBe(pauses);
    await screenshot('metrics-review');
    // For a screen reader: a slider named for what it shows, its position in words; End and Home
    // move the playhead while it has the focus.
    expect(await wave.getAttribute('role')).toBe('slider');
    expect(await wave.getAttribute('aria-label')).toBe('Waveform of the answer: position');
    expect(await wave.getAttribute('aria-valuetext')).toMatch(/^0 seconds of [4-8] seconds(; \d+ pauses?.*)?$/);
    await browser.execute((sel: string) => (document.querySelector(sel) as HTMLElement).focus(), byTestId('waveform'));
    await press('End');
    await browser.waitUntil(async () => /^([4-8]) seconds of \1 seconds/.test((await wave.getAttribute('aria-valuetext')) ?? ''), {
      timeout: 5_000,
      timeoutMsg: 'End on the waveform did not move the playhead to the end',
    });
    await press('Home');
    await browser.waitUntil(async () => ((await wave.getAttribute('aria-valuetext')) ?? '').startsWith('0 seconds of'), {
      timeout: 5_000,
      timeoutMsg: 'Home on the waveform did not move the playhead to the start',
    });
  });

  it('replays, seeks with the arrow keys and changes speed', async () => {
    const state = () =>
      browser.execute((sel: string) => {
        const a = document.querySelector(sel) as HTMLAudioElement;
        return { t: a.currentTime, paused: a.paused, rate: a.playbackRate };
      }, byTestId('review-player'));
    await $(byTestId('review-play')).click();
    await browser.waitUntil(async () => (await state()).t > 0.3, { timeout: 10_000, timeoutMsg: 'replay did not advance' });
    // Plain arrows move through the rating steps; Shift+arrows seek.
    await browser.keys(['Shift', 'ArrowRight']);
    await browser.waitUntil(async () => (await state()).t > 4.5, { timeout: 5_000, timeoutMsg: 'Shift+ArrowRight did not seek 5 s' });
    await $(byTestId('review-speed')).click();
    expect((await state()).rate).toBe(1.25);
    await press(' ');
    await browser.waitUntil(async () => (await state()).paused, { timeout: 5_000, timeoutMsg: 'Space did not pause' });
  });

  it('shows time to first word and long pauses per minute by week in Progress', async () => {
    await $(byTestId('nav-progress')).click();
    const row = await $(byTestId('delivery-week'));
    await row.waitForDisplayed({ timeout: 15_000 });
    const cells = await browser.execute(
      (sel: string) => [...document.querySelectorAll(`${sel} th, ${sel} td`)].map((c) => c.textContent?.trim() ?? ''),
      byTestId('delivery-week'),
    );
    console.log(`[e2e] progress week: ${JSON.stringify(cells)}`);
    // The week in the reader's own date format (not ISO), with its year.
    expect(cells[0]).not.toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(cells[0]).toMatch(/\b\d{4}$/);
    expect(cells[1]).toBe('1');
    expect(cells[2]).toMatch(/^\d+\.\d s$/);
    expect(cells[3]).toMatch(/^\d+\.\d\d$/);
    await screenshot('metrics-progress');
  });

  it('lets single-key shortcuts be turned off, for screen-reader users', async () => {
    await $(byTestId('nav-settings')).click();
    const box = await $(byTestId('setting-single-keys'));
    await box.scrollIntoView();
    await box.click();
    expect(await box.isSelected()).toBe(false);
    await $(byTestId('nav-home')).click();
    const start = await $(byTestId('start-round'));
    await start.waitForDisplayed({ timeout: 15_000 });
    // The M beside "Start a mock round" is gone, and M and ? do nothing now; F1 still opens the list.
    expect(await start.$('kbd').isDisplayed()).toBe(false);
    await press('m');
    await press('?');
    await browser.pause(500);
    expect(await $(byTestId('round-briefing')).isExisting()).toBe(false);
    expect(await $(byTestId('shortcuts')).isExisting()).toBe(false);
    await press('F1');
    await $(byTestId('single-keys-off')).waitForDisplayed({ timeout: 5_000 });
    await press('Escape');
    // On again, M opens the round's briefing.
    await $(byTestId('nav-settings')).click();
    const again = await $(byTestId('setting-single-keys'));
    // Scrolled to first, as above: unscrolled, the click can land on what covers the box.
    await again.scrollIntoView();
    await again.click();
    expect(await again.isSelected()).toBe(true);
    await $(byTestId('nav-home')).click();
    await $(byTestId('start-round')).waitForDisplayed({ timeout: 15_000 });
    await press('m');
    await $(byTestId('round-briefing')).waitForDisplayed({ timeout: 5_000 });
    await press('Escape');
  });
});

// e2e-audio: pulse
// e2e-lane: alone
// Leaving is always safe. During a take, going elsewhere (the navigation bar, or Ctrl+2) asks
// first: "Keep recording" goes on recording, "Discard" leaves no take, "Stop and keep" keeps it.
// During a mock round, leaving stops the round clock; Home offers "Resume round", which brings the
// round back at the same question with the clock where it was. No error banner ever appears.
import { Key } from 'webdriverio';
import { byTestId, dbQuery, openPractice, press, screenshot, waitStep } from '../helpers.js';

const answers = (): number => dbQuery<{ n: number }>('SELECT count(*) AS n FROM takes WHERE parent_id IS NULL')[0]!.n;

async function noErrorBanner(): Promise<void> {
  expect(await $(byTestId('error-message')).isExisting()).toBe(false);
  expect(await $(byTestId('screen-failed')).isExisting()).toBe(false);
}

async function startTake(): Promise<void> {
  await press(' ');
  await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
  await browser.pause(1500);
}

async function dialog(): Promise<void> {
  await $(byTestId('leave-dialog')).waitForDisplayed({ timeout: 5_000, timeoutMsg: 'leaving did not ask first' });
}

/** "12:34 left" as seconds. */
function seconds(clock: string): number {
  const m = /(\d+):(\d\d)/.exec(clock);
  if (!m) throw new Error(`not a clock: ${clock}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

describe('leave-recording', () => {
  it('the navigation bar asks during a take; Keep recording goes on recording', async () => {
    await openPractice();
    await waitStep('ready');
    await startTake();
    await $(byTestId('nav-review')).click();
    await dialog();
    await screenshot('leave-recording-dialog');
    await $(byTestId('leave-dialog-stay')).click();
    await $(byTestId('leave-dialog')).waitForExist({ reverse: true, timeout: 5_000 });
    expect(await $(byTestId('practice')).getAttribute('data-step')).toBe('answering');
    expect(await $(byTestId('recording-indicator')).isDisplayed()).toBe(true);
    await noErrorBanner();
  });

  it('Discard stops the take and leaves none behind', async () => {
    await $(byTestId('nav-progress')).click();
    await dialog();
    await $(byTestId('leave-dialog-discard')).click();
    await $(byTestId('progress')).waitForDisplayed({ timeout: 10_000 });
    await browser.waitUntil(() => answers() === 0, { timeout: 10_000, timeoutMsg: 'the discarded take is still stored' });
    await noErrorBanner();
  });

  it('Ctrl+2 asks too; Stop and keep keeps the take, which waits for review', async () => {
    await $(byTestId('nav-home')).click();
    await openPractice();
    await waitStep('ready');
    await startTake();
    await browser.keys([Key.Control, '2']);
    await dialog();
    await $(byTestId('leave-dialog-keep')).click();
    await $(byTestId('review')).waitForDisplayed({ timeout: 10_000 });
    await browser.waitUntil(() => answers() === 1, { timeout: 10_000, timeoutMsg: 'the kept take was not stored' });
    expect(dbQuery<{ status: string }>('SELECT status FROM takes WHERE parent_id IS NULL')[0]!.status).toBe('complete');
    await $(byTestId('queue-item')).waitForDisplayed({ timeout: 10_000 });
    expect(await $$(byTestId('queue-item')).length).toBe(1);
    await noErrorBanner();
  });

  let clockWhenLeft = 0;

  it('leaving a round mid-take asks, keeps the take and stops the round clock', async () => {
    await $(byTestId('nav-home')).click();
    await $(byTestId('home')).waitForDisplayed({ timeout: 10_000 });
    await press('m');
    await $(byTestId('round-briefing')).waitForDisplayed({ timeout: 10_000 });
    await press('Enter');
    await $(byTestId('round-progress')).waitForDisplayed({ timeout: 15_000 });
    await waitStep('ready');
    await startTake();
    clockWhenLeft = seconds(await $(byTestId('round-clock')).getText());
    await $(byTestId('nav-home')).click();
    await dialog();
    expect(await $(byTestId('leave-dialog')).getText()).toContain('Resume round');
    await $(byTestId('leave-dialog-keep')).click();
    const banner = await $(byTestId('round-in-progress'));
    await banner.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'Home did not offer to resume the round' });
    await browser.waitUntil(() => answers() === 2, { timeout: 10_000, timeoutMsg: 'the round take was not kept' });
    await screenshot('leave-recording-resume-banner');
    // Away from the round for a while: its clock does not run.
    await browser.pause(4000);
    await noErrorBanner();
  });

  it('Resume round brings the round back at the same question, with the clock where it was', async () => {
    await $(byTestId('resume-round')).click();
    const clock = await $(byTestId('round-clock'));
    await clock.waitForDisplayed({ timeout: 10_000 });
    const now = seconds(await clock.getText());
    console.log(`[e2e] round clock when left ${clockWhenLeft} s, on resuming ${now} s`);
    // The few seconds the question was open count; the 4 s away do not.
    expect(now).toBeLessThanOrEqual(clockWhenLeft);
    expect(clockWhenLeft - now).toBeLessThan(3);
    expect(await $(byTestId('round-progress')).getText()).toBe('Question 1 of 5');
    // The kept answer waits for Keep or Re-take, as it did.
    await waitStep('decide');
    await noErrorBanner();
  });

  it('leaving a round between takes asks too, and ending it early asks and sums it up', async () => {
    await $(byTestId('nav-library')).click();
    await dialog();
    await $(byTestId('leave-dialog-stay')).click();
    await $(byTestId('round')).waitForDisplayed({ timeout: 5_000 });
    await $(byTestId('end-round')).click();
    await $(byTestId('confirm-end-round')).waitForDisplayed({ timeout: 5_000 });
    await $(byTestId('confirm-end-round-end')).click();
    const summary = await $(byTestId('round-summary'));
    await summary.waitForDisplayed({ timeout: 10_000 });
    await browser.waitUntil(async () => (await summary.getAttribute('data-answers')) === '1', {
      timeout: 10_000,
      timeoutMsg: 'the summary did not count the one answer of the round',
    });
    expect(dbQuery<{ ended_at: string | null }>('SELECT ended_at FROM rounds')[0]!.ended_at).not.toBeNull();
    await screenshot('leave-recording-round-summary');
    await $(byTestId('round-home')).click();
    await $(byTestId('home')).waitForDisplayed({ timeout: 10_000 });
    expect(await $(byTestId('round-in-progress')).isExisting()).toBe(false);
    await noErrorBanner();
  });
});

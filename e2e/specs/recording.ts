// e2e-audio: pulse
// The recording screen around capture: the device picker lists the fake microphone, the mic check
// shows a moving level before recording, and a take shows the device and a live level.
import { byTestId, screenshot, openPractice } from '../helpers.js';

async function peaksOver(selector: string, ms: number): Promise<number[]> {
  const seen: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await browser.execute((sel: string) => {
      const el = document.querySelector(sel);
      return el ? Number(el.getAttribute('data-peak')) : -1;
    }, selector);
    seen.push(v);
    await browser.pause(100);
  }
  return seen;
}

describe('recording', () => {
  it('lists the fake microphone in the device picker', async () => {
    await openPractice();
    const select = await $(byTestId('device-select'));
    await select.waitForDisplayed({ timeout: 30_000 });
    await browser.waitUntil(async () => (await select.$$('option').length) > 1, {
      timeout: 20_000,
      timeoutMsg: 'the device picker never listed any device besides the system default',
    });
    const values = await browser.execute(
      (sel: string) => [...document.querySelectorAll(`${sel} option`)].map((o) => (o as HTMLOptionElement).value),
      byTestId('device-select'),
    );
    console.log(`[e2e] devices: ${JSON.stringify(values)}`);
    expect(values[0]).toBe('');
    expect(values).toContain('alsa:default');
    // Refreshing lists them again.
    await $(byTestId('device-refresh')).click();
    await browser.waitUntil(async () => (await $(byTestId('device-refresh')).getText()).trim() === 'Refresh', {
      timeout: 20_000,
    });
    expect((await select.$$('option')).length).toBe(values.length);
  });

  it('choosing a device is kept in settings', async () => {
    // Set the value as the picker would (GTK's native popup is outside the web view).
    await browser.execute((sel: string) => {
      const el = document.querySelector(sel) as HTMLSelectElement;
      el.value = 'alsa:default';
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, byTestId('device-select'));
    await browser.pause(300);
    await browser.refresh();
    await openPractice();
    const select = await $(byTestId('device-select'));
    await browser.waitUntil(async () => (await select.getValue()) === 'alsa:default', {
      timeout: 20_000,
      timeoutMsg: 'the chosen device was not restored after reloading the window',
    });
  });

  it('the mic check shows a moving level before recording', async () => {
    await $(byTestId('mic-check-button')).click();
    const meter = `${byTestId('mic-check')} ${byTestId('level-meter')}`;
    await $(meter).waitForDisplayed({ timeout: 15_000 });
    const peaks = await peaksOver(meter, 3000);
    console.log(`[e2e] mic-check peaks: ${peaks.join(' ')}`);
    expect(Math.max(...peaks)).toBeGreaterThan(50);
    expect(new Set(peaks).size).toBeGreaterThan(3);
    await screenshot('recording-mic-check');
    expect(await $(byTestId('silence-warning')).isExisting()).toBe(false);
    await $(byTestId('mic-check-button')).click();
    await $(meter).waitForDisplayed({ reverse: true, timeout: 10_000 });
  });

  it('while recording shows the device and a live level', async () => {
    await browser.keys(' ');
    const indicator = await $(byTestId('recording-indicator'));
    await indicator.waitForDisplayed({ timeout: 15_000 });
    // (textContent: WebKitWebDriver reports no text for an ellipsised, overflow-hidden span)
    const deviceName = () =>
      browser.execute((sel: string) => document.querySelector(sel)?.textContent?.trim() ?? '', byTestId('recording-device'));
    await browser.waitUntil(async () => (await deviceName()).length > 0, {
      timeout: 5_000,
      timeoutMsg: 'the recording panel does not name the input device',
    });
    console.log(`[e2e] recording from: ${await deviceName()}`);
    const peaks = await peaksOver(`section[aria-label="Recorder"] ${byTestId('level-meter')}`, 2500);
    console.log(`[e2e] recording peaks: ${peaks.join(' ')}`);
    expect(Math.max(...peaks)).toBeGreaterThan(50);
    await screenshot('recording-live');
    await browser.keys(' ');
    await indicator.waitForDisplayed({ reverse: true, timeout: 15_000 });
    await browser.waitUntil(async () => (await $$(byTestId('take-item')).length) === 1, { timeout: 15_000 });
  });
});

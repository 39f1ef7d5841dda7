// e2e-audio: pulse
// A whole question from the keyboard only: answer, one push-back, keep. The database then holds
// the answer and its linked follow-up, and both WAVs hold sound. First, "?" lists the shortcuts,
// and no key reaches the screen under that list.
import path from 'node:path';
import { analyze, byTestId, dataDir, dbQuery, press, recordingMotion, screenshot } from '../helpers.js';

interface Row {
  id: string;
  question_id: string;
  parent_id: string | null;
  kind: string;
  pushback: string | null;
  status: string;
}

async function waitStep(step: string, timeout = 15_000): Promise<void> {
  await browser.waitUntil(
    async () => (await $(byTestId('practice')).getAttribute('data-step')) === step,
    { timeout, timeoutMsg: `the practice screen never reached step "${step}"` },
  );
}

describe('practice', () => {
  it('lists the keyboard shortcuts with ?; no key reaches the screen under the list; Esc closes it', async () => {
    await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 30_000 });
    await press('?');
    const sheet = await $(byTestId('shortcuts'));
    await sheet.waitForDisplayed({ timeout: 5_000 });
    const groups = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="shortcut-group"]')].map((g) => ({
        title: g.getAttribute('data-group'),
        keys: [...g.querySelectorAll('kbd')].map((k) => k.textContent),
      })),
    );
    expect(groups.map((g) => g.title)).toEqual(expect.arrayContaining(['Home', 'Practice', 'Review: replay', 'Review: rating']));
    expect(groups.find((g) => g.title === 'Practice')!.keys).toContain('Space');
    await screenshot('practice-shortcuts');
    // Space on Home would open the suggested question: under the list it does nothing.
    await press(' ');
    await browser.pause(500);
    expect(await $(byTestId('practice')).isExisting()).toBe(false);
    await press('Escape');
    await sheet.waitForDisplayed({ reverse: true, timeout: 5_000 });
    // The button in the header opens it too, and "?" closes it again.
    await $(byTestId('open-shortcuts')).click();
    await sheet.waitForDisplayed({ timeout: 5_000 });
    await press('?');
    await sheet.waitForDisplayed({ reverse: true, timeout: 5_000 });
    expect(await $(byTestId('home')).isDisplayed()).toBe(true);
    // Closing gives the focus back to the header button, which would own Enter; let it go.
    expect(await browser.execute(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-shortcuts');
    await browser.execute(() => (document.activeElement as HTMLElement | null)?.blur());
  });

  it('opens the suggested question with Enter', async () => {
    await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 30_000 });
    await press('Enter');
    await waitStep('ready');
    await screenshot('practice-ready');
  });

  it('records the answer with Space and keeps it with Enter', async () => {
    await press(' ');
    await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
    // The recording dot pulses (the a11y spec runs with less motion asked for, where it is still).
    expect(await recordingMotion()).toEqual({ reduce: false, pulsing: true });
    await browser.pause(3000);
    await press(' ');
    await waitStep('decide');
    await press('Enter');
    await waitStep('pushback');
    const text = (await $(byTestId('pushback-text')).getText()).trim();
    console.log(`[e2e] push-back: ${text}`);
    expect(text.length).toBeGreaterThan(5);
    await screenshot('practice-pushback');
  });

  it('S moves on to another push-back instead of ending them', async () => {
    const first = (await $(byTestId('pushback-text')).getText()).trim();
    await press('s');
    await browser.waitUntil(async () => (await $(byTestId('pushback-text')).getText()).trim() !== first, {
      timeout: 5_000,
      timeoutMsg: 'S did not bring another push-back',
    });
    expect(await $(byTestId('practice')).getAttribute('data-step')).toBe('pushback');
    expect(dbQuery('SELECT id FROM takes')).toHaveLength(1);
  });

  it('records the reply to the push-back and finishes', async () => {
    await press(' ');
    await waitStep('replying');
    await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
    await browser.pause(2500);
    await press(' ');
    await waitStep('replied');
    await press('Enter');
    await waitStep('done');
    await screenshot('practice-done');
    await press('Enter');
    await $(byTestId('home')).waitForDisplayed({ timeout: 10_000 });
    expect(await $(byTestId('review-count')).getText()).toBe('1');
  });

  it('stored the answer and its linked follow-up, both with sound', async () => {
    const rows = dbQuery<Row>('SELECT id, question_id, parent_id, kind, pushback, status FROM takes ORDER BY started_at');
    console.log(`[e2e] takes: ${JSON.stringify(rows)}`);
    expect(rows.length).toBe(2);
    const [answer, reply] = rows as [Row, Row];
    expect(answer.kind).toBe('answer');
    expect(answer.parent_id).toBeNull();
    expect(reply.kind).toBe('followup');
    expect(reply.parent_id).toBe(answer.id);
    expect(reply.question_id).toBe(answer.question_id);
    expect((reply.pushback ?? '').length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(r.status).toBe('complete');
      const a = analyze(path.join(dataDir(), 'recordings', `${r.id}.wav`));
      console.log(`[e2e] ${r.kind}: ${JSON.stringify({ duration_s: a.duration_s, rms: a.rms })}`);
      expect(a.rms).toBeGreaterThan(0.01);
      expect(a.duration_s).toBeGreaterThan(1.5);
    }
  });
});

// e2e-audio: pulse
// A second opinion, end to end: an answer recorded and reviewed in the real window, rated again
// with the examples in mind, sent out as one page (saved to Downloads), opened in a real browser
// (Debian's Chromium through chromium-driver, headless, every address sent to a proxy that is not
// there) where its audio plays, nothing is requested but the page and its own audio, and a rater
// scores it and saves an answer file; that file is imported back into Candor, shown beside the
// user's review with the disagreement first, and counted in Progress's calibration.
import fs from 'node:fs';
import path from 'node:path';
import { artifacts, byTestId, dbQuery, rateAndSave, recordAnswer, screenshot } from '../helpers.js';
import { openAsRater } from '../rater.js';
import { appEnv } from '../voice.js';

/** The app's Downloads folder (the run's HOME has no user-dirs file). */
const downloads = path.join(appEnv.HOME ?? '', 'Downloads');
let pageFile = '';

describe('second-opinion', () => {
  it('records an answer and reviews it (2 on every criterion)', async () => {
    await recordAnswer(3);
    await $(byTestId('nav-review')).click();
    const item = await $(byTestId('queue-item'));
    await item.waitForDisplayed({ timeout: 15_000 });
    await item.$('button').click();
    await rateAndSave([2, 2, 2, 2, 2]);
  });

  it('rates it again with the examples in mind, kept apart from the review', async () => {
    await $(byTestId('rate-anchored')).click();
    await $(byTestId('anchored-gaps-3')).click();
    await $(byTestId('save-anchored')).click();
    await $(byTestId('anchored-saved')).waitForDisplayed({ timeout: 10_000 });
    expect(dbQuery<{ criterion: string; score: number }>('SELECT criterion, score FROM anchored_scores')).toEqual([{ criterion: 'gaps', score: 3 }]);
  });

  it('makes one page for a second opinion in Downloads, with no address in it', async () => {
    const ask = await $(byTestId('ask-opinion'));
    await ask.scrollIntoView({ block: 'center' });
    await ask.click();
    await $(byTestId('confirm-ask-opinion')).click();
    const saved = await $(byTestId('opinion-page-saved'));
    await saved.waitForDisplayed({ timeout: 20_000 });
    const name = /candor-second-opinion-[\w ()-]+\.html/.exec(await saved.getText())?.[0] ?? '';
    pageFile = path.join(downloads, name);
    expect(fs.existsSync(pageFile)).toBe(true);
    const html = fs.readFileSync(pageFile, 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    expect(/https?:/i.test(html)).toBe(false);
    await screenshot('second-opinion-asked');
  });

  it('plays, is rated and saved in Chromium, and asks for nothing but itself', async () => {
    const rater = await openAsRater(pageFile, downloads);
    try {
      const page = rater.page;
      await (await page.$('[data-testid="take-0"]')).waitForDisplayed({ timeout: 15_000 });
      const played = await page.executeAsync((done: (t: number) => void) => {
        const a = document.querySelector<HTMLAudioElement>('[data-testid="part-audio"]');
        if (!a) return done(-1);
        const go = () => a.play().then(() => setTimeout(() => done(a.currentTime), 700), () => done(-2));
        if (a.readyState >= 2) go();
        else a.addEventListener('canplay', go, { once: true });
      });
      expect(played).toBeGreaterThan(0.2);
      await (await page.$('[data-testid="rater-name"]')).setValue('Sam Coach');
      // A 5 where the review said 2: a disagreement; the rest as the review had them.
      const keys = await page.execute(() =>
        Array.from(document.querySelectorAll('[data-testid^="criterion-"]')).map((c) => c.getAttribute('data-testid')!.slice('criterion-'.length)),
      );
      expect(keys).toContain('gaps');
      for (const key of keys) {
        await page.execute((id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.click(), `score-${key}-${key === 'gaps' ? 5 : 2}`);
      }
      await page.execute(() => document.querySelector<HTMLElement>('[data-testid="save-opinion"]')?.click());
      await (await page.$('[data-testid="saved-message"]')).waitForDisplayed({ timeout: 10_000 });
      await page.waitUntil(() => fs.readdirSync(downloads).some((f) => /^candor-opinion-sam-coach-.*\.json$/.test(f)), {
        timeout: 10_000,
        timeoutMsg: 'the answer file never reached Downloads',
      });
      await page.saveScreenshot(path.join(artifacts, 'second-opinion-page.png'));
      // The page, its own audio (blob:), inline images (data: — the browser's media controls) and
      // the browser's own start page (chrome://, before the page was opened): nothing else.
      const requests = await rater.requests();
      expect(requests).toContain(`file://${pageFile}`);
      expect(requests.filter((u) => !/^(file:|blob:|data:|chrome:)/.test(u))).toEqual([]);
      expect(requests.some((u) => u.startsWith('blob:'))).toBe(true);
      expect(await rater.errors()).toEqual([]);
    } finally {
      await rater.close();
    }
  });

  it('imports the answer file and shows it beside the review, the disagreement first', async () => {
    const open = await $(byTestId('import-opinion'));
    await open.scrollIntoView({ block: 'center' });
    await open.click();
    await $(byTestId('opinion-file')).waitForDisplayed({ timeout: 10_000 });
    expect(await $(byTestId('opinion-file')).getText()).toMatch(/^candor-opinion-sam-coach-/);
    await $(byTestId('import-opinion-named')).click();
    await $(byTestId('opinion-imported')).waitForDisplayed({ timeout: 10_000 });
    const rows = await $(byTestId('opinions'));
    await rows.waitForDisplayed({ timeout: 10_000 });
    const order = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid^="opinion-row-"]')).map((r) => [r.getAttribute('data-testid'), r.getAttribute('data-disagree')]),
    );
    expect(order[0]).toEqual(['opinion-row-gaps', 'true']);
    expect(order.slice(1).every(([, d]) => d === 'false')).toBe(true);
    expect(await $(byTestId('opinions')).getText()).toContain('Sam Coach');
    await rows.scrollIntoView({ block: 'center' });
    await screenshot('second-opinion-comparison');
    expect(dbQuery<{ rater: string }>('SELECT rater FROM opinions')).toEqual([{ rater: 'Sam Coach' }]);
    // Neither the re-rating nor the outside one graded the question: one saved review, one card.
    expect(dbQuery<{ n: number }>("SELECT count(*) AS n FROM ratings WHERE status = 'saved'")[0]!.n).toBe(1);
  });

  it('counts it in the calibration on Progress', async () => {
    await $(byTestId('nav-progress')).click();
    const cal = await $(byTestId('calibration-criteria'));
    await cal.waitForDisplayed({ timeout: 15_000 });
    await cal.scrollIntoView({ block: 'center' });
    await $(byTestId('calibration-criteria-chart')).waitForDisplayed({ timeout: 10_000 });
    await $(byTestId('calibration-criteria-chart-toggle')).click();
    // The numbers as the database has them: gaps reviewed 2, anchored 3 (+1), outside 5 (+3).
    const rows = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="calibration-criteria-chart-row"]')).map((r) => r.textContent ?? ''),
    );
    const gaps = rows.find((r) => /gaps/i.test(r)) ?? '';
    expect(gaps).toMatch(/\+1(\.0)?/);
    expect(gaps).toMatch(/\+3(\.0)?/);
    await screenshot('second-opinion-calibration');
  });
});

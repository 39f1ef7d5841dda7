// e2e-audio: none
// e2e-seed: gen-history --weeks 4 --takes 120 --seed 5 --questions 3
// Long lists a page at a time, on a seeded history of 120 answers to 3 questions (no audio
// needed): History lists the questions most recently practised first with five answers each and
// "Show more" adding 20 at a time, newest first; the reviewed answers and the recordings come 50 at
// a time, their counts are the database's, "Show more" brings every row, and each reviewed
// answer names its question.
import { byTestId, dbQuery, screenshot } from '../helpers.js';

const count = (sql: string): number => dbQuery<{ n: number }>(sql)[0]!.n;

/** Rows matching `rowSel` inside `scope` (a CSS selector, '' for the whole page). */
async function rows(scope: string, rowSel: string): Promise<number> {
  return browser.execute((s: string) => document.querySelectorAll(s).length, `${scope} ${rowSel}`.trim());
}

/**
 * Clicks "Show more" (`moreSel`) until it is gone, checking each click adds exactly the next page
 * (`page` rows, or what is left of `total`); ends with every row shown.
 */
async function showAll(scope: string, rowSel: string, moreSel: string, first: number, page: number, total: number): Promise<void> {
  await browser.waitUntil(async () => (await rows(scope, rowSel)) === Math.min(first, total), {
    timeout: 15_000,
    timeoutMsg: `expected the first ${first} rows of ${rowSel}`,
  });
  for (let shown = Math.min(first, total); shown < total; ) {
    const next = Math.min(shown + page, total);
    await $(`${scope} ${moreSel}`.trim()).click();
    await browser.waitUntil(async () => (await rows(scope, rowSel)) === next, {
      timeout: 10_000,
      timeoutMsg: `"Show more" did not bring ${rowSel} from ${shown} to ${next}`,
    });
    shown = next;
  }
  expect(await $(`${scope} ${moreSel}`.trim()).isExisting()).toBe(false);
}

describe('long lists', () => {
  it('History: questions latest first, five answers each, then 20 more at a time, newest first', async () => {
    const want = dbQuery<{ question_id: string; n: number }>(
      `SELECT question_id, count(*) AS n FROM takes WHERE parent_id IS NULL AND status != 'recording'
       GROUP BY question_id ORDER BY max(started_at) DESC, question_id`,
    );
    expect(want.length).toBe(3);
    await $(byTestId('nav-progress')).waitForClickable({ timeout: 30_000 });
    await $(byTestId('nav-progress')).click();
    await $(byTestId('tab-history')).click();
    await browser.waitUntil(async () => (await rows('', byTestId('history-question'))) === want.length, {
      timeout: 15_000,
      timeoutMsg: 'the history did not list every question',
    });
    const order = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="history-question"]')].map((e) => e.getAttribute('data-question')),
    );
    expect(order).toEqual(want.map((w) => w.question_id));
    const big = [...want].sort((a, b) => b.n - a.n)[0]!;
    expect(big.n).toBeGreaterThan(25);
    const scope = `[data-question="${big.question_id}"]`;
    expect(await $(`${scope} ${byTestId('history-count')}`).getText()).toContain(`${big.n} answers`);
    await showAll(scope, byTestId('history-take'), byTestId('history-more'), 5, 20, big.n);
    const shown = await browser.execute(
      (s: string) => [...document.querySelectorAll(`${s} [data-testid="history-take"]`)].map((e) => e.getAttribute('data-take')),
      scope,
    );
    const newestFirst = dbQuery<{ id: string }>(
      `SELECT id FROM takes WHERE question_id = '${big.question_id}' AND parent_id IS NULL AND status != 'recording'
       ORDER BY started_at DESC, rowid DESC`,
    ).map((r) => r.id);
    expect(shown).toEqual(newestFirst);
    await screenshot('lists-history');
  });

  it('Review: the reviewed answers 50 at a time, counted as the database has them', async () => {
    const reviewed = count(
      "SELECT count(*) AS n FROM takes WHERE parent_id IS NULL AND id IN (SELECT take_id FROM ratings WHERE status = 'saved' AND kind != 'immediate')",
    );
    const waiting = count(
      `SELECT count(*) AS n FROM takes WHERE parent_id IS NULL AND status != 'recording' AND frames > 0
       AND id NOT IN (SELECT take_id FROM reviews WHERE status = 'done')`,
    );
    expect(reviewed).toBeGreaterThan(100);
    await $(byTestId('nav-review')).click();
    await browser.waitUntil(async () => (await $(byTestId('tab-reviewed')).getText()).includes(`(${reviewed})`), {
      timeout: 15_000,
      timeoutMsg: 'the Reviewed tab does not count every reviewed answer',
    });
    expect(await $(byTestId('tab-queue')).getText()).toContain(`(${waiting})`);
    await $(byTestId('tab-reviewed')).click();
    await showAll('', byTestId('reviewed-item'), byTestId('reviewed-more'), 50, 50, reviewed);
    // Each answer says which question it answered: the seeded history asks three.
    const prompts = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="reviewed-item"] [data-testid="list-prompt"]')].map((e) => e.textContent?.trim() ?? ''),
    );
    expect(prompts.length).toBe(reviewed);
    expect(new Set(prompts).size).toBe(3);
    expect(prompts.every((p) => p.length > 20 && !p.includes('no longer'))).toBe(true);
    await screenshot('lists-reviewed');
  });

  it('Your data: the recordings 50 at a time, the total for all of them', async () => {
    const takes = count('SELECT count(*) AS n FROM takes');
    expect(takes).toBeGreaterThan(100);
    await $(byTestId('nav-data')).click();
    await $(byTestId('recording')).waitForDisplayed({ timeout: 15_000 });
    const total = await $(byTestId('recordings-total')).getText();
    await showAll('', byTestId('recording'), byTestId('recordings-more'), 50, 50, takes);
    expect(await $(byTestId('recordings-total')).getText()).toBe(total);
  });
});

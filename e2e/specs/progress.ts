// e2e-audio: pulse
// e2e-seed: gen-history --weeks 8 --takes 60 --seed 3 --audio
// Progress over weeks on a seeded 8-week history (generated before the app starts, with a short
// real WAV per take): the criterion chart has 8 weekly points per criterion (read from its
// table), the weakest criterion is the one the database says, two takes of one question open side
// by side and one plays, an answer opens in Review, Home shows how many questions are due today
// and how many days in a row were practised,
// and a CSV export from Your data holds every saved rating of the seeded history. (Long lists a
// page at a time: lists.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { byTestId, dataDir, dbQuery, screenshot } from '../helpers.js';

const CRITERIA = ['complexity', 'gaps', 'second_order', 'honesty', 'feeling'];

/** The `started_at` text 91 days ago (the 3-month period, as the app computes it). */
/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function threeMonthsAgo(): string {
  return new Date(Date.now() - 91 * 86_400_000).toISOString();
}

describe('progress', () => {
  it('shows 8 weekly points for each of the five criteria over 3 months', async () => {
    await $(byTestId('nav-progress')).waitForClickable({ timeout: 30_000 });
    await $(byTestId('nav-progress')).click();
    await $(byTestId('period-three_months')).waitForClickable({ timeout: 15_000 });
    await $(byTestId('period-three_months')).click();
    await browser.waitUntil(async () => (await $$(byTestId('criteria-chart-row')).length) === 8, {
      timeout: 15_000,
      timeoutMsg: 'the criterion table never had 8 weeks',
    });
    const weeks = dbQuery<{ n: number }>(
      "SELECT count(DISTINCT date(started_at, 'weekday 0', '-6 days')) AS n FROM takes WHERE parent_id IS NULL",
    )[0]!.n;
    expect(weeks).toBe(8);
    // The numbers are text: open the table and read it.
    await $(byTestId('criteria-chart-toggle')).click();
    const table = await browser.execute((sel: string) => {
      const t = document.querySelector(sel)!;
      const head = [...t.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
      const rows = [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''));
      return { head, rows };
    }, byTestId('criteria-chart-table'));
    expect(table.head.length).toBe(1 + CRITERIA.length);
    expect(table.rows.length).toBe(8);
    for (const row of table.rows) {
      expect(row.length).toBe(CRITERIA.length);
      // The feelings check is scored only on questions that ask how you felt: a week without one
      // has no mean for it.
      row.forEach((cell, i) => {
        if (CRITERIA[i] !== 'feeling' || /\d/.test(cell)) expect(Number(cell)).toBeGreaterThanOrEqual(1);
      });
    }
    // The first week's means match the database's, to one decimal.
    const first = dbQuery<{ criterion: string; mean: number }>(
      `SELECT s.criterion, avg(s.score) AS mean FROM takes t
       JOIN ratings r ON r.take_id = t.id AND r.kind = 'reviewed' AND r.status = 'saved'
       JOIN rating_scores s ON s.rating_id = r.id
       WHERE date(t.started_at, 'weekday 0', '-6 days') = (SELECT min(date(started_at, 'weekday 0', '-6 days')) FROM takes)
       GROUP BY s.criterion`,
    );
    const want = CRITERIA.map((k) => first.find((f) => f.criterion === k)?.mean.toFixed(1));
    table.rows[0]!.forEach((cell, i) => {
      if (want[i] === undefined) expect(cell).not.toMatch(/\d/);
      else expect(cell).toBe(want[i]);
    });
    // The chart itself is drawn on a canvas.
    expect(await $(`${byTestId('criteria-chart')} canvas`).isDisplayed()).toBe(true);
    expect(await $$(byTestId('practice-chart-row')).length).toBe(8);
  });

  it('names the weakest criterion, as the database has it', async () => {
    const weakest = dbQuery<{ criterion: string }>(
      `SELECT s.criterion FROM takes t
       JOIN ratings r ON r.take_id = t.id AND r.kind = 'reviewed' AND r.status = 'saved'
       JOIN rating_scores s ON s.rating_id = r.id
       WHERE t.parent_id IS NULL AND t.started_at >= '${threeMonthsAgo()}'
       GROUP BY s.criterion ORDER BY avg(s.score), s.criterion = 'feeling' DESC LIMIT 1`,
    )[0]!.criterion;
    const name = await $(byTestId('weakest-name'));
    await name.waitForDisplayed({ timeout: 10_000 });
    expect(await name.getAttribute('data-criterion')).toBe(weakest);
    const names: Record<string, string> = { complexity: 'Complexity', gaps: 'Gaps', second_order: 'Second-order', honesty: 'Honesty', feeling: 'Feeling' };
    expect(await name.getText()).toBe(names[weakest]);
    expect((await $$(`${byTestId('weakest-checks')} li`)).length).toBeGreaterThan(0);
    expect((await $$(byTestId('calendar-day')).length)).toBeGreaterThan(50);
    await screenshot('progress-overview');
  });

  it('opens two takes of one question side by side, and one plays', async () => {
    const q = dbQuery<{ question_id: string }>(
      `SELECT question_id FROM takes WHERE parent_id IS NULL GROUP BY question_id HAVING count(*) >= 2
       ORDER BY count(*) DESC, question_id LIMIT 1`,
    )[0]!.question_id;
    await $(byTestId('tab-history')).click();
    const group = await $(`[data-question="${q}"]`);
    await group.waitForDisplayed({ timeout: 15_000 });
    const picks = await group.$$(byTestId('history-pick'));
    expect(picks.length).toBeGreaterThanOrEqual(2);
    await picks[0]!.click();
    await picks[1]!.click();
    await $(byTestId('compare-picked')).waitForEnabled({ timeout: 5_000 });
    await $(byTestId('compare-picked')).click();
    await $(byTestId('side-by-side')).waitForDisplayed({ timeout: 15_000 });
    expect((await $$(`${byTestId('side-deltas')} tbody tr`)).length).toBe(5);
    const play = await $(byTestId('pane-newer-play'));
    await play.waitForClickable({ timeout: 15_000 });
    await $(byTestId('pane-older-play')).waitForClickable({ timeout: 15_000 });
    await play.click();
    await browser.waitUntil(
      async () =>
        browser.execute((sel: string) => (document.querySelector(sel) as HTMLAudioElement | null)?.currentTime ?? 0, byTestId('pane-newer-player')).then((t) => t > 0.5),
      { timeout: 10_000, timeoutMsg: 'the later take did not play (its playhead never moved)' },
    );
    await screenshot('progress-side-by-side');
  });

  it('opens an answer from the history in Review', async () => {
    await $(byTestId('side-close')).click();
    const open = await $(byTestId('history-open'));
    await open.waitForClickable({ timeout: 10_000 });
    await open.click();
    await $(byTestId('review-player')).waitForExist({ timeout: 15_000 });
  });

  it('shows on Home how many questions are due today', async () => {
    await $(byTestId('nav-home')).click();
    const due = await $(byTestId('due-count'));
    await due.waitForDisplayed({ timeout: 15_000 });
    const today = new Date().toISOString().slice(0, 10);
    const want = dbQuery<{ n: number }>(`SELECT count(*) AS n FROM question_cards WHERE due <= '${today}T23:59:59.999Z'`)[0]!.n;
    expect(want).toBeGreaterThan(0);
    expect(Number(await due.getText())).toBe(want);
    expect(await $(byTestId('suggested-reason')).getText()).toContain('due');
  });

  it('shows on Home how many days in a row you have practised, as the database has them', async () => {
    const days = dbQuery<{ day: string }>(
      "SELECT DISTINCT date(started_at) AS day FROM takes WHERE parent_id IS NULL AND status != 'recording' ORDER BY day DESC",
    ).map((r) => r.day);
    const dayBefore = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    let want = 0;
    if (days[0] === today || days[0] === dayBefore(today)) {
      want = 1;
      while (days[want] === dayBefore(days[want - 1]!)) want++;
    }
    // The seeded history ends today with an answer most days.
    expect(want).toBeGreaterThan(0);
    await $(byTestId('nav-home')).click();
    const streak = await $(byTestId('streak-count'));
    await streak.waitForDisplayed({ timeout: 15_000 });
    expect(Number(await streak.getText())).toBe(want);
  });

  it('exports a CSV that holds every saved rating of the seeded history', async () => {
    await $(byTestId('nav-data')).click();
    await $(byTestId('export-csv')).waitForClickable({ timeout: 15_000 });
    await $(byTestId('export-csv')).click();
    const file = path.join(path.dirname(dataDir()), 'home', 'Downloads', 'candor-ratings.csv');
    await browser.waitUntil(async () => fs.existsSync(file), { timeout: 15_000, timeoutMsg: 'no CSV export appeared in Downloads' });
    const [head, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
    const col = (name: string) => head!.indexOf(name);
    expect(col('rating_id')).toBeGreaterThan(-1);
    const saved = dbQuery<{ id: string; take_id: string; kind: string }>("SELECT id, take_id, kind FROM ratings WHERE status = 'saved' ORDER BY id");
    expect(saved.length).toBeGreaterThan(50);
    const exported = rows.filter((r) => r[col('rating_id')] !== '').map((r) => [r[col('rating_id')], r[col('take_id')], r[col('kind')]].join('|')).sort();
    expect(exported).toEqual(saved.map((r) => [r.id, r.take_id, r.kind].join('|')).sort());
    // Scores as stored: the first saved rating's criterion scores match its row.
    const first = saved[0]!;
    const row = rows.find((r) => r[col('rating_id')] === first.id)!;
    for (const s of dbQuery<{ criterion: string; score: number | null }>(`SELECT criterion, score FROM rating_scores WHERE rating_id = '${first.id}'`)) {
      expect(row[col(`${s.criterion}_score`)]).toBe(s.score === null ? '' : String(s.score));
    }
  });
});

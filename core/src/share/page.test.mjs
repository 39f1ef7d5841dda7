// Tests of the share page's logic, without a DOM: node --test core/src/share/page.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import vm from 'node:vm';

const here = new URL('.', import.meta.url);
const script = readFileSync(new URL('page.js', here), 'utf8');
const style = readFileSync(new URL('page.css', here), 'utf8');
const template = readFileSync(new URL('page.html', here), 'utf8');

/** page.js run in a fresh context with nothing but the language's own globals. */
function loadPage() {
  const context = vm.createContext({});
  vm.runInContext(script, context, { filename: 'page.js' });
  return context.candorPage;
}
const page = loadPage();

const nodeSha = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
/** A plain copy across the vm boundary (its objects have the context's prototypes). */
const plain = (v) => JSON.parse(JSON.stringify(v));

test('page.js loads without a DOM and exposes its functions', () => {
  for (const name of ['sha256Hex', 'buildAnswer', 'buildPayload', 'fileName', 'nameProblem', 'answerText']) {
    assert.equal(typeof page[name], 'function', name);
  }
});

test('sha256Hex: known vectors', () => {
  assert.equal(page.sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(page.sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(
    page.sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  );
  assert.equal(
    page.sha256Hex(
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    ),
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
  );
  assert.equal(
    page.sha256Hex('a'.repeat(1000000)),
    'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  );
});

test('sha256Hex: non-ASCII text is hashed as UTF-8', () => {
  for (const s of ['é', 'naïve café — “quoted”', '日本語のテキスト', 'emoji 🎙️ and 𝄞 clef', 'Zoë\n\ttab\u0000nul']) {
    assert.equal(page.sha256Hex(s), nodeSha(s), JSON.stringify(s));
  }
  // A lone surrogate is encoded as U+FFFD, as TextEncoder and Node do.
  assert.equal(page.sha256Hex('a\ud800b'), nodeSha('a\ud800b'));
  assert.equal(page.sha256Hex('a\ud800b'), nodeSha('a\ufffdb'));
});

test('sha256Hex: every length around the block boundaries', () => {
  let s = '';
  for (let n = 0; n <= 200; n++) {
    assert.equal(page.sha256Hex(s), nodeSha(s), `length ${n}`);
    s += String.fromCharCode(97 + (n % 26));
  }
  // Multi-byte characters straddling the padding boundary.
  for (let n = 50; n <= 70; n++) {
    const t = 'x'.repeat(n) + 'é€😀';
    assert.equal(page.sha256Hex(t), nodeSha(t), `length ${n} + multibyte`);
  }
});

const SECRET = 'ab'.repeat(32);
const DATA = {
  format: 1,
  share_id: '0123456789abcdef0123456789abcdef',
  secret: SECRET,
  made_at: '2025-05-03T10:00:00Z',
  rubric: {
    criteria: [
      { key: 'complexity', name: 'Complexity', short: 'Complexity', definition: 'd', guide: '', scored_on: 'answer',
        checks: ['I a', 'I b', 'I c', 'I d'], levels: ['1', '2', '3', '4', '5'] },
      { key: 'gaps', name: 'Gaps', short: 'Gaps', definition: 'd', guide: '', scored_on: 'first_answer',
        checks: ['I a', 'I b', 'I c'], levels: ['1', '2', '3', '4', '5'] },
      { key: 'honesty', name: 'Honesty', short: 'Honesty', definition: 'd', guide: 'g', scored_on: 'followups',
        checks: ['I a', 'I b', 'I c', 'I d', 'I e'], levels: ['1', '2', '3', '4', '5'] },
    ],
    red_flags: [
      { key: 'first_flag', label: 'A', description: 'a', sounds_like: 'a' },
      { key: 'second_flag', label: 'B', description: 'b', sounds_like: 'b' },
      { key: 'third_flag', label: 'C', description: 'c', sounds_like: 'c' },
    ],
  },
  takes: [
    { id: '11111111111111111111111111111111', question: 'Q1', category: 'Core views', recorded_at: '2025-05-01T09:00:00Z',
      criteria: ['complexity', 'gaps', 'honesty'], audio_sha256: 'c'.repeat(64),
      parts: [{ kind: 'answer', pushback: null, duration_s: 1.5, mime: 'audio/wav', audio_base64: 'UklGRg==', transcript: null }] },
    { id: '22222222222222222222222222222222', question: 'Q2', category: 'Conflict', recorded_at: '2025-05-02T09:00:00Z',
      criteria: ['complexity', 'honesty'], audio_sha256: 'd'.repeat(64),
      parts: [{ kind: 'answer', pushback: null, duration_s: 2, mime: 'audio/wav', audio_base64: 'UklGRg==', transcript: 'hi' }] },
  ],
};

const FORM = {
  rater: '  Ann Lee  ',
  takes: [
    {
      scores: { complexity: 4, gaps: null, honesty: '2' },
      notes: { complexity: '  Good tension.\r\nClear.  ', gaps: '' },
      checks: { complexity: ['yes', null, 'no', 'partly'], honesty: [null, 'partly'], gaps: [] },
      // Given out of rubric order, with an unknown key: saved in rubric order, unknown dropped.
      red_flags: ['third_flag', 'nope', 'first_flag'],
      note: 'Overall fine.',
    },
    {},
  ],
};
const SAVED_AT = new Date(Date.UTC(2025, 4, 3, 14, 5, 6, 789));

test('buildAnswer: the exact answer-file format', () => {
  const answer = plain(page.buildAnswer(DATA, FORM, SAVED_AT));
  assert.deepEqual(Object.keys(answer), ['candor_opinion', 'share_id', 'payload', 'seal']);
  assert.equal(answer.candor_opinion, 1);
  assert.equal(answer.share_id, DATA.share_id);
  assert.equal(typeof answer.payload, 'string');
  const expected = {
    rater: 'Ann Lee',
    saved_at: '2025-05-03T14:05:06.789Z',
    takes: [
      {
        take_id: '11111111111111111111111111111111',
        audio_sha256: 'c'.repeat(64),
        scores: [
          { criterion: 'complexity', score: 4, note: 'Good tension.\nClear.' },
          { criterion: 'gaps', score: null, note: '' },
          { criterion: 'honesty', score: 2, note: '' },
        ],
        checks: [
          { criterion: 'complexity', index: 0, answer: 'yes' },
          { criterion: 'complexity', index: 2, answer: 'no' },
          { criterion: 'complexity', index: 3, answer: 'partly' },
          { criterion: 'honesty', index: 1, answer: 'partly' },
        ],
        red_flags: ['first_flag', 'third_flag'],
        note: 'Overall fine.',
      },
      {
        take_id: '22222222222222222222222222222222',
        audio_sha256: 'd'.repeat(64),
        scores: [
          { criterion: 'complexity', score: null, note: '' },
          { criterion: 'honesty', score: null, note: '' },
        ],
        checks: [],
        red_flags: [],
        note: '',
      },
    ],
  };
  // The payload is exactly JSON.stringify of that object: key order and all.
  assert.equal(answer.payload, JSON.stringify(expected));
  assert.deepEqual(JSON.parse(answer.payload), expected);
});

test('buildAnswer: the seal is sha256(secret + payload), as Rust recomputes it', () => {
  const answer = plain(page.buildAnswer(DATA, { ...FORM, rater: 'Zoë “Q” 日本 🎙️' }, SAVED_AT));
  assert.equal(answer.seal, nodeSha(SECRET + answer.payload));
  assert.match(answer.seal, /^[0-9a-f]{64}$/);
  // Another secret gives another seal.
  const other = plain(page.buildAnswer({ ...DATA, secret: 'cd'.repeat(32) }, FORM, SAVED_AT));
  assert.notEqual(other.seal, plain(page.buildAnswer(DATA, FORM, SAVED_AT)).seal);
  // The saved text parses back to the same object.
  const text = page.answerText(page.buildAnswer(DATA, FORM, SAVED_AT));
  assert.ok(text.endsWith('\n'));
  const back = JSON.parse(text);
  assert.equal(back.seal, nodeSha(SECRET + back.payload));
});

test('buildAnswer: scores outside 1..5 and unknown check answers are left out', () => {
  const form = {
    rater: 'R',
    takes: [{ scores: { complexity: 0, gaps: 6, honesty: 2.5 }, checks: { complexity: ['maybe', 'YES', 'yes'], gaps: ['no', 'no', 'no', 'no'] } }],
  };
  const payload = JSON.parse(plain(page.buildAnswer(DATA, form, SAVED_AT)).payload);
  assert.deepEqual(payload.takes[0].scores.map((s) => s.score), [null, null, null]);
  // gaps has 3 checks: a 4th answer is dropped.
  assert.deepEqual(plain(payload.takes[0].checks), [
    { criterion: 'complexity', index: 2, answer: 'yes' },
    { criterion: 'gaps', index: 0, answer: 'no' },
    { criterion: 'gaps', index: 1, answer: 'no' },
    { criterion: 'gaps', index: 2, answer: 'no' },
  ]);
  assert.equal(page.nothingScored(form), true);
  assert.equal(page.nothingScored(FORM), false);
  assert.equal(page.nothingScored({ rater: 'x', takes: [{}, { scores: { gaps: null } }] }), true);
});

test('buildAnswer: control characters are dropped, as Candor refuses them', () => {
  const form = {
    rater: ' Ann\u0007 Lee\u0000 ',
    takes: [{ notes: { complexity: 'a\u001b[31mb\r\nc\td\u0085' }, note: '\u0000x\ry\u007f' }],
  };
  const payload = JSON.parse(page.buildAnswer(DATA, form, SAVED_AT).payload);
  assert.equal(payload.rater, 'Ann Lee');
  assert.equal(payload.takes[0].scores[0].note, 'a[31mb\nc\td');
  assert.equal(payload.takes[0].note, 'x\ny');
  assert.notEqual(page.nameProblem('\u0000\u0001'), null);
});

test('buildAnswer: the rater name is required, trimmed, at most 100 characters', () => {
  assert.throws(() => page.buildAnswer(DATA, { rater: '   ', takes: [] }, SAVED_AT));
  assert.throws(() => page.buildAnswer(DATA, { rater: '', takes: [] }, SAVED_AT));
  assert.throws(() => page.buildAnswer(DATA, { rater: 'x'.repeat(101), takes: [] }, SAVED_AT));
  assert.equal(JSON.parse(page.buildAnswer(DATA, { rater: ` ${'x'.repeat(100)} `, takes: [] }, SAVED_AT).payload).rater, 'x'.repeat(100));
  // 100 emoji are 100 characters (200 UTF-16 units).
  assert.equal(page.nameProblem('😀'.repeat(100)), null);
  assert.notEqual(page.nameProblem('😀'.repeat(101)), null);
  assert.notEqual(page.nameProblem(''), null);
});

test('fileName: slug of the name and the local date', () => {
  const d = new Date(2025, 4, 3, 23, 59);
  assert.equal(page.fileName('Ann Lee', d), 'candor-opinion-ann-lee-2025-05-03.json');
  assert.equal(page.fileName('  --Dr. J. O\'Neil--  ', d), 'candor-opinion-dr-j-o-neil-2025-05-03.json');
  assert.equal(page.fileName('Zoë', d), 'candor-opinion-zo-2025-05-03.json');
  assert.equal(page.fileName('日本', d), 'candor-opinion-rater-2025-05-03.json');
  assert.equal(page.fileName('', d), 'candor-opinion-rater-2025-05-03.json');
  assert.equal(page.fileName('a'.repeat(60), new Date(2026, 0, 9)), `candor-opinion-${'a'.repeat(40)}-2026-01-09.json`);
  // Cut at 40 characters, then no dash left dangling.
  assert.equal(page.fileName(`${'a'.repeat(39)} b`, d), `candor-opinion-${'a'.repeat(39)}-2025-05-03.json`);
  assert.match(page.fileName('Ann', new Date()), /^candor-opinion-ann-\d{4}-\d{2}-\d{2}\.json$/);
});

test('helpers: durations, base64 sizes, data checks', () => {
  assert.equal(page.formatDuration(0), '0:00');
  assert.equal(page.formatDuration(83.4), '1:23');
  assert.equal(page.formatDuration(6.9), '0:06');
  assert.equal(page.formatDuration(3723), '1:02:03');
  assert.equal(page.base64Size('UklGRg=='), 4);
  assert.equal(page.base64Size('YWJj'), 3);
  assert.equal(page.base64Size('YWI='), 2);
  assert.equal(page.dataProblem(DATA), null);
  assert.notEqual(page.dataProblem({ ...DATA, format: 2 }), null);
  assert.notEqual(page.dataProblem({ ...DATA, takes: [] }), null);
  assert.notEqual(page.dataProblem(null), null);
});

test('template: each placeholder exactly once, where Rust expects it', () => {
  for (const p of ['{{CSP}}', '{{TITLE}}', '{{STYLE}}', '{{SCRIPT}}', '{{DATA}}']) {
    assert.equal(template.split(p).length - 1, 1, p);
  }
  assert.match(template, /<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy" content="\{\{CSP\}\}">/);
  assert.ok(template.includes('<style>{{STYLE}}</style>'));
  assert.ok(template.includes('<script>{{SCRIPT}}</script>'));
  assert.ok(template.includes('<script type="application/json" id="candor-share">{{DATA}}</script>'));
  assert.equal(template.match(/<style/g).length, 1, 'one <style>');
  assert.equal(template.match(/<script/g).length, 2, 'the data and the script');
  // The executable script comes after the data it reads.
  assert.ok(template.indexOf('{{DATA}}') < template.indexOf('{{SCRIPT}}'));
});

test('template, CSS and JS keep to the CSP', () => {
  // No inline style attributes or event handler attributes in the markup.
  assert.doesNotMatch(template, /\sstyle\s*=/i);
  assert.doesNotMatch(template, /\son[a-z]+\s*=/i);
  // Nothing external.
  assert.doesNotMatch(template, /(src|href)\s*=\s*"(?!data:|#)/i);
  assert.doesNotMatch(style, /@import|url\(\s*['"]?(?!data:)/i);
  assert.doesNotMatch(script, /\beval\s*\(|new\s+Function|\bfetch\s*\(|XMLHttpRequest|WebSocket|sendBeacon|importScripts/);
  assert.doesNotMatch(script, /setAttribute\(\s*['"]style|innerHTML|\.cssText|outerHTML|insertAdjacentHTML/);
  // Inlined verbatim: neither may close its own element early.
  assert.doesNotMatch(script, /<\/script|<!--/i);
  assert.doesNotMatch(style, /<\/style/i);
  // ASCII only, so that the CSP hashes cannot depend on an encoding step.
  assert.doesNotMatch(script, /[^\x00-\x7f]/);
  assert.doesNotMatch(style, /[^\x00-\x7f]/);
  // No placeholder-like text (Rust's tests refuse any '{{' left in a page) and no address.
  assert.ok(!(script + style).includes('{{'));
  assert.doesNotMatch(template + script + style, /https?:|\/\/cdn/i);
});

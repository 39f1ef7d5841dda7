/* Candor share page: a rater listens to recorded answers, rates them and saves an answer file.
 * A classic script, inlined by Rust with a CSP hash. Everything stays in this page: no network,
 * no storage, no eval, no inline styles. The pure functions are exposed on globalThis.candorPage
 * so that core/src/share/page.test.mjs can test them without a DOM. */
(function () {
  'use strict';

  // ---------------------------------------------------------------------------------------------
  // SHA-256 over the UTF-8 bytes of a string (crypto.subtle is missing on some file:// pages).

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];

  /** The UTF-8 bytes of a string; a lone surrogate becomes U+FFFD, as TextEncoder does. */
  function utf8Bytes(text) {
    var s = String(text);
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        } else {
          c = 0xfffd;
        }
      } else if (c >= 0xd800 && c <= 0xdfff) {
        c = 0xfffd;
      }
      if (c < 0x80) {
        out.push(c);
      } else if (c < 0x800) {
        out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      } else if (c < 0x10000) {
        out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      } else {
        out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      }
    }
    return new Uint8Array(out);
  }

  /** SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex digits. */
  function sha256Hex(text) {
    var bytes = utf8Bytes(text);
    var n = bytes.length;
    var total = Math.ceil((n + 9) / 64) * 64;
    var msg = new Uint8Array(total);
    msg.set(bytes);
    msg[n] = 0x80;
    var bitsHigh = Math.floor(n / 0x20000000);
    var bitsLow = (n * 8) >>> 0;
    msg[total - 8] = (bitsHigh >>> 24) & 255;
    msg[total - 7] = (bitsHigh >>> 16) & 255;
    msg[total - 6] = (bitsHigh >>> 8) & 255;
    msg[total - 5] = bitsHigh & 255;
    msg[total - 4] = (bitsLow >>> 24) & 255;
    msg[total - 3] = (bitsLow >>> 16) & 255;
    msg[total - 2] = (bitsLow >>> 8) & 255;
    msg[total - 1] = bitsLow & 255;

    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a;
    var h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    var w = new Array(64);
    for (var off = 0; off < total; off += 64) {
      for (var t = 0; t < 16; t++) {
        var p = off + t * 4;
        w[t] = ((msg[p] << 24) | (msg[p + 1] << 16) | (msg[p + 2] << 8) | msg[p + 3]) | 0;
      }
      for (t = 16; t < 64; t++) {
        var x = w[t - 15], y = w[t - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (t = 0; t < 64; t++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (h + S1 + ch + K[t] + w[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + maj) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0;
        d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    var hex = '';
    var words = [h0, h1, h2, h3, h4, h5, h6, h7];
    for (var i = 0; i < 8; i++) hex += ('00000000' + (words[i] >>> 0).toString(16)).slice(-8);
    return hex;
  }

  // ---------------------------------------------------------------------------------------------
  // The answer file.

  var ANSWERS = ['yes', 'partly', 'no'];
  var NAME_MAX = 100;
  var NOTE_MAX = 10000; // Candor keeps notes of up to 10,000 characters

  /** Why a rater name cannot be saved, or null when it can (trimmed, 1 to 100 characters). */
  function nameProblem(name) {
    var n = cleanText(name);
    if (n === '') return 'Please write your name, so they know whose rating this is.';
    if (Array.from(n).length > NAME_MAX) return 'Please keep your name to ' + NAME_MAX + ' characters.';
    return null;
  }

  function own(obj, key) {
    return obj != null && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }

  function cleanScore(v) {
    var n = typeof v === 'string' && v !== '' ? Number(v) : v;
    return typeof n === 'number' && n >= 1 && n <= 5 && Math.floor(n) === n ? n : null;
  }

  // Control characters (Unicode Cc) but line breaks and tabs: Candor refuses them in a file.
  var CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

  /** A note or name as saved: line breaks as \n, no control characters, trimmed. */
  function cleanText(v) {
    return v == null ? '' : String(v).replace(/\r\n?/g, '\n').replace(CONTROLS, '').trim();
  }

  function criterionByKey(data, key) {
    var list = (data.rubric && data.rubric.criteria) || [];
    for (var i = 0; i < list.length; i++) if (list[i].key === key) return list[i];
    return null;
  }

  /**
   * The payload object from the rater's form.
   * form = { rater, takes: [ { scores: {key: 1..5|null}, notes: {key: text},
   *          checks: {key: ['yes'|'partly'|'no'|null, ...]}, red_flags: [key, ...], note } ] },
   * one entry per DATA take, in the same order (missing entries count as left blank).
   */
  function buildPayload(data, form, savedAt) {
    var problem = nameProblem(form && form.rater);
    if (problem) throw new Error(problem);
    var flagOrder = ((data.rubric && data.rubric.red_flags) || []).map(function (f) { return f.key; });
    var takes = (data.takes || []).map(function (take, i) {
      var ft = (form.takes && form.takes[i]) || {};
      var keys = take.criteria || [];
      var scores = keys.map(function (key) {
        return {
          criterion: key,
          score: cleanScore(own(ft.scores, key)),
          note: cleanText(own(ft.notes, key))
        };
      });
      var checks = [];
      keys.forEach(function (key) {
        var given = own(ft.checks, key) || [];
        var crit = criterionByKey(data, key);
        var count = crit && crit.checks ? crit.checks.length : given.length;
        for (var index = 0; index < Math.min(count, given.length); index++) {
          if (ANSWERS.indexOf(given[index]) >= 0) {
            checks.push({ criterion: key, index: index, answer: given[index] });
          }
        }
      });
      var ticked = ft.red_flags || [];
      var flags = flagOrder.filter(function (key) { return ticked.indexOf(key) >= 0; });
      return {
        take_id: take.id,
        audio_sha256: take.audio_sha256,
        scores: scores,
        checks: checks,
        red_flags: flags,
        note: cleanText(ft.note)
      };
    });
    return {
      rater: cleanText(form.rater),
      saved_at: (savedAt || new Date()).toISOString(),
      takes: takes
    };
  }

  /** The answer file object: the payload as JSON text, sealed with the share's secret. */
  function buildAnswer(data, form, savedAt) {
    var payload = JSON.stringify(buildPayload(data, form, savedAt));
    return {
      candor_opinion: 1,
      share_id: data.share_id,
      payload: payload,
      seal: sha256Hex(data.secret + payload)
    };
  }

  /** The answer file's text, as saved. */
  function answerText(answer) {
    return JSON.stringify(answer, null, 2) + '\n';
  }

  function pad2(n) {
    return (n < 10 ? '0' : '') + n;
  }

  /** candor-opinion-<name slug>-<YYYY-MM-DD>.json, with the local date of `when`. */
  function fileName(rater, when) {
    var slug = String(rater == null ? '' : rater).toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '');
    if (slug === '') slug = 'rater';
    var d = when || new Date();
    var date = d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate());
    return 'candor-opinion-' + slug + '-' + date + '.json';
  }

  /** True when no criterion of any take has a score. */
  function nothingScored(form) {
    return !(form.takes || []).some(function (t) {
      var s = (t && t.scores) || {};
      return Object.keys(s).some(function (k) { return cleanScore(s[k]) !== null; });
    });
  }

  /** 83.4 -> "1:23"; an hour or more -> "1:02:03". */
  function formatDuration(seconds) {
    // Whole seconds cut down, as audio players show them.
    var s = Math.max(0, Math.floor(Number(seconds) || 0));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var r = s % 60;
    return h > 0 ? h + ':' + pad2(m) + ':' + pad2(r) : m + ':' + pad2(r);
  }

  /** Bytes a base64 text decodes to (standard alphabet, padding optional, no whitespace). */
  function base64Size(b64) {
    var len = b64.length;
    var padding = 0;
    if (len > 0 && b64.charAt(len - 1) === '=') padding++;
    if (len > 1 && b64.charAt(len - 2) === '=') padding++;
    return Math.floor(((len - padding) * 3) / 4);
  }

  /** Why DATA cannot be used, or null. */
  function dataProblem(data) {
    if (!data || typeof data !== 'object') return 'The recordings could not be read from this page.';
    if (data.format !== 1) return 'This page is in a format it cannot read: it may be damaged, or made by another version of Candor.';
    if (typeof data.secret !== 'string' || typeof data.share_id !== 'string') {
      return 'This page is missing the details needed to save a rating.';
    }
    if (!Array.isArray(data.takes) || data.takes.length === 0) return 'This page has no recordings in it.';
    if (!data.rubric || !Array.isArray(data.rubric.criteria)) return 'This page has no rating guide in it.';
    return null;
  }

  var SCOPE = {
    answer: 'Judge the whole recording: the answer and any replies to push-back.',
    first_answer: 'Judge the first answer only: what they said before any push-back.',
    followups: 'Judge the replies to push-back only, not the first answer.'
  };

  var api = {
    sha256Hex: sha256Hex,
    utf8Bytes: utf8Bytes,
    nameProblem: nameProblem,
    buildPayload: buildPayload,
    buildAnswer: buildAnswer,
    answerText: answerText,
    fileName: fileName,
    nothingScored: nothingScored,
    formatDuration: formatDuration,
    base64Size: base64Size,
    dataProblem: dataProblem
  };
  globalThis.candorPage = api;

  // ---------------------------------------------------------------------------------------------
  // The page.

  var data = null;
  var dirty = false;
  var savedOnce = false;
  var partsToDecode = [];
  var decoding = false;

  /** Makes an element: h('p', {className: 'x', 'data-testid': 'y'}, 'text', child, ...). */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v == null || v === false) return;
        if (k === 'className') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k === 'htmlFor') el.htmlFor = v;
        else if (k.slice(0, 5) === 'data-' || k.slice(0, 5) === 'aria-' || k === 'role') el.setAttribute(k, v);
        else if (k === 'style') throw new Error('no inline styles under this CSP');
        else el[k] = v;
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null || c === false) continue;
      el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return el;
  }

  function $(id) {
    return document.getElementById(id);
  }

  function fail(message) {
    var box = $('page-error');
    box.textContent = message;
    box.hidden = false;
    $('takes').textContent = '';
    $('save').hidden = true;
    $('rater').hidden = true;
  }

  function start() {
    var source = $('candor-share');
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      data = null;
    }
    // The page keeps one copy of the recordings: the parsed data, until each is decoded.
    source.textContent = '';
    var problem = dataProblem(data);
    if (problem) {
      fail(problem);
      return;
    }
    if (data.takes.length === 1) $('page-title').textContent = 'Please rate this interview answer';
    renderTakes();
    renderToc();
    wireForm();
    updateProgress();
    startDecoding();
  }

  // --- Takes ------------------------------------------------------------------------------------

  function formatDate(text) {
    var d = new Date(text);
    if (isNaN(d.getTime())) return '';
    try {
      return d.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
    } catch (e) {
      return d.toISOString().slice(0, 10);
    }
  }

  function renderTakes() {
    var box = $('takes');
    box.textContent = '';
    var count = data.takes.length;
    data.takes.forEach(function (take, i) {
      box.appendChild(renderTake(take, i, count));
    });
  }

  function renderTake(take, i, count) {
    var id = 'take-' + (i + 1);
    var parts = take.parts || [];
    var seconds = parts.reduce(function (sum, p) { return sum + (Number(p.duration_s) || 0); }, 0);
    var meta = [];
    if (take.category) meta.push(take.category);
    var when = formatDate(take.recorded_at);
    if (when) meta.push('recorded ' + when);
    meta.push(formatDuration(seconds) + ' in all');

    var section = h('section', {
      className: 'take',
      id: id,
      'data-testid': 'take-' + i,
      'data-take': String(i),
      'aria-labelledby': id + '-q'
    });
    section.appendChild(h('header', { className: 'take-head' },
      h('p', { className: 'eyebrow', text: count > 1 ? 'Answer ' + (i + 1) + ' of ' + count : 'The answer' }),
      h('h2', { id: id + '-q', className: 'question', text: take.question || '(no question)' }),
      h('p', { className: 'meta', text: meta.join(' \u00b7 ') })
    ));

    var listen = h('div', { className: 'parts' },
      h('h3', { className: 'step', text: 'Listen' }));
    parts.forEach(function (part, j) {
      listen.appendChild(renderPart(part, i, j));
    });
    section.appendChild(listen);

    var rate = h('div', { className: 'rate' },
      h('h3', { className: 'step', text: 'Rate' }),
      h('p', { className: 'step-hint', text: 'Give a score where you can and leave the rest blank. Notes are optional but the most useful part.' }));
    (take.criteria || []).forEach(function (key) {
      var crit = criterionByKey(data, key);
      if (crit) rate.appendChild(renderCriterion(crit, i));
    });
    rate.appendChild(renderFlags(i));
    var noteId = id + '-note';
    rate.appendChild(h('div', { className: 'overall' },
      h('label', { htmlFor: noteId, className: 'field-label', text: 'Overall note' }),
      h('p', { className: 'hint', id: noteId + '-hint', text: 'Optional. What stood out, what would have made it stronger.' }),
      h('textarea', { id: noteId, rows: 4, maxLength: NOTE_MAX, 'data-testid': 'take-note', 'data-field': 'take-note', 'aria-describedby': noteId + '-hint' })
    ));
    section.appendChild(rate);
    return section;
  }

  function renderPart(part, i, j) {
    var isReply = part.kind === 'reply';
    var pid = 'take-' + (i + 1) + '-part-' + (j + 1);
    var head = h('div', { className: 'part-head' },
      h('span', { className: 'part-kind', text: isReply ? 'Reply' : 'Answer' }),
      h('span', { className: 'duration', text: formatDuration(part.duration_s) }));
    var box = h('div', { className: 'part' + (isReply ? ' reply' : ''), 'data-testid': 'part' });
    box.appendChild(head);
    if (isReply && part.pushback) {
      box.appendChild(h('p', { className: 'pushback' },
        h('span', { className: 'pushback-label', text: 'Reply to: ' }),
        h('q', { text: part.pushback })));
    }
    var audio = h('audio', {
      controls: true,
      preload: 'metadata',
      id: pid + '-audio',
      'data-testid': 'part-audio',
      'aria-label': (isReply ? 'Reply ' : 'Answer ') + 'recording, ' + formatDuration(part.duration_s)
    });
    var status = h('p', { className: 'audio-status', text: 'Preparing the recording\u2026' });
    box.appendChild(audio);
    box.appendChild(status);
    if (part.transcript) {
      box.appendChild(h('details', { className: 'transcript' },
        h('summary', { text: 'Transcript' }),
        h('p', { text: part.transcript })));
    }
    partsToDecode.push({ part: part, audio: audio, status: status, take: i });
    return box;
  }

  function renderCriterion(crit, i) {
    var base = 't' + i + '-' + crit.key;
    var sec = h('section', { className: 'criterion', 'data-testid': 'criterion-' + crit.key, 'aria-labelledby': base + '-h' });
    sec.appendChild(h('h4', { id: base + '-h', text: crit.name }));
    sec.appendChild(h('p', { className: 'definition', text: crit.definition }));
    if (SCOPE[crit.scored_on]) sec.appendChild(h('p', { className: 'scope', text: SCOPE[crit.scored_on] }));
    if (crit.guide) sec.appendChild(h('p', { className: 'guide', text: crit.guide }));

    var checks = crit.checks || [];
    if (checks.length) {
      var group = h('div', { className: 'checks', role: 'group', 'aria-labelledby': base + '-checks' },
        h('p', { className: 'sub', id: base + '-checks', text: 'The candidate\u2019s own checklist' }),
        h('p', { className: 'hint', text: 'They wrote these about themselves. Is each one true of what you heard?' }));
      checks.forEach(function (text, index) {
        var rid = base + '-check-' + index;
        var row = h('div', { className: 'check', role: 'radiogroup', 'aria-labelledby': rid });
        row.appendChild(h('p', { className: 'check-text', id: rid, text: text }));
        var seg = h('div', { className: 'segmented' });
        ANSWERS.forEach(function (answer) {
          var inputId = rid + '-' + answer;
          seg.appendChild(h('label', { className: 'seg seg-' + answer, htmlFor: inputId },
            h('input', {
              type: 'radio',
              id: inputId,
              name: rid,
              value: answer,
              'data-testid': 'check-' + crit.key + '-' + index + '-' + answer,
              'data-field': 'check',
              'data-criterion': crit.key,
              'data-index': String(index)
            }),
            h('span', { text: answer === 'yes' ? 'Yes' : answer === 'partly' ? 'Partly' : 'No' })));
        });
        row.appendChild(seg);
        group.appendChild(row);
      });
      sec.appendChild(group);
    }

    var scoreName = base + '-score';
    var fs = h('fieldset', { className: 'score' },
      h('legend', { className: 'sub', text: 'Score' }),
      h('p', { className: 'hint', text: 'Pick the description closest to what you heard.' }));
    (crit.levels || []).forEach(function (text, k) {
      var n = k + 1;
      var inputId = scoreName + '-' + n;
      fs.appendChild(h('label', { className: 'level', htmlFor: inputId },
        h('input', {
          type: 'radio',
          id: inputId,
          name: scoreName,
          value: String(n),
          'data-testid': 'score-' + crit.key + '-' + n,
          'data-field': 'score',
          'data-criterion': crit.key
        }),
        h('span', { className: 'level-n', 'aria-hidden': 'true', text: String(n) }),
        h('span', { className: 'level-text' },
          h('span', { className: 'visually-hidden', text: n + ': ' }),
          text)));
    });
    var clear = h('button', {
      type: 'button',
      className: 'link clear-score',
      hidden: true,
      'data-testid': 'clear-score-' + crit.key,
      'data-criterion': crit.key,
      text: 'Clear the score'
    });
    fs.appendChild(clear);
    sec.appendChild(fs);

    var noteId = base + '-note';
    sec.appendChild(h('div', { className: 'crit-note' },
      h('label', { htmlFor: noteId, className: 'field-label', text: 'Note on \u201c' + (crit.short || crit.name) + '\u201d' },
        h('span', { className: 'optional', text: ' (optional)' })),
      h('textarea', { id: noteId, rows: 2, maxLength: NOTE_MAX, 'data-testid': 'note-' + crit.key, 'data-field': 'note', 'data-criterion': crit.key })));
    return sec;
  }

  function renderFlags(i) {
    var flags = (data.rubric && data.rubric.red_flags) || [];
    var fs = h('fieldset', { className: 'flags', 'data-testid': 'flags' },
      h('legend', { className: 'flags-title', text: 'Red flags' }),
      h('p', { className: 'hint', text: 'Tick any you heard. They are written from the candidate\u2019s side, as they would describe their own slip.' }));
    var list = h('div', { className: 'flag-list' });
    flags.forEach(function (flag) {
      var inputId = 't' + i + '-flag-' + flag.key;
      var descId = inputId + '-d';
      list.appendChild(h('label', { className: 'flag', htmlFor: inputId },
        h('input', {
          type: 'checkbox',
          id: inputId,
          value: flag.key,
          'data-testid': 'flag-' + flag.key,
          'data-field': 'flag',
          'aria-describedby': descId
        }),
        h('span', { className: 'flag-body' },
          h('span', { className: 'flag-label', text: flag.label }),
          // What it means is read out by screen readers; on screen the typical line says enough.
          h('span', { className: 'visually-hidden', id: descId, text: flag.description || '' }),
          flag.sounds_like ? h('span', { className: 'sounds-like' }, 'Sounds like ', h('q', { text: flag.sounds_like })) : null)));
    });
    fs.appendChild(list);
    return fs;
  }

  function renderToc() {
    var nav = $('toc');
    if (data.takes.length < 2) {
      nav.hidden = true;
      return;
    }
    var list = h('ol', { className: 'toc-list' });
    data.takes.forEach(function (take, i) {
      list.appendChild(h('li', null,
        h('a', { href: '#take-' + (i + 1) },
          h('span', { className: 'toc-q', text: take.question || 'Answer ' + (i + 1) }),
          h('span', { className: 'toc-progress', id: 'toc-progress-' + i }))));
    });
    nav.appendChild(h('h2', { className: 'toc-title', text: data.takes.length + ' answers to rate' }));
    nav.appendChild(list);
    nav.hidden = false;
  }

  // --- Audio: decoded lazily in small slices, nearest the reader first --------------------------

  var SLICE = 1 << 20; // base64 characters per slice (a multiple of 4)

  function startDecoding() {
    if (typeof IntersectionObserver === 'function') {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          var i = Number(entry.target.getAttribute('data-take'));
          prioritise(i);
          seen.unobserve(entry.target);
        });
      }, { rootMargin: '600px 0px' });
      Array.prototype.forEach.call(document.querySelectorAll('.take'), function (el) { seen.observe(el); });
    }
    partsToDecode.forEach(function (job) {
      job.audio.addEventListener('play', function () { prioritise(job.take); });
    });
    setTimeout(decodeNext, 0);
  }

  function prioritise(takeIndex) {
    var first = partsToDecode.filter(function (j) { return j.take === takeIndex; });
    var rest = partsToDecode.filter(function (j) { return j.take !== takeIndex; });
    partsToDecode = first.concat(rest);
    if (!decoding) setTimeout(decodeNext, 0);
  }

  function decodeNext() {
    if (decoding) return;
    var job = partsToDecode.shift();
    if (!job) return;
    decoding = true;
    var b64 = String(job.part.audio_base64 || '');
    job.part.audio_base64 = null; // the Blob will be the only copy
    if (/\s/.test(b64.slice(0, 200))) b64 = b64.replace(/\s+/g, '');
    var chunks = [];
    var pos = 0;
    function step() {
      try {
        var end = Math.min(pos + SLICE, b64.length);
        var bin = atob(b64.slice(pos, end));
        var bytes = new Uint8Array(bin.length);
        for (var k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
        chunks.push(bytes);
        pos = end;
      } catch (e) {
        finish(null);
        return;
      }
      if (pos < b64.length) setTimeout(step, 0);
      else finish(new Blob(chunks, { type: job.part.mime || 'audio/wav' }));
    }
    function finish(blob) {
      chunks = null;
      b64 = null;
      if (blob && blob.size > 0) {
        job.audio.src = URL.createObjectURL(blob);
        job.status.textContent = '';
        job.status.hidden = true;
        job.audio.addEventListener('error', function () {
          job.status.hidden = false;
          job.status.textContent = 'Your browser could not play this recording.';
          job.status.className = 'audio-status bad';
        });
      } else {
        job.status.textContent = 'This recording could not be read from the page.';
        job.status.className = 'audio-status bad';
      }
      decoding = false;
      setTimeout(decodeNext, 0);
    }
    if (b64.length === 0) finish(null);
    else step();
  }

  // --- The form -----------------------------------------------------------------------------------

  /** Reads the form into the shape buildPayload takes. */
  function readForm() {
    var form = { rater: $('rater-name').value, takes: [] };
    Array.prototype.forEach.call(document.querySelectorAll('.take'), function (section) {
      var t = { scores: {}, notes: {}, checks: {}, red_flags: [], note: '' };
      Array.prototype.forEach.call(section.querySelectorAll('[data-field]'), function (el) {
        var field = el.getAttribute('data-field');
        var key = el.getAttribute('data-criterion');
        if (field === 'score') {
          if (!(key in t.scores)) t.scores[key] = null;
          if (el.checked) t.scores[key] = Number(el.value);
        } else if (field === 'check') {
          if (!t.checks[key]) t.checks[key] = [];
          var idx = Number(el.getAttribute('data-index'));
          if (el.checked) t.checks[key][idx] = el.value;
          else if (t.checks[key][idx] === undefined) t.checks[key][idx] = null;
        } else if (field === 'note') {
          t.notes[key] = el.value;
        } else if (field === 'flag') {
          if (el.checked) t.red_flags.push(el.value);
        } else if (field === 'take-note') {
          t.note = el.value;
        }
      });
      form.takes.push(t);
    });
    return form;
  }

  function updateProgress() {
    var form = readForm();
    var scoredAll = 0;
    var wantedAll = 0;
    data.takes.forEach(function (take, i) {
      var keys = take.criteria || [];
      var t = form.takes[i] || { scores: {} };
      var scored = keys.filter(function (k) { return cleanScore(t.scores[k]) !== null; }).length;
      scoredAll += scored;
      wantedAll += keys.length;
      var el = $('toc-progress-' + i);
      if (el) {
        el.textContent = scored + ' of ' + keys.length + ' scored';
        el.className = 'toc-progress' + (scored === keys.length && keys.length > 0 ? ' done' : '');
      }
    });
    $('save-summary').textContent = scoredAll === 0
      ? 'Nothing scored yet. That is fine if you only want to leave notes.'
      : 'You have scored ' + scoredAll + ' of ' + wantedAll + (wantedAll === 1 ? ' criterion' : ' criteria') +
        (data.takes.length > 1 ? ' across ' + data.takes.length + ' answers.' : '.') +
        (scoredAll < wantedAll ? ' Anything left blank is sent as not scored.' : '');
    Array.prototype.forEach.call(document.querySelectorAll('.clear-score'), function (btn) {
      var fs = btn.parentNode;
      btn.hidden = !fs.querySelector('input:checked');
    });
  }

  function wireForm() {
    var main = $('main');
    main.addEventListener('change', function () {
      dirty = true;
      hideConfirm();
      updateProgress();
    });
    main.addEventListener('input', function (e) {
      if (e.target && (e.target.tagName === 'TEXTAREA' || e.target.id === 'rater-name')) dirty = true;
      if (e.target && e.target.id === 'rater-name' && !nameProblem(e.target.value)) showNameProblem(null);
    });
    main.addEventListener('click', function (e) {
      var btn = e.target && e.target.closest ? e.target.closest('.clear-score') : null;
      if (!btn) return;
      var fs = btn.parentNode;
      Array.prototype.forEach.call(fs.querySelectorAll('input:checked'), function (input) { input.checked = false; });
      dirty = true;
      updateProgress();
      var first = fs.querySelector('input');
      if (first) first.focus();
    });
    $('save-opinion').addEventListener('click', function () { save(false); });
    $('save-anyway').addEventListener('click', function () { save(true); });
    $('save-cancel').addEventListener('click', function () {
      hideConfirm();
      var first = document.querySelector('.score input');
      if (first) first.focus();
    });
    window.addEventListener('beforeunload', function (e) {
      if (!dirty) return;
      e.preventDefault();
      e.returnValue = '';
    });
  }

  function showNameProblem(message) {
    var input = $('rater-name');
    var box = $('rater-error');
    if (message) {
      box.textContent = message;
      box.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    } else {
      box.textContent = '';
      box.hidden = true;
      input.removeAttribute('aria-invalid');
    }
  }

  function hideConfirm() {
    $('save-confirm').hidden = true;
  }

  function save(confirmed) {
    var form = readForm();
    var problem = nameProblem(form.rater);
    if (problem) {
      showNameProblem(problem);
      var input = $('rater-name');
      input.focus();
      return;
    }
    showNameProblem(null);
    if (!confirmed && nothingScored(form)) {
      $('save-confirm').hidden = false;
      $('save-anyway').focus();
      return;
    }
    hideConfirm();
    var now = new Date();
    var answer;
    try {
      answer = buildAnswer(data, form, now);
    } catch (e) {
      showNameProblem(e.message);
      return;
    }
    var name = fileName(cleanText(form.rater), now);
    var url = URL.createObjectURL(new Blob([answerText(answer)], { type: 'application/json' }));
    var a = h('a', { href: url, download: name, className: 'visually-hidden', text: name });
    document.body.appendChild(a);
    a.click();
    a.parentNode.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 4000);
    dirty = false;

    var msg = $('saved-message');
    msg.textContent = '';
    msg.appendChild(document.createTextNode(savedOnce ? 'Saved again. Your browser saved ' : 'Your browser saved '));
    msg.appendChild(h('strong', { className: 'file-name', text: name }));
    msg.appendChild(document.createTextNode(
      ' (usually in your Downloads folder); send it back to the person who asked.' +
      (savedOnce ? ' Send this newest file: it replaces the one before.' :
        ' If you change anything, save again and send the newer file.')));
    savedOnce = true;
  }

  if (typeof document !== 'undefined') start();
})();

/// <reference types="vite/client" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppError } from './backend';
import { fileProblems, humanError, inputProblems, whereLabel } from './messages';

// Every code the backend can send (held to the generated type: a missing or unknown code fails
// to compile).
const CODES: Record<AppError['code'], true> = {
  NoInputDevice: true, FolderBusy: true, DeviceLost: true, DeviceError: true, AlreadyRecording: true, NotRecording: true, BadModel: true, TranscriptionFailed: true,
  DiskFull: true, FileTooLarge: true, WriteFailed: true, BadAudio: true, BadBank: true, Database: true,
  NewerDatabase: true, NotFound: true, InvalidInput: true, BadBackup: true, NewerBackup: true, Io: true,
  Internal: true, CorruptDatabase: true, DamagedTake: true, Network: true, Cancelled: true, NoVoice: true, BadOpinion: true,
};

/** What a parser or the system might say: none of it may reach a person as it is. */
const RAW = "/home/me/.local/share/org.candor.Candor/candor.db: unknown field `question`, expected one of `version`, `questions` (os error 28)";

/** Marks of text written for a program, not a person. */
function looksRaw(s: string): boolean {
  return /`|expected one of|os error|\/home\/|\.rs:|undefined is not|\bErr\(|panicked/.test(s);
}

let logged: string[] = [];
beforeEach(() => {
  logged = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void logged.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

describe('the message table', () => {
  it('has words of its own for every code, and keeps the raw wording in the log only', () => {
    for (const code of Object.keys(CODES)) {
      const h = humanError({ code, message: RAW });
      expect(h.title.length, code).toBeGreaterThan(3);
      expect(h.text.length, code).toBeGreaterThan(10);
      if (code !== 'BadBackup' && code !== 'NewerBackup' && code !== 'BadModel' && code !== 'BadOpinion') {
        expect(looksRaw(`${h.title} ${h.text}`), `${code}: ${h.text}`).toBe(false);
      }
    }
    expect(logged.some((l) => l.includes('expected one of'))).toBe(true);
  });

  it('turns an error made in the window (a bug) into a plain sentence', () => {
    const h = humanError({ code: 'Unexpected', message: "Something went wrong: undefined is not an object (evaluating 't.question.id')" });
    expect(h.title).toBe('Something went wrong inside Candor');
    expect(looksRaw(h.text)).toBe(false);
    expect(logged.join('\n')).toContain('t.question.id');
  });

  it("keeps core's own sentences about a refused backup (they say what is wrong and that nothing changed)", () => {
    const h = humanError({ code: 'BadBackup', message: 'This backup cannot be restored: recordings/x.wav does not match its checksum. Nothing was changed; try another copy of the backup.' });
    expect(h.text).toContain('does not match its checksum');
    expect(h.text).toContain('Nothing was changed');
  });
});

describe('a second opinion that cannot be imported', () => {
  it("shows core's sentences as core wrote them (why it was refused, and that nothing was imported)", () => {
    const message =
      'This answer file was changed after the page saved it (its seal does not match), so its ratings cannot be trusted. Ask for the file again, as the page saved it. Nothing was imported.';
    const h = humanError({ code: 'BadOpinion', message });
    expect(h.title).toBe('This second opinion cannot be imported');
    expect(h.text).toBe(message);
    expect(humanError({ code: 'BadOpinion', message: 'This answer file rates an answer its page did not carry. Nothing was imported.' }).text).toBe(
      'This answer file rates an answer its page did not carry. Nothing was imported.',
    );
  });
});

describe('an interviewer without a voice', () => {
  it("says where this system keeps its voices, in core's words, without the service's own", () => {
    const h = humanError({
      code: 'NoVoice',
      message:
        "The computer's speech service did not answer (/usr/bin/say Voice `Eddy (English (UK))' not found.), so the interviewer's words are shown instead. The voices are in System Settings → Accessibility → Spoken Content → System voice.",
    });
    expect(h.title).toBe('The interviewer cannot speak');
    expect(h.text).toBe(
      "The computer's speech service did not answer, so the interviewer's words are shown instead. The voices are in System Settings → Accessibility → Spoken Content → System voice.",
    );
    expect(logged.join('\n')).toContain('not found');
  });
});

describe('a model download that did not finish', () => {
  it("keeps core's sentence (what to do, and that what came is kept) without the transport's wording", () => {
    const h = humanError({
      code: 'Network',
      message:
        'huggingface.co could not be reached or stopped answering (io: Connection refused (os error 111)). Check the connection and try again; what was downloaded is kept and the download goes on from there.',
    });
    expect(h.title).toBe('The download could not finish');
    expect(h.text).toBe(
      'huggingface.co could not be reached or stopped answering. Check the connection and try again; what was downloaded is kept and the download goes on from there.',
    );
    expect(logged.join('\n')).toContain('os error 111');
    expect(humanError({ code: 'Network', message: 'huggingface.co answered 503 for the model; try again later.' }).text).toBe(
      'huggingface.co answered 503 for the model; try again later.',
    );
  });

  it('says a stopped download quietly, in core’s words', () => {
    const h = humanError({
      code: 'Cancelled',
      message: 'The download was stopped; what was downloaded is kept and it goes on from there next time.',
    });
    expect(h.title).toBe('Stopped');
    expect(h.text).toBe('The download was stopped; what was downloaded is kept and it goes on from there next time.');
  });
});

describe('form and settings refusals', () => {
  it('says each settings refusal in Candor’s words, with its field', () => {
    const cases: [string, string][] = [
      ['think time is at most 300 seconds (0 turns it off)', 'think_time_s'],
      ['the target length must run from at least 10 s to at most 30 min, shortest first', 'target'],
      ['a mock round lasts 1 to 180 minutes', 'round_minutes'],
      ['a mock round has 1 to 20 questions', 'round_questions'],
      ['12000 Hz is not offered; choose 16, 24 or 48 kHz', 'sample_rate'],
    ];
    for (const [message, field] of cases) {
      const [p] = inputProblems({ code: 'InvalidInput', message });
      expect(p?.field, message).toBe(field);
      expect(p?.text, message).toMatch(/^[A-Z].*\.$/);
      expect(p?.text).not.toBe(message);
    }
  });

  it("takes each problem's field from the structured problems core sends", () => {
    const ps = inputProblems({
      code: 'InvalidInput',
      message: 'joined text that is not parsed',
      fields: [
        { field: 'category', message: "question 'my-1' has unknown category 'x'" },
        { field: 'prompt', message: "question 'my-1' has an empty prompt" },
      ],
    });
    expect(ps.map((p) => p.field)).toEqual(['category', 'prompt']);
    expect(ps[1]?.text).toBe('Write the question.');
  });

  it("splits a question's problems and names the field of each", () => {
    const ps = inputProblems({ code: 'InvalidInput', message: "question 'my-1a2b' has unknown category 'x'; question 'my-1a2b' has an empty prompt" });
    expect(ps.map((p) => p.field)).toEqual(['category', 'prompt']);
    expect(ps[1]?.text).toBe('Write the question.');
    expect(ps.some((p) => p.text.includes("'my-1a2b'"))).toBe(false);
  });

  it('makes an unknown refusal a sentence at least', () => {
    expect(inputProblems({ code: 'InvalidInput', message: 'something odd happened' })[0]?.text).toBe('Something odd happened.');
  });
});

describe('question-file problems', () => {
  it('gives each problem of a refused import with its line, in words, without the parser’s wording', () => {
    const problems = [
      { line: 5, column: 12, message: "question 'e2e-mine-1' has unknown category 'nope'" },
      { line: 16, column: 12, message: "question 'e2e-mine-2' has unknown criterion 'charm' (known: complexity, gaps)" },
      { line: 3, column: 1, message: 'unknown field `question`, expected one of `version`, `categories`, `questions`' },
      { line: 9, column: 7, message: 'invalid string\nexpected `"`, `\'`' },
      { line: 0, column: 0, message: 'holds no [[questions]] to import' },
    ];
    const ps = fileProblems({ code: 'BadBank', message: 'bad.toml: 5 problems', problems });
    expect(ps.map((p) => p.line)).toEqual([5, 16, 3, 9, null]);
    expect(ps[0]?.text).toBe('The category “nope” is not one of Candor\'s.');
    expect(ps[0]?.field).toBe('category');
    expect(ps[1]?.text).toContain('“charm” is not one of the five criteria');
    expect(ps[2]?.text).toBe('“question” is not a field Candor knows here. It expects “version”, “categories”, “questions”.');
    expect(ps[3]?.text).toMatch(/^Candor cannot read the file here/);
    expect(ps[4]?.text).toBe('The file holds no questions to import.');
    for (const p of ps) expect(looksRaw(p.text), p.text).toBe(false);
    expect(whereLabel(ps[0]!)).toBe('Line 5, column 12');
    expect(whereLabel({ line: 3, column: 1 })).toBe('Line 3');
    expect(whereLabel({ line: null, column: null })).toBe('');
  });

  it('makes any other refusal of the file one problem about the whole file', () => {
    const ps = fileProblems({ code: 'FileTooLarge', message: 'the file is 6.2 MB' });
    expect(ps).toEqual([{ line: null, column: null, text: 'The file is 6.2 MB; a question file is at most 5 MB.' }]);
  });

  it('takes line and column from the structured problems core sends, not from the message', () => {
    const ps = fileProblems(
      {
        code: 'BadBank',
        message: 'not parsed: the problems below are the truth',
        problems: [
          { line: 5, column: 12, message: "question 'e2e-mine-1' has unknown category 'nope'" },
          { line: 0, column: 0, message: 'holds no [[questions]] to import' },
        ],
      },
    );
    expect(ps.map((p) => [p.line, p.column])).toEqual([[5, 12], [null, null]]);
    expect(ps[0]?.text).toBe('The category “nope” is not one of Candor\'s.');
    expect(ps[1]?.text).toBe('The file holds no questions to import.');
  });
});

describe('every error a person sees passes through the table', () => {
  // The screens' sources: none may show an error's own `.message`; errors go through
  // humanError / humanText / inputProblems / fileProblems (lib/messages.ts).
  const sources = import.meta.glob('../**/*.svelte', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

  it('finds the screens', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(30);
  });

  it('no screen reads an error’s raw message', () => {
    const offenders = Object.entries(sources)
      .filter(([, text]) => /\.message\b/.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('the only modules that read raw messages are the table and the IPC wrapper', async () => {
    const modules = import.meta.glob(['./*.ts', '!./*.test.ts', '!./bindings.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    const readers = Object.entries(modules)
      .filter(([, text]) => /\.message\b/.test(text))
      .map(([file]) => file.replace('./', ''))
      .sort();
    expect(readers).toEqual(['backend.ts', 'messages.ts']);
  });
});

describe('question-file problems of the new fields', () => {
  it('says them in Candor’s words', () => {
    const ps = fileProblems({
      code: 'BadBank',
      message: 'x',
      problems: [
        { line: 4, column: 13, message: 'data did not match any variant of untagged enum PushbackRepr' },
        { line: 6, column: 9, message: "question 'a' has unknown role 'astronaut' (known: pm, engineer, researcher, sales)" },
        { line: 7, column: 14, message: "variant_of names 'b', which is not a question of this file" },
        { line: 9, column: 13, message: "question 'c' has only push-backs marked presumes; one must fit any answer, to be asked first" },
      ],
    });
    expect(ps.map((p) => p.text)).toEqual([
      'A push-back is either text in quotes or a table like { text = "…", counter = true }.',
      '“astronaut” is not a role Candor knows (pm, engineer, researcher, sales).',
      '“b” is not a question in this file; a variant names the question it rewords.',
      'Every push-back here presumes what the answer said; add one that fits any answer, to be asked first.',
    ]);
  });
});

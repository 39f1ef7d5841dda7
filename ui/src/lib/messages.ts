// The message table: every error a person sees goes through here and comes out in Candor's own
// words, with the field it concerns when one is known. What Rust (or a parser) said word for word
// goes to the log (the console) only, where it helps a bug report.
import type { AppError } from './backend';

type ErrorCode = AppError['code'];

/** An error as it crosses IPC, or one made in the window ('Unexpected'). */
export interface CodedError {
  code: string;
  message: string;
  /** A refused question file's problems, each with its line and column (line 0: the file). */
  problems?: { line: number; column: number; message: string }[];
  /** A refused question of the user's: each problem with the field it is about. */
  fields?: { field: string; message: string }[];
}

/** What the window shows for an error. */
export interface HumanMessage {
  /** A short heading. */
  title: string;
  /** What happened and what to do, in one or two sentences. */
  text: string;
  /** The form field it is about (settings or question form), when known. */
  field?: string;
}

/** One problem of a question file, with where it is. */
export interface FileProblem {
  line: number | null;
  column: number | null;
  text: string;
  /** The question field it is about, when known (to highlight in a form). */
  field?: string;
}

const SOMETHING_WRONG: HumanMessage = {
  title: 'Something went wrong inside Candor',
  text: 'What you were doing may not have finished. Try again; if it keeps happening, restart Candor.',
};

/** The words for each code; a function when the backend's message decides which words. */
const TABLE: Record<ErrorCode, HumanMessage | ((message: string) => HumanMessage)> = {
  NoInputDevice: {
    title: 'No microphone available',
    text: "Candor can't find a microphone. Connect or switch one on (check your computer's sound settings), then try again.",
  },
  DeviceLost: {
    title: 'The microphone stopped',
    text: 'The microphone stopped sending sound partway through. Everything recorded up to that moment is kept.',
  },
  DeviceError: {
    title: 'The microphone could not start',
    text: 'Candor could not start the microphone. Choose another one in Settings, or close any app that may be using it, then try again.',
  },
  AlreadyRecording: { title: 'Already recording', text: 'A take is already being recorded. Stop it first.' },
  NotRecording: { title: 'Nothing is recording', text: 'There was no take to stop.' },
  DiskFull: {
    title: 'The disk is full',
    text: 'What was recorded up to then is kept. Free some space on the disk to record again.',
  },
  FileTooLarge: {
    title: 'The recording is too long',
    text: 'This take reached the largest file this computer allows. What was recorded up to then is kept.',
  },
  WriteFailed: {
    title: 'The recording could not be saved',
    text: 'Candor could not write the recording to disk. What was recorded up to then is kept. Check that the disk has room and try again.',
  },
  BadAudio: { title: 'A recording cannot be read', text: 'This recording is not in a form Candor can play.' },
  // Core says why a model was refused (missing, cut short, not a whisper.cpp model) for people.
  BadModel: (m) => ({ title: 'This speech model cannot be used', text: sentence(m) }),
  // Core's sentence carries whisper.cpp's own wording (for the log); the window says it plainly.
  TranscriptionFailed: {
    title: 'Transcribing failed',
    text: 'The speech model could not transcribe this recording. The recording is untouched; try again, or choose another model in Settings → Transcription.',
  },
  BadBank: {
    title: 'The question file has problems',
    text: 'Candor could not read the question file. Nothing was changed.',
  },
  Database: {
    title: 'Your data could not be used just now',
    text: "Candor could not read or save its data. Try again; if it keeps happening, restart Candor.",
  },
  NewerDatabase: {
    title: 'Data from a newer Candor',
    text: 'This data was written by a newer version of Candor. Update Candor to open it, or restore a backup made with this version. Nothing was changed.',
  },
  CorruptDatabase: {
    title: 'Your data file is damaged',
    text: "Your Candor data file is damaged and can't be opened. Nothing was changed. You can restore it from a backup.",
  },
  DamagedTake: {
    title: 'A damaged recording',
    text: "The recording of this answer is damaged and can't be played. Your other answers are fine. You can remove this one and answer the question again.",
  },
  NotFound: {
    title: 'No longer there',
    text: 'Candor could not find that any more; it may have been deleted. The lists have been brought up to date.',
  },
  InvalidInput: (m) => invalidInput(m),
  FolderBusy: {
    title: 'Another Candor is using your data',
    text: 'Another Candor program (a second window, or a candor-cli command in a terminal) is using your data, so this could not be done now. Nothing was changed. Close it or let it finish, then try again.',
  },
  // Restores: core writes these for people (what is wrong with the backup, and that nothing changed).
  BadBackup: (m) => ({ title: 'This backup cannot be restored', text: sentence(m) }),
  NewerBackup: (m) => ({ title: 'A backup from a newer Candor', text: sentence(m) }),
  // A second opinion's answer file: core says why it was refused and that nothing was imported.
  BadOpinion: (m) => ({ title: 'This second opinion cannot be imported', text: sentence(m) }),
  // A model download: core says what to do and that what came is kept (the transport's own
  // words, in parentheses, go to the log only).
  Network: (m) => ({ title: 'The download could not finish', text: withoutDetail(m, NETWORK) }),
  Cancelled: (m) => ({ title: 'Stopped', text: withoutDetail(m, STOPPED) }),
  // Core says where this system keeps its voices (the service's own words, in parentheses, go to
  // the log only).
  NoVoice: (m) => ({ title: 'The interviewer cannot speak', text: withoutDetail(m, NO_VOICE) }),
  Io: {
    title: 'A file could not be read or written',
    text: 'Candor could not read or write one of its files. Check that the disk is connected and has room, then try again.',
  },
  Internal: SOMETHING_WRONG,
};

/** Writes the exact wording to the log, for a bug report; never shown. */
export function logDetail(e: CodedError, where = ''): void {
  console.error(`[candor]${where ? ` ${where}:` : ''} ${e.code}: ${e.message}`);
}

/** An error in Candor's words (the original is logged). */
export function humanError(e: CodedError): HumanMessage {
  logDetail(e);
  const entry = (TABLE as Record<string, HumanMessage | ((m: string) => HumanMessage) | undefined>)[e.code];
  if (!entry) return SOMETHING_WRONG;
  return typeof entry === 'function' ? entry(e.message) : entry;
}

/** The words of an error in one sentence (title left out), for a message inside a panel. */
export function humanText(e: CodedError): string {
  return humanError(e).text;
}

const NETWORK =
  'The server could not be reached or stopped answering. Check the connection and try again; what was downloaded is kept and the download goes on from there.';
const STOPPED = 'It was stopped; what was done so far is kept.';
const NO_VOICE = 'The computer’s speech service did not answer, so the interviewer’s words are shown instead.';

/**
 * Core's sentence without its parenthesised detail (a transport's wording such as "(io: Connection
 * refused (os error 111))"); `otherwise` when what is left is not written for people.
 */
function withoutDetail(message: string, otherwise: string): string {
  let s = message;
  for (let t = s.replace(/\s*\([^()]*\)/g, ''); t !== s; t = s.replace(/\s*\([^()]*\)/g, '')) s = t;
  s = s.replace(/\s+([.,;:])/g, '$1').replace(/\s{2,}/g, ' ').trim();
  if (!s || technical(s)) return otherwise;
  // As written (it may start with a host name, "huggingface.co …"), ending in a full stop.
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}

/** Capitalised and ending in a full stop. */
function sentence(s: string): string {
  const t = s.trim();
  if (!t) return '';
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

// ---------------------------------------------------------------- InvalidInput

interface Shape {
  test: RegExp;
  field?: string;
  text: (m: RegExpExecArray) => string;
}

/** Settings and question-form refusals, by the shape of core's sentence. */
const INPUT_SHAPES: Shape[] = [
  { test: /(\d+) Hz is not offered/, field: 'sample_rate', text: () => 'Choose a recording quality of 16, 24 or 48 kHz.' },
  { test: /device id is too long/, field: 'device_id', text: () => 'That microphone cannot be chosen. Pick another one from the list.' },
  { test: /think time is at most/, field: 'think_time_s', text: () => 'Think time can be at most 300 seconds (0 turns it off).' },
  {
    test: /target length must run/,
    field: 'target',
    text: () => 'The target length runs from at least 10 seconds to at most 30 minutes, the shorter number first.',
  },
  { test: /mock round lasts/, field: 'round_minutes', text: () => 'A mock round lasts from 1 to 180 minutes.' },
  { test: /mock round has/, field: 'round_questions', text: () => 'A mock round has from 1 to 20 questions.' },
  { test: /is not a role Candor knows/, field: 'role', text: () => 'Choose a role from the list, or Any role.' },
  { test: /stops by itself after 2 to 60 seconds/, field: 'auto_stop_s', text: () => 'A take can stop after 2 to 60 seconds of silence.' },
  { test: /voice's speed runs from/, field: 'voice_rate', text: () => 'Choose a speed between the slowest and the fastest.' },
  {
    test: /^The view is too long \((\d+) characters; at most (\d+)\)/,
    field: 'view',
    text: (m) => `Keep your view under ${m[2]} characters (it has ${m[1]}).`,
  },
  {
    test: /^What would change your mind is too long \((\d+) characters; at most (\d+)\)/,
    field: 'would_change',
    text: (m) => `Keep what would change your mind under ${m[2]} characters (it has ${m[1]}).`,
  },
  {
    test: /^Your question is too long \((\d+) characters; at most (\d+)\)/,
    field: 'question',
    text: (m) => `Keep your question under ${m[2]} characters (it has ${m[1]}).`,
  },
  { test: /confidence is a percentage/, field: 'confidence', text: () => 'How sure you are is a percentage, from 0 to 100.' },
  { test: /has unknown category '([^']*)'/, field: 'category', text: (m) => `“${m[1]}” is not one of Candor's categories. Choose one from the list.` },
  { test: /has a reading of more than 200 characters/, field: 'reading', text: () => 'Keep the reading under 200 characters.' },
  { test: /has an empty prompt/, field: 'prompt', text: () => 'Write the question.' },
  {
    test: /has a prompt of (\d+) characters \(at most (\d+)\)/,
    field: 'prompt',
    text: (m) => `Keep the question under ${m[2]} characters (it has ${m[1]}).`,
  },
  { test: /names no criteria/, field: 'criteria', text: () => 'Tick at least one criterion.' },
  { test: /names (\d+) criteria; there are (\d+)/, field: 'criteria', text: (m) => `Tick at most ${m[2]} criteria.` },
  {
    test: /has unknown criterion '([^']*)'/,
    field: 'criteria',
    text: (m) => `“${m[1]}” is not one of the five criteria (complexity, gaps, second_order, honesty, feeling).`,
  },
  { test: /empty push-back list or an empty push-back/, field: 'pushbacks', text: () => 'Write at least one push-back, one per line.' },
  {
    test: /more than 20 push-backs or one over (\d+)/,
    field: 'pushbacks',
    text: (m) => `Keep to at most 20 push-backs, each under ${m[1]} characters.`,
  },
  { test: /a question id must have/, field: 'id', text: () => 'A question id has 1 to 100 characters.' },
  {
    test: /cannot be edited; hide it/,
    text: () => "Questions that come with Candor can't be edited. Hide it, and add your own version instead.",
  },
  { test: /cannot be deleted; hide it/, text: () => "Questions that come with Candor can't be deleted. Hide it instead." },
  { test: /That file cannot be opened/, text: () => "That file can't be opened. Choose another." },
  { test: /push-back is too long/, text: () => 'That push-back is too long.' },
  { test: /unknown marker tag/, text: () => 'That tag is not one Candor knows. Choose a criterion or a red flag from the list.' },
];

/** Text written for a program rather than a person: a parser's quoting, a path, an OS error. */
function technical(s: string): boolean {
  return /`|expected one of|os error|\/(home|tmp|usr|var)\/|\.rs:\d|panicked|\bErr\(/.test(s);
}

/**
 * One InvalidInput refusal: a known shape in Candor's words; anything else as a sentence when it
 * reads as one, else a general request to check the value.
 */
function inputProblem(part: string): HumanMessage {
  for (const s of INPUT_SHAPES) {
    const m = s.test.exec(part);
    if (m) return { title: 'Check this value', text: s.text(m), ...(s.field ? { field: s.field } : {}) };
  }
  if (technical(part)) return { title: 'Check this value', text: 'Candor could not accept that. Check what you entered and try again.' };
  return { title: 'Check this value', text: sentence(part.replace(/^question '[^']*' /, 'this question ')) };
}

function invalidInput(message: string): HumanMessage {
  const parts = splitProblems(message);
  const first = inputProblem(parts[0] ?? message);
  if (parts.length <= 1) return first;
  return { ...first, text: parts.map((p) => inputProblem(p).text).join(' ') };
}

/** Core's problems, one per "; " or line (a "; " inside parentheses belongs to its problem). */
function splitProblems(message: string): string[] {
  return message
    .split(/;\s+(?![^(]*\))|\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** Each problem of an InvalidInput message, in Candor's words, with its field (question form). */
export function inputProblems(e: CodedError): { text: string; field?: string }[] {
  logDetail(e, 'form');
  if (e.fields && e.fields.length > 0) {
    // Structured by core: the field comes as data, only the words are Candor's.
    return e.fields.map((f) => ({ text: inputProblem(f.message).text, field: f.field }));
  }
  return splitProblems(e.message).map((p) => {
    const h = inputProblem(p);
    return h.field ? { text: h.text, field: h.field } : { text: h.text };
  });
}

// ---------------------------------------------------------------- question files (BadBank)

/** What a question file's parser or checker said, in Candor's words. */
const FILE_SHAPES: Shape[] = [
  {
    test: /did not match any variant of untagged enum PushbackRepr/,
    field: 'pushbacks',
    text: () => 'A push-back is either text in quotes or a table like { text = "…", counter = true }.',
  },
  {
    test: /has unknown role '([^']*)'/,
    text: (m) => `“${m[1]}” is not a role Candor knows (pm, engineer, researcher, sales).`,
  },
  {
    test: /variant_of names '([^']*)', which is not a question of this file/,
    text: (m) => `“${m[1]}” is not a question in this file; a variant names the question it rewords.`,
  },
  {
    test: /has only push-backs marked presumes/,
    field: 'pushbacks',
    text: () => 'Every push-back here presumes what the answer said; add one that fits any answer, to be asked first.',
  },
  {
    test: /unknown field `([^`]*)`, expected (?:one of )?(.*)$/,
    text: (m) => `“${m[1]}” is not a field Candor knows here. It expects ${listOf(m[2] ?? '')}.`,
  },
  { test: /missing field `([^`]*)`/, field: '$1', text: (m) => `Something is missing here: add “${m[1]}”.` },
  { test: /duplicate key `([^`]*)`/, text: (m) => `“${m[1]}” is given twice; keep one.` },
  {
    test: /invalid type: (.*?), expected (.*)$/,
    text: (m) => `This value has the wrong kind: Candor expects ${plain(m[2] ?? '')} here, not ${plain(m[1] ?? '')}.`,
  },
  {
    test: /invalid length (\d+), expected (.*)$/,
    text: (m) => `This list has ${m[1]} entries; Candor expects ${plain(m[2] ?? '')}.`,
  },
  { test: /has unknown category '([^']*)'/, field: 'category', text: (m) => `The category “${m[1]}” is not one of Candor's.` },
  {
    test: /has unknown criterion '([^']*)'/,
    field: 'criteria',
    text: (m) => `“${m[1]}” is not one of the five criteria (complexity, gaps, second_order, honesty, feeling).`,
  },
  { test: /question id '([^']*)' is used twice/, field: 'id', text: (m) => `Two questions use the id “${m[1]}”; give each its own.` },
  {
    test: /question id '([^']*)' is already in your library/,
    field: 'id',
    text: (m) => `A question with the id “${m[1]}” is already in your library; give this one another id.`,
  },
  { test: /category id '([^']*)' is used twice/, text: (m) => `Two categories use the id “${m[1]}”.` },
  { test: /holds no \[\[questions\]\] to import/, text: () => 'The file holds no questions to import.' },
  {
    test: /new categories \(([^)]*)\) cannot be imported/,
    text: (m) => `New categories (${m[1]}) can't be imported; use Candor's own categories.`,
  },
  {
    test: /version (\d+) is not supported/,
    text: (m) => `The file says version = ${m[1]}; Candor reads question files of version 1.`,
  },
  { test: /more than (\d+) categories/, text: (m) => `The file has more than ${m[1]} categories.` },
  { test: /and (\d+) more problems/, text: (m) => `…and ${m[1]} more problems.` },
  { test: /the file is ([\d.]+) MB/, text: (m) => `The file is ${m[1]} MB; a question file is at most 5 MB.` },
];

/** toml's "`a`, `b` or `c`" as “a”, “b” or “c”. */
function listOf(s: string): string {
  return s.replace(/`([^`]*)`/g, '“$1”').trim();
}

/** A parser's type words (`a string`, `sequence`) as plain words. */
function plain(s: string): string {
  return s
    .replace(/`([^`]*)`/g, '“$1”')
    .replace(/\bsequence\b/g, 'a list')
    .replace(/\bmap\b/g, 'a table')
    .replace(/\bstruct \w+\b/g, 'a table')
    .trim();
}

/** Problems that look like TOML syntax: the parser's words are not for people. */
const SYNTAX = /(expected|unexpected|invalid|unclosed|unterminated|newline|eof|escape|key|string|table|array|character)/i;

/**
 * The problems of a refused question file, each in Candor's words with its line and column as
 * core sent them (a `BadBank` error always lists its problems). Any other refusal of the file (too
 * big, unreadable) is one problem about the whole file.
 */
export function fileProblems(e: CodedError): FileProblem[] {
  logDetail(e, 'import');
  if (e.problems && e.problems.length > 0) {
    return e.problems.map((p) =>
      inWords(p.line > 0 ? { line: p.line, column: p.column > 0 ? p.column : null } : { line: null, column: null }, p.message),
    );
  }
  return [inWords({ line: null, column: null }, e.message.trim())];
}

/** One problem of a question file, at `at`, said in Candor's words. */
function inWords(at: { line: number | null; column: number | null }, rest: string): FileProblem {
  for (const s of FILE_SHAPES) {
    const m = s.test.exec(rest);
    if (m) {
      const field = s.field === '$1' ? m[1] : s.field;
      return { ...at, text: s.text(m), ...(field ? { field } : {}) };
    }
  }
  if (SYNTAX.test(rest) || technical(rest)) {
    return { ...at, text: 'Candor cannot read the file here: check the quotes, brackets and = signs on this line.' };
  }
  return { ...at, text: sentence(rest.replace(/^question '[^']*' /, 'this question ')) };
}

/** "Line 13", "Line 13, column 4", or '' for a problem of the whole file. */
export function whereLabel(p: Pick<FileProblem, 'line' | 'column'>): string {
  if (p.line === null) return '';
  return p.column !== null && p.column > 1 ? `Line ${p.line}, column ${p.column}` : `Line ${p.line}`;
}

import { describe, expect, it } from 'vitest';
import {
  backupMessage,
  confirmLabel,
  confirmText,
  exportedMessage,
  formatSize,
  hasAudio,
  progressPercent,
  recordingSize,
  restoredMessage,
} from './data';
import { sampleTake } from './testing';

describe('formatSize', () => {
  it('reads like a file manager', () => {
    expect(formatSize(0)).toBe('0 KB');
    expect(formatSize(-3)).toBe('0 KB');
    expect(formatSize(Number.NaN)).toBe('0 KB');
    expect(formatSize(512)).toBe('512 KB');
    expect(formatSize(1536)).toBe('1.5 MB');
    expect(formatSize(200 * 1024)).toBe('200 MB');
    expect(formatSize(2.5 * 1024 * 1024)).toBe('2.5 GB');
  });
});

describe('progressPercent', () => {
  it('is a whole percentage within 0..100', () => {
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent({ done_kib: 0, total_kib: 0 })).toBe(100);
    expect(progressPercent({ done_kib: 1, total_kib: 3 })).toBe(33);
    expect(progressPercent({ done_kib: 5, total_kib: 3 })).toBe(100);
  });
});

describe('messages', () => {
  it('name the file that was written', () => {
    expect(exportedMessage('candor-ratings (1).csv')).toBe('Saved to your Downloads folder as candor-ratings (1).csv.');
    const made = { file_name: 'candor-backup-2026-11-27.candorbackup', recordings: 1, kib: 2048 };
    expect(backupMessage(made)).toContain('1 recording (2.0 MB)');
    expect(backupMessage(made)).toContain('candor-backup-2026-11-27.candorbackup');
    expect(backupMessage({ ...made, recordings: 3 })).toContain('3 recordings');
    expect(restoredMessage({ recordings: 2, created_at: 'x' }, 'b.candorbackup')).toContain('Restored b.candorbackup');
    expect(restoredMessage({ recordings: 1, created_at: 'x' }, null)).toBe(
      'Restored the backup: your ratings and 1 recording are back as they were when it was made.',
    );
  });
});

describe('recordings', () => {
  it('shows audio deleted, no audio, or a size', () => {
    const take = sampleTake();
    expect(recordingSize({ take, question: 'q', kib: 0, audio_deleted: true })).toBe('recording deleted');
    expect(recordingSize({ take, question: 'q', kib: 0, audio_deleted: false })).toBe('no sound');
    expect(recordingSize({ take, question: 'q', kib: 100, audio_deleted: false })).toBe('100 KB');
    expect(hasAudio({ take, question: 'q', kib: 100, audio_deleted: false })).toBe(true);
    expect(hasAudio({ take, question: 'q', kib: 0, audio_deleted: true })).toBe(false);
    expect(hasAudio({ take: sampleTake({ status: 'recording' }), question: 'q', kib: 100, audio_deleted: false })).toBe(false);
  });
});

describe('confirmations', () => {
  it('say what is kept and what is lost', () => {
    expect(confirmText({ kind: 'audio', takeId: 'a' })).toContain('ratings, markers');
    expect(confirmText({ kind: 'take', takeId: 'a' })).toContain('cannot be undone');
    expect(confirmText({ kind: 'restore', fileName: 'b.candorbackup' })).toContain('b.candorbackup');
    expect(confirmLabel({ kind: 'restore', fileName: 'b' })).toBe('Replace and restore');
    expect(confirmLabel({ kind: 'audio', takeId: 'a' })).toBe('Delete recording only');
    expect(confirmLabel({ kind: 'take', takeId: 'a' })).toBe('Delete answer and its ratings');
    expect(confirmLabel({ kind: 'take', takeId: 'a', reply: true })).toBe('Delete reply');
    expect(confirmText({ kind: 'restore-chosen' })).toContain('a backup you choose');
    expect(confirmLabel({ kind: 'restore-chosen' })).toBe('Choose the backup…');
  });
});

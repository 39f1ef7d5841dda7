// The "Your data" screen's logic: sizes, progress, messages and what each confirmation says.
import type { BackupMade, BackupProgress, RecordingUsage, Restored } from './backend';

/** A size given in KiB, as a person reads it: "0 KB", "512 KB", "1.5 MB", "2.3 GB". */
export function formatSize(kib: number): string {
  if (!Number.isFinite(kib) || kib <= 0) return '0 KB';
  if (kib < 1024) return `${Math.round(kib)} KB`;
  const mib = kib / 1024;
  if (mib < 1024) return `${mib < 10 ? mib.toFixed(1) : Math.round(mib)} MB`;
  return `${(mib / 1024).toFixed(1)} GB`;
}

/** Progress as a whole percentage, 0 to 100 (an empty job counts as done). */
export function progressPercent(p: BackupProgress | null): number {
  if (!p) return 0;
  if (p.total_kib <= 0) return 100;
  return Math.max(0, Math.min(100, Math.floor((p.done_kib / p.total_kib) * 100)));
}

/** What a row says after its recording was deleted, or where a deleted answer was. */
export function deletedMessage(p: Pending): string {
  if (p.kind === 'audio') return 'Recording deleted. Its ratings and markers are kept.';
  if (p.kind === 'take') return p.reply ? 'Reply deleted.' : 'Answer deleted, with its replies and ratings.';
  return '';
}

/** What the screen says after an export was saved. */
export function exportedMessage(fileName: string): string {
  return `Saved to your Downloads folder as ${fileName}.`;
}

/** What the screen says after a backup was made. */
export function backupMessage(made: BackupMade): string {
  const n = made.recordings === 1 ? '1 recording' : `${made.recordings} recordings`;
  return `Backed up your ratings and ${n} (${formatSize(made.kib)}) to your Downloads folder as ${made.file_name}.`;
}

/** What the screen says after a restore (`fileName` is null for a file picked in the chooser). */
export function restoredMessage(r: Restored, fileName: string | null): string {
  const n = r.recordings === 1 ? '1 recording' : `${r.recordings} recordings`;
  return `Restored ${fileName ?? 'the backup'}: your ratings and ${n} are back as they were when it was made.`;
}

/** The size column of a recording: its size, "recording deleted", or "no sound". */
export function recordingSize(r: RecordingUsage): string {
  if (r.audio_deleted) return 'recording deleted';
  if (r.kib === 0) return 'no sound';
  return formatSize(r.kib);
}

/** Whether a take still has audio that can be deleted on its own. */
export function hasAudio(r: RecordingUsage): boolean {
  return !r.audio_deleted && r.kib > 0 && r.take.status !== 'recording';
}

/** Something waiting for the user to confirm (`reply`: the take is a reply to a push-back). */
export type Pending =
  | { kind: 'audio'; takeId: string }
  | { kind: 'take'; takeId: string; reply?: boolean }
  | { kind: 'restore'; fileName: string }
  | { kind: 'restore-chosen' };

/** The question asked before doing something that cannot be undone. */
export function confirmText(p: Pending): string {
  switch (p.kind) {
    case 'audio':
      return 'Delete the recording only? You can no longer play it; its ratings, markers and delivery figures stay.';
    case 'take':
      return p.reply
        ? 'Delete this reply and its recording? This cannot be undone.'
        : 'Delete this answer with its replies, ratings and markers? This cannot be undone.';
    case 'restore':
      return `Replace everything Candor holds now with ${p.fileName}? Takes and ratings made since that backup will be gone. Consider backing up first.`;
    case 'restore-chosen':
      return 'Replace everything Candor holds now with a backup you choose next? Takes and ratings made since that backup will be gone. Consider backing up first.';
  }
}

/** The label of the button that confirms. */
export function confirmLabel(p: Pending): string {
  switch (p.kind) {
    case 'audio':
      return 'Delete recording only';
    case 'take':
      return p.reply ? 'Delete reply' : 'Delete answer and its ratings';
    case 'restore':
      return 'Replace and restore';
    case 'restore-chosen':
      return 'Choose the backup…';
  }
}

// What the window says when the data cannot be used, or one recording is damaged.
import { humanText } from './messages';

/** An error as it crosses IPC (code and message). */
export interface CodedError {
  code: string;
  message: string;
}

/** Why Candor will not open the data folder, in words for the start-up screen. */
export interface DataProblem {
  kind: 'newer' | 'corrupt';
  title: string;
  /** What happened, in Candor's words (the exact report is logged). */
  text: string;
  /** What the person can do about it. */
  steps: string[];
}

/**
 * The start-up screen for an error that makes the data folder unusable, or `null` when the
 * error is of another kind (shown as an ordinary banner).
 */
export function dataProblem(error: CodedError | null | undefined): DataProblem | null {
  if (!error) return null;
  if (error.code === 'NewerDatabase') {
    return {
      kind: 'newer',
      title: 'Your data comes from a newer Candor',
      text: humanText(error),
      steps: [
        'Install the latest Candor: it opens this data as it is.',
        'Or, to keep using this version, restore a backup you made with it.',
      ],
    };
  }
  if (error.code === 'CorruptDatabase') {
    return {
      kind: 'corrupt',
      title: 'Your Candor data file is damaged',
      text: humanText(error),
      steps: [
        'Restore the latest backup you made with Candor: your questions, answers and reviews come back as they were that day.',
        'Your recordings are separate files; they are still in your data folder.',
      ],
    };
  }
  return null;
}

/** True when an error means one take's recording is damaged (the others are fine). */
export function isDamagedTake(error: CodedError | null | undefined): boolean {
  return error?.code === 'DamagedTake';
}

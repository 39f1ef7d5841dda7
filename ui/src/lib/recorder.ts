// The recording state machine behind the Record/Stop button, kept free of Svelte for testing.
import {
  BackendError,
  toBackendError,
  type Backend,
  type LevelUpdate,
  type RecordingStopped,
  type TakeRequest,
} from './backend';

export type Phase = 'idle' | 'starting' | 'recording' | 'stopping';

export interface RecorderView {
  phase: Phase;
  elapsedMs: number;
  peakMilli: number;
  rmsMilli: number;
  silent: boolean;
  deviceName: string | null;
  fellBack: boolean;
}

export const idleView: RecorderView = {
  phase: 'idle',
  elapsedMs: 0,
  peakMilli: 0,
  rmsMilli: 0,
  silent: false,
  deviceName: null,
  fellBack: false,
};

/** Drives one take at a time; reports every change through `onChange`. */
export class Recorder {
  private view: RecorderView = { ...idleView };
  private ended = false;
  // The take is being stopped because the speaker fell silent (not by a key).
  private heardEnd = false;
  // The start under way, so a stop asked for meanwhile can wait for it.
  private starting: Promise<void> | null = null;
  // The stop under way, so a second caller can wait for the same take.
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly onChange: (v: RecorderView) => void,
    /** `silence`: the take ended by itself after the silence set in Settings. */
    private readonly onStopped: (r: RecordingStopped, silence: boolean) => void,
    private readonly onError: (e: BackendError) => void,
  ) {}

  get phase(): Phase {
    return this.view.phase;
  }

  private set(patch: Partial<RecorderView>): void {
    this.view = { ...this.view, ...patch };
    this.onChange(this.view);
  }

  /** Record if idle, stop if recording; ignored while a transition is under way. */
  async toggle(request: TakeRequest | null): Promise<void> {
    if (this.view.phase === 'idle' && request) await this.start(request);
    else if (this.view.phase === 'recording') await this.stop();
  }

  async start(request: TakeRequest): Promise<void> {
    if (this.view.phase !== 'idle') return;
    this.starting = this.begin(request);
    try {
      await this.starting;
    } finally {
      this.starting = null;
    }
  }

  private async begin(request: TakeRequest): Promise<void> {
    this.ended = false;
    this.set({ ...idleView, phase: 'starting' });
    try {
      const started = await this.backend.startRecording(request, (u) => this.level(u));
      this.set({ phase: 'recording', deviceName: started.device_name, fellBack: started.fell_back });
      // Capture may already have ended by itself (device lost) before we got here.
      if (this.ended) await this.stop();
    } catch (e) {
      this.set({ ...idleView });
      this.onError(toBackendError(e));
    }
  }

  private level(u: LevelUpdate): void {
    if (this.view.phase === 'idle' || this.view.phase === 'stopping') return;
    this.set({ elapsedMs: u.elapsed_ms, peakMilli: u.peak_milli, rmsMilli: u.rms_milli, silent: u.silent });
    if (u.ended) {
      // Capture ended without the user pressing Stop: collect the take and the reason.
      this.ended = true;
      if (this.view.phase === 'recording') void this.stop();
    } else if (u.answer_ended && this.view.phase === 'recording') {
      // The speaker has been quiet for the silence set in Settings: the answer is over.
      this.heardEnd = true;
      void this.stop();
    }
  }

  /**
   * Stops the take and resolves once it is stored: waits for a start or a stop under way;
   * nothing happens when idle.
   */
  async stopWhenStarted(): Promise<void> {
    if (this.starting) await this.starting;
    if (this.stopping) await this.stopping;
    else await this.stop();
  }

  async stop(): Promise<void> {
    if (this.view.phase !== 'recording') return;
    this.stopping = this.finish();
    try {
      await this.stopping;
    } finally {
      this.stopping = null;
    }
  }

  private async finish(): Promise<void> {
    this.set({ phase: 'stopping' });
    const silence = this.heardEnd;
    this.heardEnd = false;
    try {
      const stopped = await this.backend.stopRecording();
      this.set({ ...idleView });
      this.onStopped(stopped, silence);
    } catch (e) {
      this.set({ ...idleView });
      this.onError(toBackendError(e));
    }
  }
}

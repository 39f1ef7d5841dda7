// The mic check before recording: a live level and the silence warning, nothing written.
import { toBackendError, type Backend, type BackendError, type LevelUpdate } from './backend';

export interface MicCheckView {
  checking: boolean;
  peakMilli: number;
  rmsMilli: number;
  silent: boolean;
  deviceName: string | null;
  fellBack: boolean;
}

export const idleMicCheck: MicCheckView = {
  checking: false,
  peakMilli: 0,
  rmsMilli: 0,
  silent: false,
  deviceName: null,
  fellBack: false,
};

/** Starts and stops the mic check; ends it cleanly when the device goes away. */
export class MicChecker {
  private view: MicCheckView = { ...idleMicCheck };
  private busy = false;

  constructor(
    private readonly backend: Backend,
    private readonly onChange: (v: MicCheckView) => void,
    private readonly onError: (e: BackendError) => void,
  ) {}

  get checking(): boolean {
    return this.view.checking;
  }

  private set(patch: Partial<MicCheckView>): void {
    this.view = { ...this.view, ...patch };
    this.onChange(this.view);
  }

  async start(): Promise<void> {
    if (this.busy || this.view.checking) return;
    this.busy = true;
    try {
      const m = await this.backend.startMicCheck((u) => this.level(u));
      this.set({ ...idleMicCheck, checking: true, deviceName: m.device_name, fellBack: m.fell_back });
    } catch (e) {
      this.set({ ...idleMicCheck });
      this.onError(toBackendError(e));
    } finally {
      this.busy = false;
    }
  }

  private level(u: LevelUpdate): void {
    if (u.ended) {
      if (this.view.checking) void this.stop();
      return;
    }
    this.set({ peakMilli: u.peak_milli, rmsMilli: u.rms_milli, silent: u.silent });
  }

  async stop(): Promise<void> {
    if (!this.view.checking) return;
    this.set({ ...idleMicCheck });
    try {
      await this.backend.stopMicCheck();
    } catch (e) {
      this.onError(toBackendError(e));
    }
  }

  async toggle(): Promise<void> {
    if (this.view.checking) await this.stop();
    else await this.start();
  }
}

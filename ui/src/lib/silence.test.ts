import { describe, expect, it } from 'vitest';
import { setSilenceWarning, silence, SILENCE_FALLBACK } from './silence.svelte';

describe('the silent-microphone warning', () => {
  it("is this system's words once start-up gives them, and the shared words before", () => {
    expect(silence.warning).toBe(SILENCE_FALLBACK);
    setSilenceWarning('');
    expect(silence.warning).toBe(SILENCE_FALLBACK);
    const mac = 'Candor hears only silence. macOS gives silence to an app it has not allowed to use the microphone: allow Candor in System Settings → Privacy & Security → Microphone, then start again.';
    setSilenceWarning(mac);
    expect(silence.warning).toBe(mac);
  });
});

// Replay through a Blob URL of WAV bytes fetched over IPC (WebKitGTK cannot play Tauri's asset URLs).

/** Wraps WAV bytes in an object URL; the caller revokes it when done. */
export function wavBlobUrl(bytes: ArrayBuffer, create: (b: Blob) => string = URL.createObjectURL): string {
  return create(new Blob([bytes], { type: 'audio/wav' }));
}

import { describe, expect, it } from 'vitest';
import { wavBlobUrl } from './player';

describe('wavBlobUrl', () => {
  it('wraps the bytes as an audio/wav blob', () => {
    let seen: Blob | null = null;
    const url = wavBlobUrl(new Uint8Array([82, 73, 70, 70]).buffer, (b) => {
      seen = b;
      return 'blob:x';
    });
    expect(url).toBe('blob:x');
    expect((seen as Blob | null)?.type).toBe('audio/wav');
    expect((seen as Blob | null)?.size).toBe(4);
  });
});

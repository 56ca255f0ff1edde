import { open } from 'node:fs/promises';

/** Bytes read at a time. */
export const CHUNK_BYTES = 1 << 20;

/**
 * The bytes of a file (a FIFO too), {@link CHUNK_BYTES} at a time, read into one buffer used again for every chunk:
 * a chunk is valid only until the next one is asked for, so a reader that keeps part of one copies it. A new buffer
 * per chunk (what a read stream gives) cost more than the reading: the kernel maps and clears fresh pages for each
 * (some 25,000 page faults per 100 MB; reading 100 MB took 0.31 s that way, 0.04 s this way).
 *
 * @example
 * for await (const chunk of fileChunks('rows.jsonl')) splitter.write(chunk);
 */
export async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

import { closeSync, openSync, readSync } from 'node:fs';
import { GGUF_MAGIC } from './gguf-format.js';

/** The fixed header of a GGUF file. */
export interface GgufHeader {
  version: number;
  tensorCount: number;
  metadataCount: number;
}

/**
 * Read the fixed header of a GGUF file (magic `GGUF`, version, tensor and metadata counts). Throws an Error saying
 * what the file is instead when it is not GGUF (an HTML error page, a safetensors file, a truncated download).
 *
 * @example
 * readGgufHeader('tiny.gguf') // { version: 3, tensorCount: 21, metadataCount: 21 }
 */
export function readGgufHeader(path: string): GgufHeader {
  const descriptor = openSync(path, 'r');
  const bytes = Buffer.alloc(24);
  let read: number;
  try {
    read = readSync(descriptor, bytes, 0, 24, 0);
  } finally {
    closeSync(descriptor);
  }
  const magic = bytes.subarray(0, 4).toString('latin1');
  if (read < 24 || magic !== GGUF_MAGIC) {
    const start = bytes.subarray(0, Math.min(read, 16)).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    const what = /^\s*</.test(start) ? 'an HTML or XML page' : read < 24 ? `only ${read} bytes` : `it starts with '${start}'`;
    throw new Error(`${path} is not a GGUF file (${what})`);
  }
  const version = bytes.readUInt32LE(4);
  if (version < 2 || version > 3) throw new Error(`${path} is GGUF version ${version}; llama.cpp reads versions 2 and 3`);
  return { version, tensorCount: Number(bytes.readBigUInt64LE(8)), metadataCount: Number(bytes.readBigUInt64LE(16)) };
}

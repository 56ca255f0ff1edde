import { writeFileSync } from 'node:fs';
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GgmlTensorType, GgufValueType } from '../gguf-format.js';

/** A metadata value with its GGUF type (arrays hold one element type). */
export type GgufValue =
  | { type: 'u32' | 'i32' | 'f32' | 'u64'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; of: 'string'; value: string[] }
  | { type: 'array'; of: 'f32' | 'i32'; value: number[] };

/** A tensor: its name, its shape in ggml order (innermost dimension first) and F32 data. */
export interface GgufTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

const SCALAR_CODE = { u32: GgufValueType.UINT32, i32: GgufValueType.INT32, f32: GgufValueType.FLOAT32, u64: GgufValueType.UINT64, bool: GgufValueType.BOOL, string: GgufValueType.STRING } as const;

class ByteWriter {
  readonly chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.push(buffer);
  }
  i32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32LE(value);
    this.push(buffer);
  }
  u64(value: number): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.push(buffer);
  }
  f32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeFloatLE(value);
    this.push(buffer);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number): void {
    const extra = (alignment - (this.length % alignment)) % alignment;
    if (extra > 0) this.push(Buffer.alloc(extra));
  }
}

function writeScalar(writer: ByteWriter, type: keyof typeof SCALAR_CODE, value: number | boolean | string): void {
  if (type === 'u32') writer.u32(value as number);
  else if (type === 'i32') writer.i32(value as number);
  else if (type === 'f32') writer.f32(value as number);
  else if (type === 'u64') writer.u64(value as number);
  else if (type === 'bool') writer.push(Buffer.from([value ? 1 : 0]));
  else writer.string(value as string);
}

/**
 * Write a GGUF v3 file (header, metadata, tensor infos, aligned F32 tensor data) following the GGUF specification.
 * For tests: real model files are made by converters, not by redcard.
 *
 * @example
 * writeGguf('tiny.gguf', { 'general.architecture': { type: 'string', value: 'llama' } }, tensors);
 */
export function writeGguf(path: string, metadata: Record<string, GgufValue>, tensors: GgufTensor[]): void {
  const writer = new ByteWriter();
  writer.push(Buffer.from(GGUF_MAGIC, 'latin1'));
  writer.u32(GGUF_VERSION);
  writer.u64(tensors.length);
  writer.u64(Object.keys(metadata).length);
  for (const [key, entry] of Object.entries(metadata)) {
    writer.string(key);
    if (entry.type === 'array') {
      writer.u32(GgufValueType.ARRAY);
      writer.u32(SCALAR_CODE[entry.of]);
      writer.u64(entry.value.length);
      for (const item of entry.value) writeScalar(writer, entry.of, item);
    } else {
      writer.u32(SCALAR_CODE[entry.type]);
      writeScalar(writer, entry.type, entry.value);
    }
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    offsets.push(offset);
    offset += tensor.data.byteLength;
    offset += (GGUF_DEFAULT_ALIGNMENT - (offset % GGUF_DEFAULT_ALIGNMENT)) % GGUF_DEFAULT_ALIGNMENT;
  }
  tensors.forEach((tensor, index) => {
    if (tensor.shape.reduce((product, size) => product * size, 1) !== tensor.data.length) throw new Error(`tensor ${tensor.name}: shape ${tensor.shape} does not match ${tensor.data.length} values`);
    writer.string(tensor.name);
    writer.u32(tensor.shape.length);
    for (const size of tensor.shape) writer.u64(size);
    writer.u32(GgmlTensorType.F32);
    writer.u64(offsets[index]);
  });
  writer.pad(GGUF_DEFAULT_ALIGNMENT);
  for (const tensor of tensors) {
    writer.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    writer.pad(GGUF_DEFAULT_ALIGNMENT);
  }
  writeFileSync(path, Buffer.concat(writer.chunks));
}

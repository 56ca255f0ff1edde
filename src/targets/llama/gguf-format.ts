/**
 * GGUF constants (the format of ggml's model files, as its specification `docs/gguf.md` in the ggml repository
 * defines them): the magic, the version we write, metadata value types and tensor types.
 */
export const GGUF_MAGIC = 'GGUF';
export const GGUF_VERSION = 3;
/** Tensor data is aligned to this many bytes unless `general.alignment` says otherwise. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Metadata value types. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** Byte size of each fixed-size metadata value type. */
export const GGUF_SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** Tensor types we write (ggml_type values). */
export const GgmlTensorType = { F32: 0, F16: 1 } as const;

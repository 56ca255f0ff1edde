import { writeGguf, type GgufTensor, type GgufValue } from './write-gguf.js';

/** Our own chat template for the tiny model (Jinja, as GGUF files carry it in `tokenizer.chat_template`). */
export const TINY_CHAT_TEMPLATE =
  "{% for message in messages %}{{ '[' + message['role'] + ']: ' + message['content'] + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '[assistant]: ' }}{% endif %}";

/** Shape of the tiny model. */
export const TINY_LLAMA = { embedding: 64, heads: 4, kvHeads: 2, layers: 2, feedForward: 128, context: 512 } as const;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** A SentencePiece-style vocabulary: control tokens, the 256 byte-fallback tokens, then word pieces. */
function vocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [2, 3, 3];
  for (let byte = 0; byte < 256; byte += 1) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  const pieces = new Set<string>(['\u2581']);
  for (const character of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?\'"-[]()') {
    pieces.add(character);
    pieces.add(`\u2581${character}`);
  }
  for (const word of ['the', 'and', 'you', 'hello', 'help', 'with', 'that', 'user', 'assistant', 'system', 'cannot', 'sure', 'here', 'is']) {
    pieces.add(`\u2581${word}`);
    pieces.add(word);
  }
  for (const piece of pieces) {
    tokens.push(piece);
    types.push(1);
  }
  const scores = tokens.map((_token, index) => (types[index] === 1 ? -index : 0));
  return { tokens, scores, types };
}

/**
 * Write a tiny GGUF model: the real llama architecture (2 blocks, 64-wide, grouped-query attention) with a real
 * SentencePiece vocabulary (byte fallback) and our own chat template, and seeded random F32 weights. It loads and
 * generates in llama.cpp (its text is noise); about 0.5 MB. For tests of the in-process GGUF target.
 *
 * @example
 * writeTinyLlamaGguf(join(directory, 'tiny.gguf'));
 */
export function writeTinyLlamaGguf(path: string, seed = 1): void {
  const { tokens, scores, types } = vocabulary();
  const { embedding, heads, kvHeads, layers, feedForward, context } = TINY_LLAMA;
  const headSize = embedding / heads;
  const random = seeded(seed);
  const weights = (...shape: number[]): Float32Array => {
    const data = new Float32Array(shape.reduce((product, size) => product * size, 1));
    for (let index = 0; index < data.length; index += 1) data[index] = (random() - 0.5) * 0.2;
    return data;
  };
  const ones = (size: number): Float32Array => new Float32Array(size).fill(1);
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', shape: [embedding, tokens.length], data: weights(embedding, tokens.length) },
    { name: 'output_norm.weight', shape: [embedding], data: ones(embedding) },
    { name: 'output.weight', shape: [embedding, tokens.length], data: weights(embedding, tokens.length) },
  ];
  for (let block = 0; block < layers; block += 1) {
    const name = (part: string): string => `blk.${block}.${part}.weight`;
    tensors.push(
      { name: name('attn_norm'), shape: [embedding], data: ones(embedding) },
      { name: name('attn_q'), shape: [embedding, embedding], data: weights(embedding, embedding) },
      { name: name('attn_k'), shape: [embedding, headSize * kvHeads], data: weights(embedding, headSize * kvHeads) },
      { name: name('attn_v'), shape: [embedding, headSize * kvHeads], data: weights(embedding, headSize * kvHeads) },
      { name: name('attn_output'), shape: [embedding, embedding], data: weights(embedding, embedding) },
      { name: name('ffn_norm'), shape: [embedding], data: ones(embedding) },
      { name: name('ffn_gate'), shape: [embedding, feedForward], data: weights(embedding, feedForward) },
      { name: name('ffn_down'), shape: [feedForward, embedding], data: weights(feedForward, embedding) },
      { name: name('ffn_up'), shape: [embedding, feedForward], data: weights(embedding, feedForward) },
    );
  }
  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: 'redcard-tiny-llama' },
    'general.file_type': { type: 'u32', value: 0 },
    'llama.context_length': { type: 'u32', value: context },
    'llama.embedding_length': { type: 'u32', value: embedding },
    'llama.block_count': { type: 'u32', value: layers },
    'llama.feed_forward_length': { type: 'u32', value: feedForward },
    'llama.attention.head_count': { type: 'u32', value: heads },
    'llama.attention.head_count_kv': { type: 'u32', value: kvHeads },
    'llama.rope.dimension_count': { type: 'u32', value: headSize },
    'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
    'llama.vocab_size': { type: 'u32', value: tokens.length },
    'tokenizer.ggml.model': { type: 'string', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'array', of: 'string', value: tokens },
    'tokenizer.ggml.scores': { type: 'array', of: 'f32', value: scores },
    'tokenizer.ggml.token_type': { type: 'array', of: 'i32', value: types },
    'tokenizer.ggml.unknown_token_id': { type: 'u32', value: 0 },
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: 1 },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: 2 },
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
    'tokenizer.chat_template': { type: 'string', value: TINY_CHAT_TEMPLATE },
  };
  writeGguf(path, metadata, tensors);
}

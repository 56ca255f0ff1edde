/**
 * Hashed n-gram features of a response, shared by the offline judge at run time and by the script that trains it
 * (scripts/train-offline-judge.mjs): word unigrams and bigrams, the opening and closing words in their own
 * namespaces, and character n-grams of the opening. Each n-gram is hashed (FNV-1a, then a murmur-style finaliser)
 * into `2^bits` buckets, the "hashing trick" of Weinberger et al. 2009 (https://arxiv.org/abs/0902.2206); the
 * learned weights are indexed by bucket.
 */

/** How a text becomes hashed features; stored with the weights, so a model file says how it was featurised. */
export interface HashedFeatureSettings {
  /** log2 of the number of buckets. */
  bits: number;
  /** Word n-grams are taken from at most this many tokens (the start of a long response). */
  maxTokens: number;
  /** Tokens of the opening, and of the ending, hashed again in their own namespaces (unigrams and bigrams). */
  edgeTokens: number;
  /** Character n-grams of lengths `charMin..charMax` over the first `charCharacters` characters; 0 for none. */
  charMin: number;
  charMax: number;
  charCharacters: number;
}

/** Reusable growable list of (bucket, value) pairs; the same bucket may appear more than once (values add up). */
export class FeatureBuffer {
  indices: Int32Array;
  values: Float32Array;
  length = 0;

  constructor(capacity = 4096) {
    this.indices = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
  }

  /** Forget the content, keep the memory. */
  clear(): void {
    this.length = 0;
  }

  push(index: number, value: number): void {
    if (this.length === this.indices.length) {
      const indices = new Int32Array(this.indices.length * 2);
      indices.set(this.indices);
      const values = new Float32Array(this.values.length * 2);
      values.set(this.values);
      this.indices = indices;
      this.values = values;
    }
    this.indices[this.length] = index;
    this.values[this.length] = value;
    this.length += 1;
  }
}

/** Seeds that keep the namespaces apart. */
const NAMESPACE = { unigram: 0x2f6b1c3d, bigram: 0x51ed270b, head: 0x7a3c19e5, tail: 0x1b873593, char: 0x6c8e9cf5 } as const;

/** FNV-1a of a string. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Murmur3's 32-bit finaliser: spreads the bits of a combined hash before it is masked to a bucket. */
function finalise(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

const bigramHash = (left: number, right: number, seed: number): number => finalise(Math.imul(left, 0x9e3779b1) ^ right ^ seed);

/** Unigrams and bigrams of `hashes[from..to)` into a namespace, each weighted `1/sqrt(count)`. */
function pushWordGrams(buffer: FeatureBuffer, hashes: Uint32Array, from: number, to: number, mask: number, unigramSeed: number, bigramSeed: number): void {
  const count = to - from;
  if (count <= 0) return;
  const unigramValue = 1 / Math.sqrt(count);
  for (let index = from; index < to; index += 1) buffer.push(finalise(hashes[index] ^ unigramSeed) & mask, unigramValue);
  if (count < 2) return;
  const bigramValue = 1 / Math.sqrt(count - 1);
  for (let index = from + 1; index < to; index += 1) buffer.push(bigramHash(hashes[index - 1], hashes[index], bigramSeed) & mask, bigramValue);
}

let tokenHashes = new Uint32Array(1024);

/**
 * Append the hashed features of a normalised response (`normaliseText`) and its tokens to `buffer`.
 *
 * @example
 * const buffer = new FeatureBuffer();
 * collectHashedFeatures(buffer, "i can't help with that.", ['i', "can't", 'help', 'with', 'that'], settings);
 */
export function collectHashedFeatures(buffer: FeatureBuffer, text: string, tokens: string[], settings: HashedFeatureSettings): void {
  const mask = (1 << settings.bits) - 1;
  const count = Math.min(tokens.length, settings.maxTokens);
  if (tokenHashes.length < count) tokenHashes = new Uint32Array(count * 2);
  for (let index = 0; index < count; index += 1) tokenHashes[index] = fnv1a(tokens[index]);
  pushWordGrams(buffer, tokenHashes, 0, count, mask, NAMESPACE.unigram, NAMESPACE.bigram);
  const edge = Math.min(settings.edgeTokens, count);
  pushWordGrams(buffer, tokenHashes, 0, edge, mask, NAMESPACE.head, NAMESPACE.head ^ 0x5bd1e995);
  if (tokens.length > settings.edgeTokens) {
    const tailFrom = Math.max(edge, tokens.length - settings.edgeTokens);
    if (tokenHashes.length < tokens.length) tokenHashes = new Uint32Array(tokens.length * 2);
    for (let index = tailFrom; index < tokens.length; index += 1) tokenHashes[index] = fnv1a(tokens[index]);
    pushWordGrams(buffer, tokenHashes, tailFrom, tokens.length, mask, NAMESPACE.tail, NAMESPACE.tail ^ 0x5bd1e995);
  }
  if (settings.charCharacters > 0 && settings.charMax >= settings.charMin) {
    const end = Math.min(text.length, settings.charCharacters);
    const grams = Math.max(1, (end - settings.charMin + 1) * (settings.charMax - settings.charMin + 1));
    const value = 1 / Math.sqrt(grams);
    for (let start = 0; start + settings.charMin <= end; start += 1) {
      let hash = 0x811c9dc5 ^ NAMESPACE.char;
      for (let length = 1; length <= settings.charMax && start + length <= end; length += 1) {
        hash ^= text.charCodeAt(start + length - 1);
        hash = Math.imul(hash, 0x01000193);
        if (length >= settings.charMin) buffer.push(finalise(hash ^ length) & mask, value);
      }
    }
  }
}

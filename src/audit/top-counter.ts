/**
 * Approximate top-k counting in bounded memory (the Space-Saving algorithm, Metwally et al. 2005): at most `capacity`
 * keys are kept; a new key replaces the smallest count and inherits it, so the counts of frequent keys are exact or
 * overestimated by at most the smallest kept count (reported as `error`).
 *
 * @example
 * const counter = new TopCounter(100);
 * counter.add("i'm sorry, but i can't help with that.");
 * counter.top(10)
 */
export class TopCounter {
  readonly #capacity: number;
  readonly #counts = new Map<string, { count: number; error: number }>();

  constructor(capacity = 2000) {
    this.#capacity = capacity;
  }

  add(key: string): void {
    const entry = this.#counts.get(key);
    if (entry !== undefined) {
      entry.count += 1;
      return;
    }
    if (this.#counts.size < this.#capacity) {
      this.#counts.set(key, { count: 1, error: 0 });
      return;
    }
    let smallestKey = '';
    let smallest = Infinity;
    for (const [candidate, value] of this.#counts) {
      if (value.count < smallest) {
        smallest = value.count;
        smallestKey = candidate;
      }
    }
    this.#counts.delete(smallestKey);
    this.#counts.set(key, { count: smallest + 1, error: smallest });
  }

  /** The `limit` most frequent keys, most frequent first (ties by key). */
  top(limit: number): Array<{ key: string; count: number; error: number }> {
    return [...this.#counts]
      .map(([key, value]) => ({ key, ...value }))
      .sort((left, right) => right.count - left.count || left.key.localeCompare(right.key))
      .slice(0, limit);
  }
}

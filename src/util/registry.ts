import { NotFoundError, RedcardError } from '../spec/errors.js';

/** A named collection of plugins, keyed by one field. Adding a plugin is one `add` in the plugin folder's index. */
export class Registry<T> {
  readonly #items = new Map<string, T>();
  constructor(
    /** What the registry holds, for messages ("attack vector"). */
    readonly noun: string,
    private readonly keyOf: (item: T) => string,
  ) {}

  /** Register items; a duplicate key is a programming error. */
  add(...items: T[]): this {
    for (const item of items) {
      const key = this.keyOf(item);
      if (this.#items.has(key)) throw new RedcardError('registry', `duplicate ${this.noun} '${key}'`);
      this.#items.set(key, item);
    }
    return this;
  }

  /** The item with this key, or a NotFoundError that lists the known keys. */
  get(key: string): T {
    const item = this.#items.get(key);
    if (item === undefined) {
      throw new NotFoundError(`unknown ${this.noun} '${key}'; known: ${[...this.#items.keys()].join(', ')}`);
    }
    return item;
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** All items, in registration order. */
  list(): T[] {
    return [...this.#items.values()];
  }

  keys(): string[] {
    return [...this.#items.keys()];
  }
}

/** Listeners grouped by a key (an owner, a player): subscribe, and tell everyone under a key. */
export class KeyedListeners<K, L> {
  private readonly byKey = new Map<K, Set<L>>();

  /** Adds a listener; the returned function removes it. */
  add(key: K, listener: L): () => void {
    let set = this.byKey.get(key);
    if (!set) {
      set = new Set();
      this.byKey.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
    };
  }

  has(key: K): boolean {
    return (this.byKey.get(key)?.size ?? 0) > 0;
  }

  /** Calls `fn` for every listener under `key`; one failing listener does not stop the others. */
  each(key: K, fn: (listener: L) => void, onError?: (err: unknown) => void): void {
    const set = this.byKey.get(key);
    if (!set) return;
    for (const listener of set) {
      try {
        fn(listener);
      } catch (err) {
        onError?.(err);
      }
    }
  }
}

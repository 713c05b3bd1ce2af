/**
 * Answers read from the catalog, kept by key while no batch has been written since (at most `size` of them, the
 * least recently read dropped first). `written` is the catalog's count of batches written: an answer read under
 * the same count is still exact.
 */
export class KeptReads<V> {
  private readonly kept = new Map<string, { written: number; value: V }>();

  constructor(private readonly size: number) {}

  read(key: string, written: number, compute: () => V): V {
    const known = this.kept.get(key);
    if (known?.written === written) return known.value;
    const value = compute();
    this.kept.delete(key);
    if (this.kept.size >= this.size) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, { written, value });
    return value;
  }
}

/**
 * A persistent (immutable, structure-sharing) map from small integer keys to values, iterated in
 * insertion order like a `Map`. `set` returns a new map and leaves the old one intact, as the
 * twin's pure functions need, but costs O(log₃₂ n) — two or three 32-slot nodes copied at 1 000 or
 * 10 000 entries — instead of copying the whole map (`new Map(old)`, O(n) per message).
 *
 * Layout: the values live in a 32-ary trie indexed by insertion slot; `slotOf` (key → slot) and
 * `order` (slot → key) are append-only and shared by every version, each of which sees their first
 * `size` slots. Adding a key appends to them in place when this version is the newest (O(1)); a
 * version that branches from an older one (adds a key after a newer version already added another)
 * copies its own first `size` slots once (O(n)) — the twin's histories never branch.
 */
const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Node<V> = (Node<V> | V | undefined)[];

export class PersistentIntMap<V> implements ReadonlyMap<number, V> {
  private constructor(
    /** key → slot, shared and append-only: a key counts in this version if its slot < `size`. */
    private readonly slotOf: Map<number, number>,
    /** slot → key, shared and append-only. */
    private readonly order: number[],
    readonly size: number,
    private readonly root: Node<V>,
    /** Bits the root's index consumes: the trie holds WIDTH^(shift/BITS + 1) slots. */
    private readonly shift: number,
  ) {}

  static empty<V>(): PersistentIntMap<V> {
    return new PersistentIntMap<V>(new Map(), [], 0, [], 0);
  }

  has(key: number): boolean {
    return this.slot(key) !== undefined;
  }

  get(key: number): V | undefined {
    const slot = this.slot(key);
    return slot === undefined ? undefined : this.at(slot);
  }

  /** A map with `key` set to `value`; this one is unchanged. */
  set(key: number, value: V): PersistentIntMap<V> {
    const known = this.slot(key);
    if (known !== undefined) return new PersistentIntMap(this.slotOf, this.order, this.size, assoc(this.root, this.shift, known, value), this.shift);
    const slot = this.size;
    let root = this.root;
    let shift = this.shift;
    if (slot >= WIDTH ** (shift / BITS + 1)) {
      root = [root];
      shift += BITS;
    }
    let { slotOf, order } = this;
    if (order.length !== slot) {
      // A newer version appended already: this branch gets its own copy of its slots.
      order = order.slice(0, slot);
      slotOf = new Map(order.map((k, i) => [k, i]));
    }
    order.push(key);
    slotOf.set(key, slot);
    return new PersistentIntMap(slotOf, order, slot + 1, assoc(root, shift, slot, value), shift);
  }

  private slot(key: number): number | undefined {
    const s = this.slotOf.get(key);
    return s !== undefined && s < this.size ? s : undefined;
  }

  forEach(fn: (value: V, key: number, map: ReadonlyMap<number, V>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.size; i++) fn.call(thisArg, this.at(i), this.order[i]!, this);
  }

  *entries(): MapIterator<[number, V]> {
    for (let i = 0; i < this.size; i++) yield [this.order[i]!, this.at(i)];
  }

  *keys(): MapIterator<number> {
    for (let i = 0; i < this.size; i++) yield this.order[i]!;
  }

  *values(): MapIterator<V> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }

  [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }

  private at(slot: number): V {
    let node = this.root;
    for (let s = this.shift; s > 0; s -= BITS) node = node[(slot >>> s) & MASK] as Node<V>;
    return node[slot & MASK] as V;
  }
}

/** A copy of the path from `node` down to `slot`, with the leaf set to `value`. */
function assoc<V>(node: Node<V>, shift: number, slot: number, value: V): Node<V> {
  const copy = node.slice();
  const i = (slot >>> shift) & MASK;
  copy[i] = shift === 0 ? value : assoc((node[i] as Node<V> | undefined) ?? [], shift - BITS, slot, value);
  return copy;
}

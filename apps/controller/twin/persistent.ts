/**
 * A persistent (immutable, structure-sharing) map from small integer keys to values, iterated in
 * insertion order like a `Map`. `set` returns a new map and leaves the old one intact, as the
 * twin's pure functions need, but costs O(log₃₂ n) — two or three 32-slot nodes copied at 1 000 or
 * 10 000 entries — instead of copying the whole map (`new Map(old)`, O(n) per message).
 *
 * Layout: the values live in a 32-ary trie indexed by insertion slot; `slotOf` (key → slot) and
 * `order` (slot → key) are shared between versions and copied only when a new key is added, which
 * happens once per key (once per UAV).
 */
const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Node<V> = (Node<V> | V | undefined)[];

export class PersistentIntMap<V> implements ReadonlyMap<number, V> {
  private constructor(
    private readonly slotOf: ReadonlyMap<number, number>,
    private readonly order: readonly number[],
    private readonly root: Node<V>,
    /** Bits the root's index consumes: the trie holds WIDTH^(shift/BITS + 1) slots. */
    private readonly shift: number,
  ) {}

  static empty<V>(): PersistentIntMap<V> {
    return new PersistentIntMap<V>(new Map(), [], [], 0);
  }

  get size(): number {
    return this.order.length;
  }

  has(key: number): boolean {
    return this.slotOf.has(key);
  }

  get(key: number): V | undefined {
    const slot = this.slotOf.get(key);
    return slot === undefined ? undefined : this.at(slot);
  }

  /** A map with `key` set to `value`; this one is unchanged. */
  set(key: number, value: V): PersistentIntMap<V> {
    const known = this.slotOf.get(key);
    if (known !== undefined) return new PersistentIntMap(this.slotOf, this.order, assoc(this.root, this.shift, known, value), this.shift);
    const slot = this.order.length;
    let root = this.root;
    let shift = this.shift;
    if (slot >= WIDTH ** (shift / BITS + 1)) {
      root = [root];
      shift += BITS;
    }
    const slotOf = new Map(this.slotOf).set(key, slot);
    return new PersistentIntMap(slotOf, [...this.order, key], assoc(root, shift, slot, value), shift);
  }

  forEach(fn: (value: V, key: number, map: ReadonlyMap<number, V>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.order.length; i++) fn.call(thisArg, this.at(i), this.order[i]!, this);
  }

  *entries(): MapIterator<[number, V]> {
    for (let i = 0; i < this.order.length; i++) yield [this.order[i]!, this.at(i)];
  }

  *keys(): MapIterator<number> {
    yield* this.order;
  }

  *values(): MapIterator<V> {
    for (let i = 0; i < this.order.length; i++) yield this.at(i);
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

/** Tiny listener set: subscribe returns an unsubscribe; a throwing listener does not stop others. */
export class Listeners<A extends unknown[]> {
  private readonly fns = new Set<(...a: A) => void>();
  constructor(private readonly onListenerError?: (e: unknown) => void) {}
  add(fn: (...a: A) => void): () => void {
    this.fns.add(fn);
    return () => void this.fns.delete(fn);
  }
  emit(...a: A): void {
    for (const fn of this.fns) {
      try {
        fn(...a);
      } catch (e) {
        this.onListenerError?.(e);
      }
    }
  }
  get size(): number {
    return this.fns.size;
  }
}

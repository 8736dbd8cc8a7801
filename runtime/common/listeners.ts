// Callbacks for one kind of event. add() hands back its own unsubscribe, the
// shape Link.onData and Link.onClose promise, so every link, board and
// service subscribes the same way.

export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...a: A) => void>();

  add(l: (...a: A) => void): () => void {
    this.set.add(l);
    return () => {
      this.set.delete(l);
    };
  }

  emit(...a: A): void {
    for (const l of this.set) l(...a);
  }
}

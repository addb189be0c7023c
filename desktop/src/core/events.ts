import type { DeskEvent } from './contract.js';

/** Fans desk events out to every connected window; a failing listener never breaks a write. */
export class Events {
  readonly #listeners = new Set<(e: DeskEvent) => void>();

  on(listener: (e: DeskEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: DeskEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('desk event listener failed', error);
      }
    }
  }
}

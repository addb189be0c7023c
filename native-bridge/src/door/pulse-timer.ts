/** Times a lock's release: a new pulse moves the closing time later, never earlier, and never stacks a second close. */
export class PulseTimer {
  #closeAt = 0;
  #timer: NodeJS.Timeout | null = null;

  get running(): boolean {
    return this.#timer !== null;
  }

  /** Runs `onEnd` once `ms` from now (or at the running pulse's later end); true when this started a pulse rather than extended one. */
  start(ms: number, onEnd: () => void): boolean {
    const started = this.#timer === null;
    const closeAt = Date.now() + ms;
    if (!started && closeAt <= this.#closeAt) return false;
    this.cancel();
    this.#closeAt = closeAt;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#closeAt = 0;
      onEnd();
    }, ms);
    return started;
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#closeAt = 0;
  }
}

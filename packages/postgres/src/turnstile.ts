/**
 * A first-come, first-served lock inside one process. `enter()` resolves with
 * a `leave` function once every earlier holder has left.
 */
export function createTurnstile() {
  let last: Promise<void> = Promise.resolve();
  return {
    enter(): Promise<() => void> {
      let leave!: () => void;
      const left = new Promise<void>((resolve) => {
        leave = resolve;
      });
      const turn = last.then(() => leave);
      last = last.then(() => left);
      return turn;
    },
  };
}

export type Turnstile = ReturnType<typeof createTurnstile>;

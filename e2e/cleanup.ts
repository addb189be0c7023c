/** Runs every clean-up step in turn, the later ones even after one fails, then throws all the failures together. */
export async function cleanUp(what: string, steps: (() => unknown)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) await Promise.resolve().then(step).catch((error: unknown) => errors.push(error));
  if (errors.length > 0) throw new AggregateError(errors, `${what} cleanup failed`);
}

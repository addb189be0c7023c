/** Internal guard for the integer-only inputs of the rules (days, paise, basis points, counts). */
export function assertInteger(value: number, name: string, min?: number): void {
  if (!Number.isSafeInteger(value) || (min !== undefined && value < min)) {
    throw new RangeError(`${name} must be a safe integer${min === undefined ? '' : ` >= ${min}`}, got ${value}`);
  }
}

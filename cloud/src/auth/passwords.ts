import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** argon2id cost (the library's default algorithm). */
export interface Argon2Params {
  /** KiB per hash. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. Tests lower it through `AuthSettings`, never through the environment. */
export const STANDARD_ARGON2: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 10;
/** Bounds the work one request can ask of argon2. */
export const PASSWORD_MAX_LENGTH = 256;

export class PasswordHasher {
  readonly #params: Argon2Params;
  /** Verified against when there is no account, so an unknown login costs what a wrong password does. */
  readonly #dummy: Promise<string>;

  constructor(params: Argon2Params) {
    this.#params = params;
    this.#dummy = this.hash(randomBytes(16).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return hash(password, this.#params);
  }

  /** Whether `password` matches `stored`; with no stored hash it still does the work, then says no. */
  async verify(stored: string | null, password: string): Promise<boolean> {
    const matches = await verify(stored ?? (await this.#dummy), password);
    return stored !== null && matches;
  }
}

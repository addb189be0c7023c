import { TEMPLATE_BYTES } from '../r30x-reader.js';

/**
 * Synthetic fingers for the simulated module. A finger is a random 4,096-bit feature vector; every
 * press flips a few percent of its bits (deterministic noise, seeded by finger and press number), so
 * two presses of one finger differ in roughly 6–25 % of bits and two different fingers in about 50 %.
 * The score turns that distance into numbers like a real module's: about 100–180 for one finger,
 * near 0 for different ones. Not the real R30x template format: the module treats templates as opaque
 * 512-byte files, and only the simulator reads these bits.
 */
/** Search and Match report a hit at or above this score. */
export const MATCH_THRESHOLD = 50;

export interface SyntheticFinger {
  readonly seed: number;
  /** The template of this finger's next press; each press is a little different. */
  press(): Buffer;
}

export function syntheticFinger(seed: number): SyntheticFinger {
  const base = randomBytes(mulberry32(hash(seed, 0x5eed)), TEMPLATE_BYTES);
  let presses = 0;
  return {
    seed,
    press: () => pressTemplate(base, seed, ++presses),
  };
}

function pressTemplate(base: Buffer, seed: number, press: number): Buffer {
  const random = mulberry32(hash(seed, press));
  const flipRate = 0.03 + random() * 0.12;
  const template = Buffer.from(base);
  const bits = TEMPLATE_BYTES * 8;
  for (let flips = Math.round(flipRate * bits); flips > 0; flips--) {
    const bit = Math.floor(random() * bits);
    template[bit >> 3]! ^= 1 << (bit & 7);
  }
  return template;
}

/** 0 for unrelated templates, about 100–180 for two presses of one finger. */
export function matchScore(a: Buffer, b: Buffer): number {
  let differing = 0;
  // Word at a time, assembled by hand: a 1,000-page search then takes a few ms (readUInt32LE is 5x slower).
  for (let i = 0; i < TEMPLATE_BYTES; i += 4) differing += popcount(word(a, i) ^ word(b, i));
  return Math.max(0, Math.round((0.5 - differing / (TEMPLATE_BYTES * 8)) * 400));
}

const word = (t: Buffer, i: number) => t[i]! | (t[i + 1]! << 8) | (t[i + 2]! << 16) | (t[i + 3]! << 24);

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function randomBytes(random: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

function hash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A small seeded PRNG: the same seed gives the same fingers on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

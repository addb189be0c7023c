import { assertInteger } from './assert.js';

/** SAC for gym and fitness-centre services (configurable per gym). */
export const DEFAULT_SAC = '999723';
/** 18%, in basis points (configurable per plan). */
export const DEFAULT_GST_RATE_BPS = 1800;

export type GstSplitInput = {
  /** Non-negative; a credit note splits the positive amount and negates the result. */
  amountPaise: number;
  /** true: the amount already includes tax; false: tax is added on top. */
  inclusive: boolean;
  rateBps: number;
  /** Supplier and place of supply in one state: CGST + SGST; otherwise IGST. */
  intraState: boolean;
};

export type GstSplit = {
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  igstPaise: number;
  taxPaise: number;
  totalPaise: number;
};

const BPS = 10_000n;

/** numerator / denominator rounded half-up, for non-negative operands. */
const divRoundHalfUp = (numerator: bigint, denominator: bigint): bigint =>
  (2n * numerator + denominator) / (2n * denominator);

/**
 * Splits an amount into taxable value and GST, in BigInt so no intermediate product loses precision.
 * Tax is rounded once, on the whole; an intra-state tax is then halved and the odd paisa goes to
 * CGST, so the heads always add up to the total exactly.
 */
export function splitGst({ amountPaise, inclusive, rateBps, intraState }: GstSplitInput): GstSplit {
  assertInteger(amountPaise, 'amountPaise', 0);
  assertInteger(rateBps, 'rateBps', 0);
  const amount = BigInt(amountPaise);
  const rate = BigInt(rateBps);
  const taxable = inclusive ? divRoundHalfUp(amount * BPS, BPS + rate) : amount;
  const tax = inclusive ? amount - taxable : divRoundHalfUp(amount * rate, BPS);
  const total = taxable + tax;
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('GST total exceeds the safe integer range');
  const taxPaise = Number(tax);
  const sgstPaise = intraState ? Math.floor(taxPaise / 2) : 0;
  const cgstPaise = intraState ? taxPaise - sgstPaise : 0;
  return {
    taxablePaise: Number(taxable),
    cgstPaise,
    sgstPaise,
    igstPaise: intraState ? 0 : taxPaise,
    taxPaise,
    totalPaise: Number(total),
  };
}

export type PlaceOfSupplyInput = { memberStateCode: string | null; gymStateCode: string };

const normalizeStateCode = (code: string): string => code.trim().toUpperCase();

/** The member's state when known, else the gym's (DESIGN.md §3). */
export function placeOfSupply({ memberStateCode, gymStateCode }: PlaceOfSupplyInput): string {
  const member = memberStateCode === null ? '' : normalizeStateCode(memberStateCode);
  return member !== '' ? member : normalizeStateCode(gymStateCode);
}

export function isIntraState(input: PlaceOfSupplyInput): boolean {
  return placeOfSupply(input) === normalizeStateCode(input.gymStateCode);
}

import { describe, expect, it } from 'vitest';
import { gstStates, placeOfSupplyLabel } from './gst-states.js';

describe('GST state codes', () => {
  it('labels a place of supply as code-name', () => {
    expect(placeOfSupplyLabel('27')).toBe('27-Maharashtra');
    expect(placeOfSupplyLabel('29')).toBe('29-Karnataka');
    expect(placeOfSupplyLabel('07')).toBe('07-Delhi');
  });

  it('keeps an unknown code as it is rather than inventing a name', () => {
    expect(placeOfSupplyLabel('99')).toBe('99');
  });

  it('has only two-digit codes', () => {
    for (const code of Object.keys(gstStates)) expect(code).toMatch(/^\d{2}$/);
  });
});

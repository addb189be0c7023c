import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyScan, passTokenPrefix } from './scan.js';

describe('classifyScan', () => {
  it('takes anything with the pass prefix as a pass token, trimmed', () => {
    expect(classifyScan(`${passTokenPrefix}AQRkMTIz\r\n`)).toEqual({ kind: 'pass', token: `${passTokenPrefix}AQRkMTIz` });
  });

  it('reads a member code, normalised', () => {
    expect(classifyScan(' d2-1001 ')).toEqual({ kind: 'member_code', code: 'D2-1001', card: null });
  });

  it('offers a code that is also a card number as both', () => {
    expect(classifyScan('0004567890')).toEqual({ kind: 'member_code', code: '0004567890', card: '0004567890' });
  });

  it('reads a card number too long for a member code', () => {
    expect(classifyScan('04a1b2c3d4e5f6a7')).toEqual({ kind: 'card', number: '04A1B2C3D4E5F6A7' });
  });

  it.each(['', '  ', 'AB', 'http://example.com/join', 'GP2.AAAA', 'D2_1001 '])('calls %j unreadable', (read) => {
    expect(classifyScan(read)).toEqual({ kind: 'unreadable' });
  });

  it('never throws, and a read is a pass exactly when it starts with the prefix', () => {
    fc.assert(
      fc.property(fc.string(), (read) => {
        expect(classifyScan(read).kind === 'pass').toBe(read.trim().startsWith(passTokenPrefix));
      }),
    );
  });
});

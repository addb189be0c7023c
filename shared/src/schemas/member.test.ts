import { describe, expect, it } from 'vitest';
import { memberCode } from './member.js';

describe('memberCode', () => {
  it.each([
    ['GS1001', 'GS1001'],
    ['WB1001', 'WB1001'],
    ['D2-1001', 'D2-1001'],
    [' d2-1001 ', 'D2-1001'],
    ['A-1', 'A-1'],
    ['ABC', 'ABC'],
    ['D9999-123456', 'D9999-123456'],
  ])('accepts %j as %s', (input, code) => {
    expect(memberCode.parse(input)).toBe(code);
  });

  it.each(['AB', 'A-', '-AB', 'AB-', 'D2--1001', 'D2-10-01', 'D2_1001', 'D2 1001', 'D99999-123456', 'ABCDEFGHIJKLM', ''])('rejects %j', (input) => {
    const result = memberCode.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^Member code is 3 to 12 letters or digits, with at most one dash/);
  });
});

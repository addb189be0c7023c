import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seal, unseal } from './seal.js';

describe('seal', () => {
  const key = randomBytes(32);

  it('opens what it sealed, and nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.string(), fc.nat(), (bytes, context, flip) => {
        const plaintext = Buffer.from(bytes);
        const sealed = seal(key, plaintext, context);
        expect(unseal(key, sealed, context)).toEqual(plaintext);
        const tampered = Buffer.from(sealed);
        const at = flip % tampered.length;
        tampered[at] = tampered[at]! ^ 1;
        expect(() => unseal(key, tampered, context)).toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('refuses another key or another context', () => {
    const sealed = seal(key, Buffer.from('template'), 'member-1');
    expect(() => unseal(randomBytes(32), sealed, 'member-1')).toThrow();
    expect(() => unseal(key, sealed, 'member-2')).toThrow();
    expect(() => unseal(key, sealed.subarray(0, 20), 'member-1')).toThrow();
  });
});

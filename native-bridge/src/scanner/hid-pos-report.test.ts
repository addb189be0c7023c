import { describe, expect, it } from 'vitest';
import { parseScannedDataReport, ScanAssembler } from './hid-pos-report.js';

/** A report written out byte by byte from the layout in the scanner manuals, not built by our code. */
function report(id: number, length: number, symbology: string, data: string, flags: number): Buffer {
  const bytes = Buffer.alloc(64);
  bytes[0] = id;
  bytes[1] = length;
  bytes.write(symbology, 2, 'latin1');
  bytes.write(data, 5, 'latin1');
  bytes[61] = 0x73; // the vendor's own symbology id, ignored
  bytes[63] = flags;
  return bytes;
}

// The manuals' example: 60 bytes of an Aztec boarding pass split 56 + 4.
const first = 'M1GATHERGOOD/MICHAEL YABCDEF LHRDURAK 3542 052Y003D23  1';
const rest = '3456';

describe('HID POS scanned-data report', () => {
  it('reads the count, AIM id, data and the more-data flag', () => {
    const parsed = parseScannedDataReport(report(0x02, 56, ']z0', first, 0x01));
    expect(parsed).toEqual({ symbology: ']z0', data: Buffer.from(first, 'latin1'), more: true });
  });

  it('takes only the counted data bytes, and no AIM id when the scanner sends none', () => {
    const bytes = report(0x02, 4, '', 'GS1042', 0x00);
    expect(parseScannedDataReport(bytes)).toEqual({ symbology: null, data: Buffer.from('GS10'), more: false });
  });

  it('ignores other report ids and short reports', () => {
    expect(parseScannedDataReport(report(0x04, 6, ']Q1', 'GS1042', 0))).toBeNull();
    expect(parseScannedDataReport(report(0x02, 6, ']Q1', 'GS1042', 0).subarray(0, 63))).toBeNull();
  });

  it('joins a code spread over several reports and emits it with the last one', () => {
    const assembler = new ScanAssembler();
    expect(assembler.push(report(0x02, 56, ']z0', first, 0x01))).toBeNull();
    expect(assembler.push(report(0x02, 4, ']z0', rest, 0x00))).toEqual({ code: first + rest, symbology: ']z0' });
    expect(assembler.push(report(0x02, 6, ']Q1', 'GS1042', 0x00))).toEqual({ code: 'GS1042', symbology: ']Q1' });
  });

  it('keeps a UTF-8 character split between two reports whole', () => {
    const text = `${'a'.repeat(55)}é`;
    const bytes = Buffer.from(text);
    const head = report(0x02, 56, ']Q1', '', 0x01);
    bytes.copy(head, 5, 0, 56);
    const tail = report(0x02, 1, ']Q1', '', 0x00);
    bytes.copy(tail, 5, 56);
    const assembler = new ScanAssembler();
    assembler.push(head);
    expect(assembler.push(tail)?.code).toBe(text);
  });

  it('forgets a half-received code on reset', () => {
    const assembler = new ScanAssembler();
    assembler.push(report(0x02, 56, ']z0', first, 0x01));
    assembler.reset();
    expect(assembler.push(report(0x02, 6, ']Q1', 'GS1042', 0x00))).toEqual({ code: 'GS1042', symbology: ']Q1' });
  });
});

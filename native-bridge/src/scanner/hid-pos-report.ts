import type { Scan } from './code-scanner.js';

/**
 * The scanned-data input report of a USB HID Point-of-Sale barcode scanner (HID POS Usage Tables,
 * usage page 0x8C), as Honeywell, Zebra and Access-IS scanners send it: 64 bytes with the report id.
 *   0      report id, 0x02
 *   1      how many of the data bytes are used (0–56)
 *   2–4    AIM symbology identifier, e.g. `]Q1` for QR (zeros when the scanner sends none)
 *   5–60   data, zero-padded
 *   61     the vendor's own symbology id, 62 reserved (both ignored)
 *   63     bit 0 set: more data follows in the next report (a code longer than 56 bytes)
 */
export const HID_POS_USAGE_PAGE = 0x8c;
/** The "Bar Code Scanner" application collection. */
export const HID_POS_SCANNER_USAGE = 0x02;
export const SCANNED_DATA_REPORT_ID = 0x02;
export const SCANNED_DATA_REPORT_BYTES = 64;
export const LENGTH_OFFSET = 1;
export const SYMBOLOGY_OFFSET = 2;
export const SYMBOLOGY_BYTES = 3;
export const DATA_OFFSET = 5;
export const DATA_BYTES = 56;
export const FLAGS_OFFSET = 63;
export const MORE_DATA_FLAG = 0x01;

interface ScannedDataReport {
  symbology: string | null;
  data: Buffer;
  more: boolean;
}

/** The report's fields, or null for another report id or one too short to be a scanned-data report. */
export function parseScannedDataReport(report: Buffer): ScannedDataReport | null {
  if (report.length < SCANNED_DATA_REPORT_BYTES || report[0] !== SCANNED_DATA_REPORT_ID) return null;
  const symbology = report.subarray(SYMBOLOGY_OFFSET, SYMBOLOGY_OFFSET + SYMBOLOGY_BYTES);
  const length = Math.min(report.readUInt8(LENGTH_OFFSET), DATA_BYTES);
  return {
    symbology: symbology.every((b) => b === 0) ? null : symbology.toString('latin1'),
    data: report.subarray(DATA_OFFSET, DATA_OFFSET + length),
    more: (report.readUInt8(FLAGS_OFFSET) & MORE_DATA_FLAG) !== 0,
  };
}

/** Joins a code's reports: the scan comes out with its last report. */
export class ScanAssembler {
  #parts: Buffer[] = [];
  #symbology: string | null = null;

  /** The finished scan, or null while more reports are due (or the report was not scanned data). */
  push(report: Buffer): Scan | null {
    const parsed = parseScannedDataReport(report);
    if (!parsed) return null;
    if (this.#parts.length === 0) this.#symbology = parsed.symbology;
    this.#parts.push(parsed.data);
    if (parsed.more) return null;
    // Joined before decoding, so a UTF-8 character split across two reports survives.
    const scan = { code: Buffer.concat(this.#parts).toString('utf8'), symbology: this.#symbology };
    this.reset();
    return scan;
  }

  /** Drops a half-received code, e.g. when the scanner is unplugged mid-way. */
  reset(): void {
    this.#parts = [];
    this.#symbology = null;
  }
}

/**
 * The common USB HID relay boards (dcttech "USBRelay1/2/4/8", V-USB ids 16c0:05df). They take an 8-byte
 * feature report with no report id (sent as 9 bytes, report id 0 first) and answer a feature read
 * with bytes 0..4 the board's serial and byte 7 a bitmask of the relays that are on (bit 0 = relay 1).
 */
export const usbRelayVendorId = 0x16c0;
export const usbRelayProductId = 0x05df;
/** The product string names the relay count, e.g. `USBRelay2`. */
export const usbRelayProduct = /^USBRelay(\d)$/;

export const usbRelayCommand = { on: 0xff, off: 0xfd, allOn: 0xfe, allOff: 0xfc } as const;
export type UsbRelayCommand = (typeof usbRelayCommand)[keyof typeof usbRelayCommand];

export const usbRelayReportLength = 9;

/** The feature report for one command: report id 0, the command, the 1-based relay (0 for all-on/off). */
export function usbRelayReport(command: UsbRelayCommand, relay = 0): number[] {
  const report = new Array<number>(usbRelayReportLength).fill(0);
  report[1] = command;
  report[2] = relay;
  return report;
}

export interface UsbRelayState {
  serial: string;
  /** Bit n set = relay n + 1 is on. */
  relaysOn: number;
}

/**
 * Reads a state report. Linux (hidraw) returns the 8 data bytes; Windows puts the report id 0 first,
 * which no serial starts with, so a leading 0 in a 9-byte report is skipped.
 */
export function parseUsbRelayState(report: Buffer): UsbRelayState {
  const data = report.length > 8 && report[0] === 0 ? report.subarray(1) : report;
  if (data.length < 8) throw new Error(`A relay state report has 8 bytes; got ${data.length}`);
  return { serial: data.subarray(0, 5).toString('latin1').replace(/\0+$/, ''), relaysOn: data[7] ?? 0 };
}

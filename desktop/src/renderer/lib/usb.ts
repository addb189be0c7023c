import type { HandlerResult } from '../../core/contract';

export type Ports = HandlerResult<'devices/ports'>;
export type HidDevice = Ports['hid'][number];

/** A serial port or HID device: the serial list gives its ids as hex text, the HID list as numbers. */
interface Port {
  manufacturer: string | null;
  product?: string | null;
  vendorId: string | number | null;
  productId: string | number | null;
}

/** A USB id as `lsusb` prints it: 4 hex digits. */
export const usbIdText = (id: number): string => id.toString(16).padStart(4, '0');

const idText = (id: string | number): string => (typeof id === 'number' ? usbIdText(id) : id.toLowerCase());

/** A device's `vendor:product` ids, as `lsusb` prints them: `10c4:ea60`. */
export const usbIds = (vendorId: string | number, productId: string | number): string => `${idText(vendorId)}:${idText(productId)}`;

/** What is on a port, in words: `Silicon Labs CP2102 (10c4:ea60)`; blank when it reports nothing. */
export function portText({ manufacturer, product = null, vendorId, productId }: Port): string {
  const name = [manufacturer, product].filter(Boolean).join(' ');
  const ids = vendorId !== null && productId !== null ? usbIds(vendorId, productId) : '';
  return name && ids ? `${name} (${ids})` : name || ids;
}

/** HID POS scanners report on usage page 0x8C (Bar Code Scanner). */
export const isPosScanner = (device: HidDevice): boolean => device.usagePage === 0x8c;

/** The common USB HID relay boards share these V-USB ids. */
export const isRelayBoard = (device: HidDevice): boolean => device.vendorId === 0x16c0 && device.productId === 0x05df;

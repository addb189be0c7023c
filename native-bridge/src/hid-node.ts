import type { HidBinding, HidDevice, HidDeviceInfo } from './hid.js';

/**
 * The real HidBinding: node-hid's promise API (`HIDAsync`), loaded on first use so importing the
 * bridge does not load the native module.
 */
export const nodeHidBinding: HidBinding = {
  async devices(): Promise<HidDeviceInfo[]> {
    const hid = await import('node-hid');
    const list = await hid.devicesAsync();
    return list.flatMap((d) =>
      d.path
        ? [
            {
              path: d.path,
              vendorId: d.vendorId,
              productId: d.productId,
              product: d.product,
              manufacturer: d.manufacturer,
              serialNumber: d.serialNumber,
              usagePage: d.usagePage,
              usage: d.usage,
              interface: d.interface,
            },
          ]
        : [],
    );
  },
  async open(path: string): Promise<HidDevice> {
    const hid = await import('node-hid');
    // HIDAsync already has write/sendFeatureReport/getFeatureReport/close and data/error events.
    return hid.HIDAsync.open(path);
  },
};

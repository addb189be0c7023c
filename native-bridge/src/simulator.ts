/** Device simulators for tests and the desk's demo mode: not drivers, never used against real hardware. */
export { R30xModule, type R30xModuleOptions, type ModuleLink, type LedState, type InstructionName, type WirePacket } from './fingerprint/simulator/module.js';
export { syntheticFinger, matchScore, MATCH_THRESHOLD, type SyntheticFinger } from './fingerprint/simulator/fingers.js';
export { pressOnCue } from './fingerprint/simulator/press-on-cue.js';
export { BITS_PER_BYTE, uartResample, PacedLine, connectSerialWire, type SerialWire, type SerialWireOptions } from './fingerprint/simulator/wire.js';
export { mockSerialBinding, MockBinding, type MockSerialOptions } from './fingerprint/simulator/mock-serial.js';
export { startSocatLink, type SocatLink, type SocatLinkOptions } from './fingerprint/simulator/socat.js';
export { SimulatedHidBinding, type SimulatedHidOptions } from './fingerprint/simulator/hid-device.js';
export { HidPosScannerSimulator, scannedDataReports, simulatedScannerInfo } from './scanner/simulator/hid-pos-scanner-device.js';
export * from './door/simulator/hid-relay-board.js';
export * from './door/simulator/tasmota-device.js';
export * from './door/simulator/shelly-device.js';
export * from './door/simulator/mqtt-door-controller.js';

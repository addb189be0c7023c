import { ErrorCode } from '@gymstack/shared';

/** The confirmation codes an R30x module answers with (first payload byte of an ack). */
export const Confirmation = {
  Ok: 0x00,
  PacketError: 0x01,
  NoFinger: 0x02,
  EnrollFailed: 0x03,
  ImageTooMessy: 0x06,
  TooFewFeatures: 0x07,
  NoMatch: 0x08,
  NotFound: 0x09,
  CombineFailed: 0x0a,
  PageOutOfRange: 0x0b,
  ReadTemplateFailed: 0x0c,
  UploadFailed: 0x0d,
  ReceiveDataFailed: 0x0e,
  UploadImageFailed: 0x0f,
  DeleteFailed: 0x10,
  EmptyFailed: 0x11,
  WrongPassword: 0x13,
  InvalidImage: 0x15,
  FlashError: 0x18,
  InvalidRegister: 0x1a,
  WrongAddress: 0x20,
  PasswordRequired: 0x21,
  LibraryFull: 0x1f,
} as const;
export type Confirmation = (typeof Confirmation)[keyof typeof Confirmation];

/** Every confirmation code as a stable device error code and words the desk can show. */
export function confirmationError(code: number): { code: ErrorCode; message: string } {
  switch (code) {
    case Confirmation.NoFinger:
      return { code: ErrorCode.FingerNotDetected, message: 'No finger on the reader' };
    case Confirmation.EnrollFailed:
    case Confirmation.ImageTooMessy:
    case Confirmation.TooFewFeatures:
    case Confirmation.InvalidImage:
      return { code: ErrorCode.FingerImagePoor, message: 'The reader could not read the finger clearly: clean it, press flat and try again' };
    case Confirmation.NoMatch:
    case Confirmation.NotFound:
      return { code: ErrorCode.FingerNoMatch, message: 'Finger not recognised' };
    case Confirmation.CombineFailed:
      return { code: ErrorCode.FingerEnrollMismatch, message: 'The presses were not the same finger: start again with one finger' };
    case Confirmation.PageOutOfRange:
    case Confirmation.ReadTemplateFailed:
      return { code: ErrorCode.FingerPageInvalid, message: 'That template page is empty or outside the reader’s library' };
    case Confirmation.LibraryFull:
      return { code: ErrorCode.FingerLibraryFull, message: 'The reader’s fingerprint library is full' };
    case Confirmation.WrongPassword:
    case Confirmation.PasswordRequired:
      return { code: ErrorCode.DeviceWrongPassword, message: 'The reader refused the password: check the reader password in device settings' };
    case Confirmation.PacketError:
    case Confirmation.ReceiveDataFailed:
    case Confirmation.WrongAddress:
    case Confirmation.InvalidRegister:
      return { code: ErrorCode.DeviceProtocol, message: `The reader did not understand the command (code 0x${hex(code)})` };
    default:
      return { code: ErrorCode.DeviceFailed, message: `The reader reported a fault (code 0x${hex(code)})` };
  }
}

const hex = (n: number) => n.toString(16).padStart(2, '0');

/** The instruction codes this driver sends (first payload byte of a command packet). */
export const Instruction = {
  GenImg: 0x01,
  Img2Tz: 0x02,
  Match: 0x03,
  Search: 0x04,
  RegModel: 0x05,
  Store: 0x06,
  LoadChar: 0x07,
  UpChar: 0x08,
  DownChar: 0x09,
  DeleteChar: 0x0c,
  Empty: 0x0d,
  ReadSysPara: 0x0f,
  VfyPwd: 0x13,
  TemplateNum: 0x1d,
  ReadConList: 0x1f,
  AuraLedConfig: 0x35,
} as const;
export type Instruction = (typeof Instruction)[keyof typeof Instruction];

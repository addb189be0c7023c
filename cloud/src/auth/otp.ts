import type { FastifyBaseLogger } from 'fastify';

export interface OtpMessage {
  gymId: string;
  /** E.164. */
  phone: string;
  code: string;
}

/** Delivers a member's one-time password (an SMS or WhatsApp provider, later). */
export interface OtpSender {
  send(message: OtpMessage): Promise<void>;
}

/** Development: the code goes to the log instead of a phone. */
export class LogOtpSender implements OtpSender {
  readonly #log: FastifyBaseLogger;

  constructor(log: FastifyBaseLogger) {
    this.#log = log;
  }

  async send({ gymId, phone, code }: OtpMessage): Promise<void> {
    this.#log.info({ gymId, phone, code }, 'member OTP (development: not sent)');
  }
}

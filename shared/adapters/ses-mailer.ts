/** Mailer on Amazon SES (SendRawEmail): the AWS twin of the outbox, sending the rendered MIME verbatim. */
import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import type { Mailer, OutgoingMessage, SendResult } from "../ports/index.js";

/**
 * One attempt per SES call. Dangerous to raise: an SDK retry after a timeout can send a digest twice.
 * Throttling and in-doubt sends are handled by shared/delivery/send-protocol.ts, which knows the claims.
 */
export const SES_MAX_ATTEMPTS = 1;
/** A send that has not answered by then is in doubt (the protocol decides what happens next). */
export const SES_REQUEST_TIMEOUT_MS = 15_000;

export interface SesMailerOptions {
  /** SES configuration set: reputation metrics and event destinations for every message. */
  configurationSet?: string;
}

export class SesMailer implements Mailer {
  constructor(
    private readonly options: SesMailerOptions = {},
    private readonly client: SESClient = new SESClient({
      maxAttempts: SES_MAX_ATTEMPTS,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: SES_REQUEST_TIMEOUT_MS },
    }),
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const out = await this.client.send(
      new SendRawEmailCommand({
        Source: message.from,
        Destinations: [message.to],
        RawMessage: { Data: message.raw },
        ConfigurationSetName: this.options.configurationSet,
      }),
    );
    if (!out.MessageId) throw new Error(`SES accepted the message for ${message.to} without a MessageId`);
    return { messageId: out.MessageId };
  }
}

/** Mailer on Amazon SES (SendRawEmail): the AWS twin of the outbox, sending the rendered MIME verbatim. */
import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import type { Mailer, OutgoingMessage, SendResult } from "../ports/index.js";

/** Attempts per SES call; throttling ("Maximum sending rate exceeded") is retried by the SDK with backoff. */
export const SES_MAX_ATTEMPTS = 4;

export interface SesMailerOptions {
  /** SES configuration set: reputation metrics and event destinations for every message. */
  configurationSet?: string;
}

export class SesMailer implements Mailer {
  constructor(
    private readonly options: SesMailerOptions = {},
    private readonly client: SESClient = new SESClient({ maxAttempts: SES_MAX_ATTEMPTS }),
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

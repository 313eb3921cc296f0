/** Mailer on Amazon SES (SendRawEmail): the AWS twin of the outbox, sending the rendered MIME verbatim. */
import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import type { Mailer, OutgoingMessage, SendResult } from "../ports/index.js";

/**
 * One attempt per SES call. Dangerous to raise: an SDK retry after a timeout can send a digest twice.
 * Throttling and in-doubt sends are handled by shared/delivery/send-protocol.ts, which knows the claims.
 */
export const SES_MAX_ATTEMPTS = 1;
/** A send that has not answered by then is in doubt (the protocol decides what happens next). */
export const SES_REQUEST_TIMEOUT_MS = 10_000;
/**
 * The SES client's transport: one attempt, and a request timeout that rejects. Without
 * `throwOnRequestTimeout` @smithy/node-http-handler only logs a warning at the timeout and waits for the socket.
 */
export const SES_CLIENT_CONFIG = {
  maxAttempts: SES_MAX_ATTEMPTS,
  requestHandler: {
    connectionTimeout: 3_000,
    requestTimeout: SES_REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  },
} as const;
/**
 * A per-call abort a little after the request timeout: on AWS the SDK comes from the Lambda runtime, and a
 * runtime whose HTTP handler predates `throwOnRequestTimeout` would otherwise wait. Both end as in doubt.
 */
const SEND_ABORT_MS = SES_REQUEST_TIMEOUT_MS + 2_000;

export interface SesMailerOptions {
  /** SES configuration set: reputation metrics and event destinations for every message. */
  configurationSet?: string;
}

export class SesMailer implements Mailer {
  constructor(
    private readonly options: SesMailerOptions = {},
    private readonly client: SESClient = new SESClient(SES_CLIENT_CONFIG),
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const out = await this.client.send(
      new SendRawEmailCommand({
        Source: message.from,
        Destinations: [message.to],
        RawMessage: { Data: message.raw },
        ConfigurationSetName: this.options.configurationSet,
      }),
      { abortSignal: AbortSignal.timeout(SEND_ABORT_MS) },
    );
    if (!out.MessageId) throw new Error(`SES accepted the message for ${message.to} without a MessageId`);
    return { messageId: out.MessageId };
  }
}

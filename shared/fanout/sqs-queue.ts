/** BatchQueue on Amazon SQS: SendMessageBatch in tens, entries SQS refused retried a few times. */
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { BatchQueue } from "./dispatch.js";

/** SendMessageBatch takes at most ten entries. */
const SQS_BATCH = 10;
const ATTEMPTS = 4;

export class SqsBatchQueue implements BatchQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = new SQSClient({}),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async sendAll(bodies: string[]): Promise<void> {
    for (let start = 0; start < bodies.length; start += SQS_BATCH) {
      let entries = bodies
        .slice(start, start + SQS_BATCH)
        .map((body, i) => ({ Id: String(start + i), MessageBody: body }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const out = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        const senderFault = (out.Failed ?? []).find((f) => f.SenderFault);
        if (senderFault) {
          throw new Error(
            `SQS refused batch message ${senderFault.Id}: ${senderFault.Code} ${senderFault.Message}`,
          );
        }
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0 && attempt >= ATTEMPTS) {
          throw new Error(`SQS did not accept ${entries.length} batch message(s) after ${ATTEMPTS} attempts`);
        }
        if (entries.length > 0) await this.sleep(100 * 2 ** attempt);
      }
    }
  }
}

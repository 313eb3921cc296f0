/** The SQS message that hands one batch of the day's digests to a mail worker. */
import * as z from "zod";

export const BATCH_MESSAGE_VERSION = 1;

export const mailBatchMessageSchema = z
  .object({
    v: z.literal(BATCH_MESSAGE_VERSION),
    /** Run date YYYY-MM-DD. */
    date: z.iso.date(),
    /** 1-based batch number and the number of batches of the run. */
    batch: z.number().int().min(1),
    of: z.number().int().min(1),
    /** Store key of the batch's digests file (the digests file's shape, only this batch's readers). */
    shard: z.string().regex(/^results\/\d{4}-\d{2}-\d{2}\/mail-batches\/\d{5}\.json$/),
    /** Readers in the batch (lower-case e-mail addresses), for the logs and a manual re-drive. */
    subscribers: z.array(z.string().min(3)).min(1),
  })
  .strict();

export type MailBatchMessage = z.infer<typeof mailBatchMessageSchema>;

/** Key of batch `n`'s digests for a date. */
export function batchShardKey(date: string, n: number): string {
  return `results/${date}/mail-batches/${String(n).padStart(5, "0")}.json`;
}

/** Key of batch `n`'s run summary (each batch records its own; the day's summary key is not shared). */
export function batchSummaryKey(date: string, n: number): string {
  return `state/runs/${date}/batch-${String(n).padStart(5, "0")}.json`;
}

/** A message body that is not a mail batch: retrying cannot help, it goes to the dead-letter queue. */
export class MailBatchMessageError extends Error {
  override name = "MailBatchMessageError";
}

/** Parses and validates one SQS body; the error names the field. */
export function parseMailBatchMessage(body: string): MailBatchMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new MailBatchMessageError("mail batch message: not JSON", { cause: error });
  }
  const parsed = mailBatchMessageSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MailBatchMessageError(
      `mail batch message.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

/**
 * SES feedback as delivered by SNS (configuration-set event publishing or identity notifications):
 * permanent bounces and complaints become suppressions, Send events become acceptance records that
 * settle in-doubt deliveries (see shared/delivery/send-protocol.ts).
 */
import * as z from "zod";
import { deliveryKeys } from "../delivery/keys.js";
import { suppressAddress } from "../delivery/suppression.js";
import { subscriberId } from "../domain/subscriber.js";
import type { ObjectStore } from "../ports/index.js";

const recipient = z.looseObject({ emailAddress: z.string().min(3).max(320) });
const mail = z.looseObject({
  messageId: z.string().max(200).optional(),
  destination: z.array(z.string().max(320)).max(50).default([]),
  headers: z
    .array(z.looseObject({ name: z.string(), value: z.string() }))
    .max(500)
    .default([]),
});
const notification = z.looseObject({
  eventType: z.string().optional(),
  notificationType: z.string().optional(),
  mail: mail.optional(),
  bounce: z
    .looseObject({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      feedbackId: z.string().optional(),
      bouncedRecipients: z.array(recipient).max(100).default([]),
    })
    .optional(),
  complaint: z
    .looseObject({
      feedbackId: z.string().optional(),
      complainedRecipients: z.array(recipient).max(100).default([]),
    })
    .optional(),
});

export type SesFeedback =
  | { kind: "bounce"; permanent: boolean; addresses: string[]; detail: string }
  | { kind: "complaint"; addresses: string[]; detail: string }
  | { kind: "send"; date?: string; addresses: string[]; messageId?: string }
  | { kind: "other"; type: string };

/** Parses one SNS message body (a JSON string); undefined when it is not an SES notification. */
export function parseSesNotification(body: string): SesFeedback | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = notification.safeParse(json);
  if (!parsed.success) return undefined;
  const event = parsed.data;
  const type = event.eventType ?? event.notificationType;
  if (!type) return undefined;
  if (type === "Bounce" && event.bounce) {
    const b = event.bounce;
    return {
      kind: "bounce",
      permanent: b.bounceType === "Permanent",
      addresses: b.bouncedRecipients.map((r) => r.emailAddress),
      detail: [b.bounceType, b.bounceSubType, b.feedbackId].filter(Boolean).join(" "),
    };
  }
  if (type === "Complaint" && event.complaint) {
    return {
      kind: "complaint",
      addresses: event.complaint.complainedRecipients.map((r) => r.emailAddress),
      detail: event.complaint.feedbackId ?? "complaint",
    };
  }
  if (type === "Send" && event.mail) {
    const dateHeader = event.mail.headers.find((h) => h.name.toLowerCase() === "x-paperboy-date")?.value;
    const date = dateHeader && /^\d{4}-\d{2}-\d{2}$/.test(dateHeader) ? dateHeader : undefined;
    return {
      kind: "send",
      addresses: event.mail.destination.map(addressOf),
      ...(date ? { date } : {}),
      ...(event.mail.messageId ? { messageId: event.mail.messageId } : {}),
    };
  }
  return { kind: "other", type: type.slice(0, 40) };
}

export interface FeedbackResult {
  suppressed: number;
  accepted: number;
  ignored: number;
}

/** Applies one notification to the store: suppressions for permanent bounces and complaints, acceptance records for sends. */
export async function applySesFeedback(store: ObjectStore, feedback: SesFeedback | undefined, at: Date) {
  const result: FeedbackResult = { suppressed: 0, accepted: 0, ignored: 0 };
  if (!feedback || feedback.kind === "other" || (feedback.kind === "bounce" && !feedback.permanent)) {
    result.ignored++;
    return result;
  }
  if (feedback.kind === "send") {
    if (!feedback.date) {
      result.ignored++;
      return result;
    }
    for (const address of feedback.addresses) {
      const record = {
        at: at.toISOString(),
        ...(feedback.messageId ? { messageId: feedback.messageId } : {}),
      };
      await store.put(deliveryKeys.accepted(feedback.date, subscriberId(address)), JSON.stringify(record));
      result.accepted++;
    }
    return result;
  }
  for (const address of feedback.addresses) {
    await suppressAddress(store, address, {
      reason: feedback.kind,
      at: at.toISOString(),
      detail: feedback.detail,
    });
    result.suppressed++;
  }
  return result;
}

/** "Ada <ada@example.org>" → "ada@example.org". */
function addressOf(value: string): string {
  const match = /<([^<>]+)>\s*$/.exec(value);
  return (match?.[1] ?? value).trim();
}

/** The mail worker's and dispatcher's own environment (beside functions/common's), validated once. */
import * as z from "zod";
import { parseEnvironment } from "../common/env.js";

const fanoutEnvSchema = z.object({
  /** Queue of batch messages (dispatcher only). */
  PAPERBOY_MAIL_QUEUE_URL: z.string().url().optional(),
  /** Workers running at once (event source maxConcurrency = reserved concurrency); set by the construct. */
  PAPERBOY_MAIL_WORKERS: z.coerce.number().int().min(1),
  /** Readers per batch message; set by the construct from the plan. */
  PAPERBOY_MAIL_BATCH_SIZE: z.coerce.number().int().min(1).max(5000),
});
export type FanoutEnv = z.infer<typeof fanoutEnvSchema>;

export function fanoutEnv(env: NodeJS.ProcessEnv = process.env): FanoutEnv {
  return parseEnvironment(fanoutEnvSchema, env);
}

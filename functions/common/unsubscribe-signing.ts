/**
 * What a mail function needs to put the one-click unsubscribe link in each digest: the signing key (Secrets
 * Manager, fetched once per container) and the endpoint (the Function URL, set by the stack). Both come from
 * the environment the stack sets (UnsubscribeEndpoint.grantSigning); with neither, digests go out without links.
 */
import * as z from "zod";
import type { MailDeps } from "../../shared/pipeline/stages.js";
import { unsubscribeKeyFromEnvironment } from "../../shared/unsubscribe/secret-source.js";
import { parseEnvironment } from "./env.js";

const signingEnvSchema = z.object({
  PAPERBOY_UNSUBSCRIBE_SECRET_ARN: z.string().min(1).optional(),
  PAPERBOY_UNSUBSCRIBE_KEY: z.string().min(1).optional(),
  PAPERBOY_UNSUBSCRIBE_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
});

/** The mail stage's unsubscribe dependencies, e.g. `mailStage(config, date, { store, mailer, ...(await unsubscribeSigning()) })`. */
export async function unsubscribeSigning(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Pick<MailDeps, "unsubscribeKey" | "unsubscribeBaseUrl">> {
  const signing = parseEnvironment(signingEnvSchema, env);
  const unsubscribeKey = await unsubscribeKeyFromEnvironment(signing);
  const unsubscribeBaseUrl = signing.PAPERBOY_UNSUBSCRIBE_BASE_URL;
  return {
    ...(unsubscribeKey ? { unsubscribeKey } : {}),
    ...(unsubscribeBaseUrl ? { unsubscribeBaseUrl } : {}),
  };
}

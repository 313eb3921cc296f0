/**
 * The signing key in AWS: an environment variable (tests, emergencies) or a Secrets Manager secret,
 * fetched once per container. Never read from the config file, never logged.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { keyFromSecretString } from "./signing-key.js";

export interface KeyEnvironment {
  /** The key itself (hex, ≥ 32 bytes). */
  PAPERBOY_UNSUBSCRIBE_KEY?: string;
  /** ARN or name of the Secrets Manager secret holding the key. */
  PAPERBOY_UNSUBSCRIBE_SECRET_ARN?: string;
}

let cached: { secret: string; key: Buffer } | undefined;

/** The unsubscribe signing key, or undefined when the environment names none. */
export async function unsubscribeKeyFromEnvironment(
  env: KeyEnvironment,
  client: () => SecretsManagerClient = () => new SecretsManagerClient({}),
): Promise<Buffer | undefined> {
  if (env.PAPERBOY_UNSUBSCRIBE_KEY)
    return keyFromSecretString(env.PAPERBOY_UNSUBSCRIBE_KEY, "PAPERBOY_UNSUBSCRIBE_KEY");
  const secret = env.PAPERBOY_UNSUBSCRIBE_SECRET_ARN;
  if (!secret) return undefined;
  if (cached?.secret === secret) return cached.key;
  const out = await client().send(new GetSecretValueCommand({ SecretId: secret }));
  if (!out.SecretString) throw new Error(`secret ${secret} has no string value`);
  const key = keyFromSecretString(out.SecretString, `secret ${secret}`);
  cached = { secret, key };
  return key;
}

/** Reading a function's environment: a zod schema, and one ConfigError naming the first bad variable. */
import type * as z from "zod";
import { ConfigError } from "../../shared/domain/errors.js";

/** The environment as `schema` reads it; a missing or malformed variable is a ConfigError. */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`environment ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** The config's JSON Schema (for editors), derived from the zod schema so the two never drift. */
import * as z from "zod";
import { configSchema } from "./schema.js";

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: "https://paperboy.example/paperboy.schema.json",
    title: "Paperboy config",
    description: "Sources, topics and subscribers of a Paperboy daily paper digest.",
  };
}

/** Writes paperboy.schema.json (JSON Schema of the config) for editor completion; `--check` fails if it is stale. */
import { readFileSync, writeFileSync } from "node:fs";
import { configJsonSchema } from "../shared/config/json-schema.js";

const file = "paperboy.schema.json";
const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
if (process.argv.includes("--check")) {
  const current = readFileSync(file, "utf8");
  if (current !== text) {
    console.error(`${file} is stale: run npm run config:schema`);
    process.exit(2);
  }
  console.log(`${file} is up to date`);
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}

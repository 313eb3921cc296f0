/** Loads the config file from disk (the imperative shell around parseConfig). */
import { readFileSync } from "node:fs";
import { ConfigError } from "../domain/errors.js";
import { parseConfig } from "./load.js";
import type { PaperboyConfig } from "./schema.js";

export const DEFAULT_CONFIG_FILE = "paperboy.config.yaml";

export function loadConfigFile(file: string = DEFAULT_CONFIG_FILE): PaperboyConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "file not found"
        : code === "EISDIR"
          ? "is a directory"
          : `cannot read (${code ?? "error"})`;
    throw new ConfigError(`${file}: ${reason}`, { cause: error });
  }
  return parseConfig(text, file);
}

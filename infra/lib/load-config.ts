/** Synth-time config: the same validation as `paperboy validate`, and the same one line on failure. */
import { DEFAULT_CONFIG_FILE, loadConfigFile } from "../../shared/config/file.js";
import type { PaperboyConfig } from "../../shared/config/schema.js";
import { UserInputError } from "../../shared/domain/errors.js";
import { type SenderIdentity, senderIdentityOf } from "./constructs/ses-sender.js";

/** The config file the app deploys: `-c config=path`, else $PAPERBOY_CONFIG, else paperboy.config.yaml. */
export function configFileOf(contextValue: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof contextValue === "string" && contextValue.length > 0) return contextValue;
  return env.PAPERBOY_CONFIG || DEFAULT_CONFIG_FILE;
}

export interface DeployConfig {
  file: string;
  config: PaperboyConfig;
  /** The SES identity of `delivery.from`, which the mail function may send as. */
  sender: SenderIdentity;
}

/**
 * Loads and validates the config for a deploy. A user error prints the line `paperboy validate` prints
 * (`paperboy: <file>:<line>:<col>: <path>: <problem>`) and exits 2, so `cdk synth` fails on it.
 */
export function loadConfigForSynth(file: string): DeployConfig {
  try {
    const config = loadConfigFile(file);
    return { file, config, sender: senderIdentityOf(config.delivery.from, file) };
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    process.stderr.write(`paperboy: ${error.message}\n`);
    process.exit(2);
  }
}

#!/usr/bin/env node
/** `paperboy` CLI: run, rank, validate, preview. Exit codes: 0 ok, 2 bad input (one line on stderr), 1 bug. */
import { Command, CommanderError, Option } from "commander";
import { UserInputError } from "../domain/errors.js";
import { previewCommand, rankCommand, runCommand, validateCommand } from "./commands.js";

const program = new Command()
  .name("paperboy")
  .description(
    "A personalized daily research-paper digest: feeds in, tagged and ranked papers, one email per reader out.",
  )
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

const configOption = () => new Option("-c, --config <file>", "config file").default("paperboy.config.yaml");
const feedOption = () =>
  new Option(
    "-f, --feed <fileOrUrl...>",
    "read these feeds (files or URLs) instead of the configured sources",
  );

program
  .command("run")
  .description(
    "the whole pipeline for one date: fetch, tag, personalize, render, deliver (outbox unless --send)",
  )
  .addOption(configOption())
  .addOption(feedOption())
  .option("-d, --date <YYYY-MM-DD>", "run date (default: today in the configured timezone)")
  .option("-o, --out <dir>", "local data root: storage and outbox live under it", ".paperboy")
  .option("--send", "send through Amazon SES instead of writing the outbox", false)
  .option(
    "--threads <n>",
    "worker threads that compose the messages, for long reader lists on many-core machines (default 0: the main thread)",
  )
  .option("-v, --verbose", "structured logs on stderr", false)
  .action(runCommand);

program
  .command("rank")
  .description("dry run: what each reader would get today, and why (sends and writes nothing)")
  .addOption(configOption())
  .addOption(feedOption())
  .option("-d, --date <YYYY-MM-DD>", "date of the configured sources to read (default: today)")
  .option("--json", "print one JSON object", false)
  .action(rankCommand);

program
  .command("validate")
  .description("check the config file")
  .addOption(configOption())
  .action(validateCommand);

program
  .command("preview")
  .description("serve the local digests and archive pages on localhost")
  .option("-o, --out <dir>", "local data root", ".paperboy")
  .option("-p, --port <port>", "port (0 = any free port)", "8025")
  .action(previewCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are successes; anything else commander rejects is bad input (it printed the line).
    return error.exitCode === 0 || error.code === "commander.helpDisplayed" ? 0 : 2;
  }
  if (error instanceof UserInputError) {
    process.stderr.write(`paperboy: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(
    `paperboy: internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}

/** Errors of the domain: user errors print one line and exit 2; anything else is a bug (exit 1). */

/** Bad input from a user (config, feed file, CLI argument): one clear line, naming the file and the place. */
export class UserInputError extends Error {
  override name = "UserInputError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A config file that does not parse or validate. Message: `<file>: <path>: <problem>`. */
export class ConfigError extends UserInputError {
  override name = "ConfigError";
}

/** A feed that cannot be recognized or parsed at all. Message: `<file or url>: <problem>`. */
export class FeedError extends UserInputError {
  override name = "FeedError";
}

/** A feed could not be fetched (network, HTTP status, timeout, size cap). */
export class FetchError extends Error {
  override name = "FetchError";
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

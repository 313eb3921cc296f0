/** Reading feed JSON: malformed JSON as a FeedError naming the origin. */
import { FeedError } from "../domain/errors.js";

/** Parses a JSON feed body; throws FeedError `<origin>: not a recognized feed (malformed JSON: …)`. */
export function readJson(body: string, origin: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FeedError(`${origin}: not a recognized feed (malformed JSON: ${message})`, { cause: error });
  }
}

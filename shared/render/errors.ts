/** Errors of the render module: a bad render context is a caller bug, not a user error. */

/** The render context or message options are unusable (bad date, no sender address). */
export class RenderError extends Error {
  override name = "RenderError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

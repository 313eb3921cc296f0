/** The one storage key layout, shared by the folder store (local) and S3 (AWS). */

export const keys = {
  /** Raw parsed papers of one source for a date. */
  raw: (date: string, source: string) => `raw/${date}/${safeSegment(source)}.json`,
  rawPrefix: (date: string) => `raw/${date}/`,
  /** Merged + tagged papers for a date. */
  tagged: (date: string) => `results/${date}/tagged.json`,
  /** Personalized digests (before rendering) for a date. */
  digests: (date: string) => `results/${date}/digests.json`,
  /** Rendered message for one subscriber. */
  digestEml: (date: string, subscriberId: string) => `digests/${date}/${subscriberId}.eml`,
  digestHtml: (date: string, subscriberId: string) => `digests/${date}/${subscriberId}.html`,
  /** Write-once marker: the digest for this subscriber and date was sent. */
  sentMarker: (date: string, subscriberId: string) => `state/sent/${date}/${subscriberId}.json`,
  /** Run summary for a date. */
  runSummary: (date: string) => `state/runs/${date}.json`,
  archive: (date: string) => `archive/${date}/index.html`,
} as const;

/** A key segment with only [A-Za-z0-9._-]; everything else becomes "_". */
export function safeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || "_";
}

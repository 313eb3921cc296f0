/** The config schema: used by the CLI, the Lambdas and the CDK app at synth time. */
import * as z from "zod";

const arxivCategory = z
  .string()
  .regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, 'expected an arXiv category such as "cs.LG"');

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "expected an http(s) URL");

export const sourceSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("huggingface"),
      /** The HF Daily Papers JSON API; `?date=YYYY-MM-DD` is appended. */
      url: httpUrl
        .default("https://huggingface.co/api/daily_papers")
        .describe("The HF Daily Papers JSON API; `?date=YYYY-MM-DD` is appended."),
      name: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("arxiv"),
      categories: z.array(arxivCategory).min(1),
      /** Also keep "replace" announcements (new versions of older papers). */
      includeReplacements: z.boolean().default(false),
      /** Base of the per-category RSS feeds. */
      url: httpUrl.default("https://rss.arxiv.org/rss/").describe("Base of the per-category RSS feeds."),
      name: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("arxiv-api"),
      /** arXiv API search_query, e.g. "cat:cs.LG AND abs:agent". */
      query: z.string().min(1),
      maxResults: z.number().int().min(1).max(2000).default(200),
      url: httpUrl.default("https://export.arxiv.org/api/query"),
      name: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("rss"),
      url: httpUrl,
      name: z.string().min(1).optional(),
    })
    .strict(),
]);

export const topicSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, "expected lower-case letters, digits, '-' or '_' (e.g. \"agents\")"),
    name: z.string().min(1).describe("The interest in a few words, as a reader would name it."),
    description: z
      .string()
      .default("")
      .describe("One or two sentences describing the interest in plain words."),
    keywords: z
      .array(z.string().min(1))
      .default([])
      .describe("Words or phrases that signal the topic (multi-word phrases are matched as phrases)."),
    /** Papers mentioning any of these phrases are never tagged with this topic. */
    exclude: z
      .array(z.string().min(1))
      .default([])
      .describe("Papers mentioning any of these phrases are never tagged with this topic."),
    /** arXiv ids or titles of papers the reader liked (relevance feedback). */
    examples: z
      .array(z.string().min(1))
      .default([])
      .describe("arXiv ids or titles of papers the reader liked (relevance feedback)."),
  })
  .strict();

export const subscriberSchema = z
  .object({
    email: z.email(),
    name: z.string().min(1).optional(),
    topics: z.array(z.string()).min(1).describe("Topic ids this reader follows."),
    maxPapers: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe("At most this many papers per digest; fewer when fewer are relevant."),
    /** Override of ranking.threshold for this reader (0..1). */
    minScore: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("Override of ranking.threshold for this reader (0..1)."),
  })
  .strict();

export const deliverySchema = z
  .object({
    /** From address; on AWS this identity must be verified in SES. */
    from: z
      .string()
      .min(3)
      .default("Paperboy <digest@paperboy.example>")
      .describe("From address; on AWS this identity must be verified in SES."),
    replyTo: z.email().optional(),
    subjectPrefix: z.string().max(40).default("Paperboy"),
    /** Messages per second, kept under the SES account's maximum send rate. */
    maxSendRate: z
      .number()
      .positive()
      .max(1000)
      .default(10)
      .describe("Messages per second, kept under the SES account's maximum send rate."),
    /** What a reader gets on a day with nothing for them: no email, or a short note saying why. */
    emptyDigest: z
      .enum(["skip", "note"])
      .default("skip")
      .describe("What a reader gets on a day with nothing for them: no email, or a short note saying why."),
    /** Base URL of the archive pages, for the "view in browser" link. */
    archiveBaseUrl: httpUrl.optional(),
    /** Base URL of the unsubscribe endpoint (the deploy sets it to the function URL). */
    unsubscribeBaseUrl: httpUrl
      .optional()
      .describe("Base URL of the unsubscribe endpoint (the deploy sets it to the function URL)."),
  })
  .strict();

export const scheduleSchema = z
  .object({
    /** Local time of day to run, HH:MM (24 h). */
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time "HH:MM" such as "07:30"')
      .default("07:00")
      .describe("Local time of day to run, HH:MM (24 h)."),
    /** IANA timezone of `time`. */
    timezone: z
      .string()
      .refine(isTimeZone, 'expected an IANA timezone such as "Europe/Berlin"')
      .default("UTC")
      .describe("IANA timezone of `time`."),
    /** Days of the week, EventBridge style. */
    days: z
      .string()
      .regex(/^[A-Z,-]+$/, 'expected days such as "MON-FRI"')
      .default("MON-FRI")
      .describe("Days of the week, EventBridge style."),
  })
  .strict();

export const rankingSchema = z
  .object({
    /** Minimum calibrated score (0..1) for a paper to reach a digest. */
    threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("Minimum calibrated score (0..1) for a paper to reach a digest."),
    /** Weight of HF upvotes when ordering papers of similar relevance (0 = ignore). */
    popularityWeight: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("Weight of HF upvotes when ordering papers of similar relevance (0 = ignore)."),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    sources: z.array(sourceSchema).min(1),
    topics: z.array(topicSchema).min(1),
    subscribers: z.array(subscriberSchema).min(1),
    delivery: deliverySchema.default(deliverySchema.parse({})),
    schedule: scheduleSchema.default(scheduleSchema.parse({})),
    ranking: rankingSchema.default({}),
  })
  .strict();

export type PaperboyConfig = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type TopicConfig = z.infer<typeof topicSchema>;
export type SubscriberConfig = z.infer<typeof subscriberSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Reads and validates a config: YAML text → PaperboyConfig, or a ConfigError naming file, line and path. */
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../domain/errors.js";
import { configSchema, type PaperboyConfig } from "./schema.js";

type PathPart = string | number;

/** Validates config text. `file` is only used in messages. Throws ConfigError with one line. */
export function parseConfig(text: string, file: string): PaperboyConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (path: PathPart[]) => locate(doc, lineCounter, file, path);

  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lineCounter.linePos(yamlError.pos[0]);
    const message = yamlError.message.split("\n")[0] ?? "invalid YAML";
    throw new ConfigError(`${file}:${pos.line}:${pos.col}: YAML syntax error: ${message}`);
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    throw new ConfigError(`${file}: the file is empty; expected sources, topics and subscribers`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new ConfigError(`${where(issue.path as PathPart[])}: ${describeIssue(issue)}`);
  }
  const config = parsed.data;
  checkReferences(config, where);
  return config;
}

/** Cross-field rules zod cannot see: unique ids and emails, subscriber topics that exist. */
function checkReferences(config: PaperboyConfig, where: (path: PathPart[]) => string): void {
  const topicIds = new Map<string, number>();
  config.topics.forEach((topic, i) => {
    const first = topicIds.get(topic.id);
    if (first !== undefined) {
      throw new ConfigError(
        `${where(["topics", i, "id"])}: duplicate topic id "${topic.id}" (first at topics[${first}])`,
      );
    }
    topicIds.set(topic.id, i);
  });
  const emails = new Map<string, number>();
  config.subscribers.forEach((subscriber, i) => {
    const email = subscriber.email.toLowerCase();
    const first = emails.get(email);
    if (first !== undefined) {
      throw new ConfigError(
        `${where(["subscribers", i, "email"])}: duplicate email "${subscriber.email}" (first at subscribers[${first}])`,
      );
    }
    emails.set(email, i);
    subscriber.topics.forEach((topicId, j) => {
      if (!topicIds.has(topicId)) {
        throw new ConfigError(
          `${where(["subscribers", i, "topics", j])}: unknown topic ${JSON.stringify(topicId)}`,
        );
      }
    });
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_union":
      return "unknown source type; expected one of huggingface, arxiv, arxiv-api, rss";
    case "invalid_type":
      return /received undefined$/.test(issue.message)
        ? `missing required field (${issue.expected})`
        : issue.message.replace(/^Invalid input: /, "");
    default:
      return issue.message.replace(/^Invalid input: /, "");
  }
}

/** `file:line:col: a.b[0].c` for a path, pointing at the deepest node that exists. */
function locate(
  doc: ReturnType<typeof parseDocument>,
  lc: LineCounter,
  file: string,
  path: PathPart[],
): string {
  const dotted = formatPath(path);
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range && (depth === 0 || isMap(node) || isSeq(node) || node)) {
      const pos = lc.linePos(range[0]);
      return `${file}:${pos.line}:${pos.col}: ${dotted || "(top level)"}`;
    }
  }
  return `${file}: ${dotted || "(top level)"}`;
}

/** ["subscribers", 0, "topics", 1] → "subscribers[0].topics[1]". */
export function formatPath(path: PathPart[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return acc ? `${acc}.${part}` : part;
  }, "");
}

/** HttpFeedFetcher and fetchSources against a real node:http server on 127.0.0.1 serving the fixtures. */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpFeedFetcher, parseRetryAfter } from "../../shared/adapters/http-fetcher.js";
import type { SourceConfig } from "../../shared/config/schema.js";
import { FetchError, UserInputError } from "../../shared/domain/errors.js";
import { fetchSources, loadFeedArg } from "../../shared/sources/fetch-sources.js";

const fixturePath = (name: string) => new URL(`../fixtures/feeds/${name}`, import.meta.url);
const fixture = (name: string) => readFileSync(fixturePath(name));

/** Requests the server saw, by path (query included), with their User-Agent. */
let requests: { url: string; userAgent: string | undefined }[] = [];
const hits = new Map<string, number>();
let server: Server;
let base: string;

/** One canned answer: status, body, Content-Type and extra headers. */
type Answer = [status: number, body: string | Buffer, type?: string, headers?: Record<string, string>];

const RSS = "application/rss+xml";
const latin1Rss = Buffer.from(
  `<rss version="2.0"><channel><title>t</title><item><title>Caf\u00e9</title><link>https://example.org/c</link></item></channel></rss>`,
  "latin1",
);

/** Answers by path; `count` is how many times the path was requested, this one included. */
const answers: Record<string, (url: URL, count: number) => Answer> = {
  "/api/daily_papers": (url) =>
    url.searchParams.get("date") === "2026-08-18"
      ? [200, fixture("hf_daily_papers_api_2026-08-18.json"), "application/json"]
      : [200, "[]", "application/json"],
  "/rss/cs.AI": () => [200, fixture("arxiv_rss2_2026_trimmed_cs_ai.xml"), RSS],
  "/rss/cs.LG": () => [200, fixture("arxiv_rss2_2026_trimmed_cs_lg.xml"), `${RSS}; charset=utf-8`],
  "/api/query": () => [
    200,
    fixture("arxiv_api_atom_2026-04_search_all-testing_10results.xml"),
    "application/atom+xml",
  ],
  "/api/error": () => [200, fixture("arxiv_api_atom_2026-04_id_list_abc_error.xml"), "application/atom+xml"],
  "/html": () => [200, "<!DOCTYPE html><html><body>Login</body></html>", "text/html"],
  "/latin1": () => [200, latin1Rss, `${RSS}; charset=iso-8859-1`],
  "/latin1-declared": () => [
    200,
    Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n'), latin1Rss]),
    RSS,
  ],
  "/429-then-200": (_url, count) =>
    count === 1
      ? [429, "slow down", "text/plain", { "retry-after": "2" }]
      : [200, fixture("arxiv_rss2_2026_trimmed_cs_ai.xml"), RSS],
  "/503-twice": (_url, count) =>
    count <= 2 ? [503, "busy"] : [200, fixture("arxiv_rss2_2026_trimmed_cs_ai.xml"), RSS],
  "/always-500": () => [500, "broken"],
};

/** Misbehaving servers: they write (or do not write) by hand. */
const misbehaviours: Record<string, (res: ServerResponse) => void> = {
  "/hang": () => {}, // never answers
  "/stall-body": (res) => {
    res.writeHead(200, { "content-type": RSS });
    res.write("<rss>"); // then nothing
  },
  "/huge-streamed": (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    for (let i = 0; i < 64; i++) res.write("x".repeat(1024));
    res.end();
  },
  "/huge-declared": (res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) });
    res.write("[");
  },
};

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const count = (hits.get(url.pathname) ?? 0) + 1;
  hits.set(url.pathname, count);
  const misbehave = misbehaviours[url.pathname];
  if (misbehave) {
    misbehave(res);
    return;
  }
  const answer = answers[url.pathname];
  const [status, body, type = "text/plain", headers = {}] = answer ? answer(url, count) : [404, "not here"];
  res.writeHead(status, { "content-type": type, ...headers });
  res.end(body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? "", userAgent: req.headers["user-agent"] });
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests = [];
  hits.clear();
});

/** A fetcher whose waits are recorded, not slept. */
function testFetcher(options: ConstructorParameters<typeof HttpFeedFetcher>[0] = {}) {
  const waits: number[] = [];
  const fetcher = new HttpFeedFetcher({
    timeoutMs: 2_000,
    maxBytes: 1024 * 1024,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { fetcher, waits };
}

describe("HttpFeedFetcher", () => {
  it("fetches a feed with a descriptive User-Agent", async () => {
    // Prepare
    const { fetcher } = testFetcher();
    // Act
    const feed = await fetcher.fetch(`${base}/rss/cs.AI`);
    // Assess
    expect(feed.status).toBe(200);
    expect(feed.contentType).toBe("application/rss+xml");
    expect(feed.body).toBe(fixture("arxiv_rss2_2026_trimmed_cs_ai.xml").toString("utf8"));
    expect(requests[0]?.userAgent).toMatch(/^Paperboy\/\S+ \(/);
  });

  it.each([
    ["the Content-Type names", "/latin1"],
    ["the XML declaration names (no charset in the Content-Type)", "/latin1-declared"],
  ])("decodes the charset %s", async (_name, path) => {
    // Act
    const feed = await testFetcher().fetcher.fetch(`${base}${path}`);
    // Assess
    expect(feed.body).toContain("<title>Café</title>");
  });

  it.each([
    ["404 is not retried", "/nowhere", 404, 1, /HTTP 404 Not Found$/],
    [
      "500 every time gives up after 3 attempts",
      "/always-500",
      500,
      3,
      /HTTP 500 Internal Server Error \(after 3 attempts\)$/,
    ],
  ])("%s", async (_name, path, status, attempts, message) => {
    // Prepare
    const { fetcher } = testFetcher();
    // Act
    const error = await fetcher.fetch(`${base}${path}`).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).status).toBe(status);
    expect((error as FetchError).message).toMatch(message);
    expect((error as FetchError).message.startsWith(`${base}${path}: `)).toBe(true);
    expect(hits.get(path)).toBe(attempts);
  });

  it("429 then 200: waits what Retry-After says, then succeeds", async () => {
    // Prepare
    const { fetcher, waits } = testFetcher();
    // Act
    const feed = await fetcher.fetch(`${base}/429-then-200`);
    // Assess
    expect(feed.status).toBe(200);
    expect(waits).toEqual([2000]);
    expect(hits.get("/429-then-200")).toBe(2);
  });

  it("Retry-After is capped by maxDelayMs", async () => {
    // Prepare
    const { fetcher, waits } = testFetcher({ maxDelayMs: 500 });
    // Act
    await fetcher.fetch(`${base}/429-then-200`);
    // Assess
    expect(waits).toEqual([500]);
  });

  it("503 twice then 200: exponential backoff with full jitter", async () => {
    // Prepare
    const { fetcher, waits } = testFetcher({ baseDelayMs: 100 });
    // Act
    const feed = await fetcher.fetch(`${base}/503-twice`);
    // Assess
    expect(feed.status).toBe(200);
    // random() = 0.5 of the steps 100·2⁰ and 100·2¹.
    expect(waits).toEqual([50, 100]);
    expect(hits.get("/503-twice")).toBe(3);
  });

  it("a server that never answers times out on every attempt", async () => {
    // Prepare
    const { fetcher } = testFetcher({ timeoutMs: 200, retries: 1 });
    const started = Date.now();
    // Act
    const error = await fetcher.fetch(`${base}/hang`).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(FetchError);
    expect((error as Error).message).toBe(
      `${base}/hang: no complete answer within 200 ms (after 2 attempts)`,
    );
    expect(hits.get("/hang")).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a body that stalls after the headers times out too", async () => {
    // Prepare
    const { fetcher } = testFetcher({ timeoutMs: 200, retries: 0 });
    // Act
    const error = await fetcher.fetch(`${base}/stall-body`).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(FetchError);
    expect((error as Error).message).toBe(`${base}/stall-body: no complete answer within 200 ms`);
  });

  it.each([
    ["streamed past the cap", "/huge-streamed"],
    ["declared over the cap", "/huge-declared"],
  ])("a body %s is refused and not retried", async (_name, path) => {
    // Prepare
    const { fetcher } = testFetcher({ maxBytes: 16 * 1024 });
    // Act
    const error = await fetcher.fetch(`${base}${path}`).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(FetchError);
    expect((error as Error).message).toBe(`${base}${path}: response larger than the 16384-byte limit`);
    expect(hits.get(path)).toBe(1);
  });

  it("a refused connection is a network error, retried", async () => {
    // Prepare: a port nothing listens on (the server's own, after a fresh listen/close).
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const { fetcher, waits } = testFetcher({ retries: 1 });
    // Act
    const error = await fetcher.fetch(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(FetchError);
    expect((error as Error).message).toMatch(/: network error: .*ECONNREFUSED.*\(after 2 attempts\)$/);
    expect(waits).toHaveLength(1);
  });

  it("refuses non-http URLs without fetching", async () => {
    await expect(testFetcher().fetcher.fetch("file:///etc/passwd")).rejects.toThrow(/not an http\(s\) URL/);
  });

  it.each([
    ["120", 120_000],
    ["0", 0],
    ["Thu, 26 Nov 2026 12:00:10 GMT", 10_000],
    ["soon", undefined],
    [null, undefined],
  ])("parseRetryAfter(%j) → %j ms", (value, expected) => {
    expect(parseRetryAfter(value, Date.parse("2026-11-26T12:00:00Z"))).toBe(expected);
  });
});

describe("fetchSources", () => {
  it("builds the URLs, fetches concurrently, and one failing source does not stop the others", async () => {
    // Prepare
    const sources: SourceConfig[] = [
      { type: "huggingface", url: `${base}/api/daily_papers` },
      { type: "arxiv", categories: ["cs.AI", "cs.LG"], includeReplacements: false, url: `${base}/rss/` },
      { type: "rss", url: `${base}/gone.xml`, name: "lab blog" },
      { type: "arxiv-api", query: "cat:cs.LG AND abs:agent", maxResults: 50, url: `${base}/api/query` },
    ];
    const { fetcher } = testFetcher();
    // Act
    const results = await fetchSources(sources, fetcher, "2026-08-18");
    // Assess
    expect(results.map((r) => [r.source, r.ok, r.result?.papers.length ?? r.error])).toEqual([
      ["huggingface", true, 29],
      ["arxiv:cs.AI", true, 3],
      ["arxiv:cs.LG", true, 3],
      ["lab blog", false, `${base}/gone.xml: HTTP 404 Not Found`],
      ["arxiv-api", true, 10],
    ]);
    expect(results[1]?.result?.papers[0]?.sources).toEqual(["arxiv:cs.AI"]);
    expect(requests.map((r) => r.url).sort()).toEqual(
      [
        "/api/daily_papers?date=2026-08-18",
        "/api/query?search_query=cat%3Acs.LG+AND+abs%3Aagent&sortBy=submittedDate&sortOrder=descending&start=0&max_results=50",
        "/gone.xml",
        "/rss/cs.AI",
        "/rss/cs.LG",
      ].sort(),
    );
  });

  it("one failing source among three: unparseable and API-error answers become one-line errors", async () => {
    // Prepare
    const sources: SourceConfig[] = [
      { type: "rss", url: `${base}/html`, name: "a" },
      { type: "arxiv", categories: ["cs.AI"], includeReplacements: false, url: `${base}/rss` },
      { type: "arxiv-api", query: "id_list=abc", maxResults: 1, url: `${base}/api/error`, name: "c" },
    ];
    // Act
    const results = await fetchSources(sources, testFetcher().fetcher, "2026-08-18");
    // Assess
    expect(results.map((r) => [r.source, r.ok])).toEqual([
      ["a", false],
      ["arxiv:cs.AI", true],
      ["c", false],
    ]);
    expect(results[0]?.error).toBe(`${base}/html: not a recognized feed (an HTML page)`);
    expect(results[2]?.error).toMatch(/: the arXiv API answered with an error: incorrect id format for abc$/);
    for (const r of results) expect(r.error ?? "").not.toContain("\n");
  });

  it("a bad date is a UserInputError", async () => {
    await expect(fetchSources([], testFetcher().fetcher, "18/08/2026")).rejects.toBeInstanceOf(
      UserInputError,
    );
  });
});

describe("loadFeedArg", () => {
  it("fetches an http(s) argument and names the source from the feed", async () => {
    // Act
    const result = await loadFeedArg(`${base}/rss/cs.LG`, testFetcher().fetcher);
    // Assess
    expect(result).toMatchObject({ source: "arxiv:cs.LG", url: `${base}/rss/cs.LG`, ok: true });
    expect(result.result?.papers).toHaveLength(3);
  });

  it("reads a local file (no type: recognized by content)", async () => {
    // Prepare
    const path = fixturePath("hf_daily_papers_api_2024-05-27.json").pathname;
    // Act
    const result = await loadFeedArg(path, testFetcher().fetcher);
    // Assess
    expect(result).toMatchObject({ source: "huggingface", ok: true });
    expect(result.result?.papers).toHaveLength(13);
    expect(requests).toEqual([]);
  });

  it("a missing file is a UserInputError naming the file", async () => {
    // Act
    const loading = loadFeedArg("no/such/feed.xml", testFetcher().fetcher);
    // Assess
    await expect(loading).rejects.toBeInstanceOf(UserInputError);
    await expect(loading).rejects.toThrow("no/such/feed.xml: cannot read the feed file (no such file)");
  });

  it("a URL that fails comes back ok: false with the reason", async () => {
    // Act
    const result = await loadFeedArg(`${base}/nowhere.xml`, testFetcher().fetcher);
    // Assess
    expect(result).toEqual({
      source: `${base}/nowhere.xml`,
      url: `${base}/nowhere.xml`,
      ok: false,
      error: `${base}/nowhere.xml: HTTP 404 Not Found`,
    });
  });
});

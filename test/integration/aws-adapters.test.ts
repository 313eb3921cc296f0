/** S3Store and SesMailer against a real local S3 and SES (moto_server): write-once, 404s, lists, raw MIME kept verbatim. */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateConfigurationSetCommand, SESClient, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3_CLIENT_CONFIG, S3Store } from "../../shared/adapters/s3-store.js";
import { SES_CLIENT_CONFIG, SesMailer } from "../../shared/adapters/ses-mailer.js";
import { classifyFailure } from "../../shared/delivery/failures.js";
import { type MotoServer, startMoto } from "../support/moto.js";

let moto: MotoServer;
let store: S3Store;
let ses: SESClient;

beforeAll(async () => {
  moto = await startMoto();
  const s3 = new S3Client(moto.clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: "adapters" }));
  store = new S3Store("adapters", s3);
  ses = new SESClient(moto.clientConfig);
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

describe("S3Store", () => {
  it("reads back what it wrote, and undefined for a missing key", async () => {
    await store.put("results/2026-08-18/tagged.json", '{"a":1}', "application/json");
    expect((await store.get("results/2026-08-18/tagged.json"))?.toString("utf8")).toBe('{"a":1}');
    expect(await store.get("results/2026-08-18/missing.json")).toBeUndefined();
  });

  it("writes once: a second putIfAbsent is false and leaves the first body", async () => {
    expect(await store.putIfAbsent("state/sent/d/a.json", "first")).toBe(true);
    expect(await store.putIfAbsent("state/sent/d/a.json", "second")).toBe(false);
    expect((await store.get("state/sent/d/a.json"))?.toString("utf8")).toBe("first");
  });

  it("lets exactly one of several racing putIfAbsent calls win", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store.putIfAbsent("state/claims/d/x/1.claim.json", `run ${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("lists keys under a prefix, sorted, and nothing else", async () => {
    for (const name of ["b", "a", "c"]) await store.put(`raw/2026-08-18/${name}.json`, "{}");
    await store.put("raw/2026-08-19/a.json", "{}");
    expect(await store.list("raw/2026-08-18/")).toEqual([
      "raw/2026-08-18/a.json",
      "raw/2026-08-18/b.json",
      "raw/2026-08-18/c.json",
    ]);
    expect(await store.list("nothing/")).toEqual([]);
  });
});

describe("SesMailer", () => {
  const raw = Buffer.from(
    [
      "From: Paperboy <digest@adapters.example>",
      "To: ada@example.org",
      "Subject: Paperboy test",
      "X-Paperboy-Date: 2026-08-18",
      "List-Unsubscribe: <https://paperboy.example/u/abc>",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hello Ada",
      "",
    ].join("\r\n"),
  );

  it("is refused for an unverified sender", async () => {
    const mailer = new SesMailer({}, ses);
    await expect(
      mailer.send({ from: "Paperboy <digest@adapters.example>", to: "ada@example.org", raw, id: "x" }),
    ).rejects.toThrow();
  });

  it("sends the raw MIME verbatim, custom headers included, through the configuration set", async () => {
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: "digest@adapters.example" }));
    await ses.send(new CreateConfigurationSetCommand({ ConfigurationSet: { Name: "adapters" } }));
    const mailer = new SesMailer({ configurationSet: "adapters" }, ses);
    const result = await mailer.send({
      from: "Paperboy <digest@adapters.example>",
      to: "ada@example.org",
      raw,
      id: "ada",
    });
    const data = (await (await fetch(`${moto.endpoint}/moto-api/data.json`)).json()) as {
      ses: { RawMessage: { id: string; raw_data: string; destinations: string[] }[] };
    };
    const stored = data.ses.RawMessage.find((m) => m.id === result.messageId);
    expect(stored?.raw_data).toBe(raw.toString("utf8"));
    expect(stored?.destinations).toContain("ada@example.org");
  });
});

describe("SDK transport against a server that never answers", () => {
  it("SES: one request, then a TimeoutError the send protocol reads as in doubt", async () => {
    // Prepare: a server that accepts and never responds.
    let requests = 0;
    const silent = createServer(() => {
      requests += 1;
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    const client = new SESClient({
      ...moto.clientConfig,
      endpoint: `http://127.0.0.1:${port}`,
      ...SES_CLIENT_CONFIG,
      requestHandler: { ...SES_CLIENT_CONFIG.requestHandler, requestTimeout: 300 },
    });
    try {
      // Act
      const started = Date.now();
      const error: unknown = await new SesMailer({}, client)
        .send({ from: "digest@adapters.example", to: "ada@example.org", raw: Buffer.from("x"), id: "x" })
        .catch((e: unknown) => e);
      // Assess
      expect((error as Error).name).toBe("TimeoutError");
      expect(classifyFailure(error)).toBe("in-doubt");
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(requests).toBe(1);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("S3 and SES clients are built with throwOnRequestTimeout and a request timeout", () => {
    for (const config of [S3_CLIENT_CONFIG, SES_CLIENT_CONFIG]) {
      expect(config.requestHandler).toMatchObject({ requestTimeout: 10_000, throwOnRequestTimeout: true });
    }
    expect(SES_CLIENT_CONFIG.maxAttempts).toBe(1);
  });
});

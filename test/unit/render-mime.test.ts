import libmime from "libmime";
import { simpleParser } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import mimeFuncs from "nodemailer/lib/mime-funcs/index.js";
import { describe, expect, it } from "vitest";
import { buildMessage, createDigestRenderer } from "../../shared/render/index.js";
import { hfDayPapers, sampleDigest, sampleTopics } from "../support/browser.js";

const FROM = "Paperboy <digest@paperboy.example>";
const SENT_AT = new Date("2026-08-18T07:00:00Z");

const SHORT_LINK = "https://paperboy.example/u?t=abc";
// As unsubscribeLinker makes them: longer than a quoted-printable line, with "=" and "&".
const LONG_LINK =
  "https://unsubscribe.paperboy.example/u?s=ana-example.org-1a2b3c4d5e&sig=AbC_dEf-1234567890123456789012345678901234567";

function rendered(title?: string, unsubscribeUrl = SHORT_LINK) {
  const papers = hfDayPapers().slice(0, 5);
  const first = papers[0];
  if (first && title) first.title = title;
  const renderer = createDigestRenderer({
    date: "2026-08-18",
    topics: sampleTopics,
    from: FROM,
    subjectPrefix: "Paperboy",
  });
  const digest = sampleDigest(papers, ["agents", "vision", "reasoning"], 5);
  return { digest, out: renderer.render(digest, { unsubscribeUrl }) };
}

describe("buildMessage", () => {
  it("builds a multipart/alternative UTF-8 message with exactly the expected headers", async () => {
    // Prepare
    const { digest, out } = rendered();

    // Act
    const raw = await buildMessage(out, {
      from: FROM,
      to: "Ana <ana@example.org>",
      replyTo: "editor@paperboy.example",
      date: "2026-08-18",
      sentAt: SENT_AT,
      unsubscribeUrl: "https://paperboy.example/u?t=abc",
    });
    const mail = await simpleParser(raw);

    // Assess
    expect([...mail.headers.keys()].sort()).toEqual(
      [
        "content-type",
        "date",
        "from",
        "list", // mailparser folds List-Unsubscribe and List-Unsubscribe-Post into one "list" entry
        "message-id",
        "mime-version",
        "reply-to",
        "subject",
        "to",
        "x-paperboy-date",
      ].sort(),
    );
    expect(mail.subject).toBe(out.subject);
    expect(mail.from?.value).toEqual([{ name: "Paperboy", address: "digest@paperboy.example" }]);
    expect(mail.replyTo?.value).toEqual([{ name: "", address: "editor@paperboy.example" }]);
    expect(mail.date?.toISOString()).toBe(SENT_AT.toISOString());
    expect(mail.messageId).toMatch(/^<digest\.2026-08-18\.[0-9a-f]{24}@paperboy\.example>$/);
    expect(mail.headers.get("x-paperboy-date")).toBe("2026-08-18");
    expect(raw.toString("latin1")).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(raw.toString("latin1")).toMatch(/^List-Unsubscribe: <https:\/\/paperboy\.example\/u\?t=abc>\r$/m);
    expect(raw.toString("latin1")).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(mail.html).toBe(out.html);
    expect(mail.text).toBe(out.text);
    for (const item of digest.items) {
      expect(mail.html).toContain(item.paper.title.replace(/&/g, "&amp;"));
      expect(mail.text).toContain(item.paper.title);
    }
  });

  it("keeps a stable Message-ID per date and recipient, and uses a given one", async () => {
    const { out } = rendered();
    const base = { from: FROM, date: "2026-08-18", sentAt: SENT_AT };
    const [a, b, c, d] = await Promise.all([
      buildMessage(out, { ...base, to: "ana@example.org" }),
      buildMessage(out, { ...base, to: "ANA@example.org" }),
      buildMessage(out, { ...base, to: "bo@example.org" }),
      buildMessage(out, { ...base, to: "bo@example.org", messageId: "custom.1@paperboy.example" }),
    ]);
    const ids = await Promise.all([a, b, c, d].map(async (raw) => (await simpleParser(raw)).messageId));
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[3]).toBe("<custom.1@paperboy.example>");
  });

  it("folds To lines around the 76-character limit exactly as nodemailer does", async () => {
    const { out } = rendered();
    for (const length of [74, 75, 76, 77, 78, 120]) {
      const address = `${"r".repeat(length - "To: @example.org".length)}@example.org`;
      const raw = (
        await buildMessage(out, { from: FROM, to: address, date: "2026-08-18", sentAt: SENT_AT })
      ).toString("latin1");
      const head = raw.slice(0, raw.indexOf("\r\n\r\n"));
      expect(`To: ${address}`).toHaveLength(length);
      expect(head, `To line of ${length}`).toContain(`\r\n${mimeFuncs.foldLines(`To: ${address}`, 76)}\r\n`);
      expect((await simpleParser(raw)).to).toMatchObject({ text: address });
    }
  });

  it("leaves List-Unsubscribe out without an unsubscribe URL and with a non-http one", async () => {
    const { out } = rendered();
    for (const unsubscribeUrl of [undefined, "javascript:alert(1)"]) {
      const raw = await buildMessage(out, {
        from: FROM,
        to: "ana@example.org",
        date: "2026-08-18",
        unsubscribeUrl,
      });
      const mail = await simpleParser(raw);
      expect(mail.headers.has("list")).toBe(false);
      expect(raw.toString("latin1")).not.toMatch(/^List-/m);
    }
  });

  it("lets no CR/LF from titles, names or headers start a new header", async () => {
    // Prepare
    const { out } = rendered("Great paper\r\nBcc: victim@example.org\r\nX-Evil: 1");

    // Act
    const raw = await buildMessage(out, {
      from: "Paper\r\nBcc: a@example.org <digest@paperboy.example>",
      to: "Ana\r\nBcc: b@example.org <ana@example.org>",
      date: "2026-08-18",
      headers: { "X-Campaign": "daily\r\nBcc: c@example.org" },
    });
    const mail = await simpleParser(raw);

    // Assess
    const headerBlock = raw.toString("latin1").split("\r\n\r\n")[0] ?? "";
    expect(headerBlock).not.toMatch(/^(Bcc|X-Evil):/im);
    expect(mail.headers.has("bcc")).toBe(false);
    expect(mail.headers.has("x-evil")).toBe(false);
    expect(mail.to && "value" in mail.to ? mail.to.value.map((v) => v.address) : []).toEqual([
      "ana@example.org",
    ]);
    expect(mail.subject).toContain("Great paper Bcc: victim@example.org X-Evil: 1");
    expect(mail.headers.get("x-campaign")).toBe("daily Bcc: c@example.org");
  });

  it.each([
    [{ to: "a@example.org, b@example.org" }, /to must be one e-mail address/],
    [{ to: "not an address" }, /to must be one e-mail address/],
    [{ headers: { Bcc: "x@example.org" } }, /header name "Bcc" is not allowed/],
    [{ headers: { "Bad Header": "x" } }, /is not allowed/],
    [{ date: "18/08/2026" }, /YYYY-MM-DD/],
  ])("rejects %j", async (override, message) => {
    const { out } = rendered();
    await expect(
      buildMessage(out, { from: FROM, to: "ana@example.org", date: "2026-08-18", ...override }),
    ).rejects.toThrow(message);
  });
});

describe("buildMessage against nodemailer's MailComposer", () => {
  // The reference: the same message composed by MailComposer (streams, its own framing), as Paperboy
  // did before. Both are read back by mailparser and must say the same thing.
  async function reference(out: { subject: string; html: string; text: string }, opts: MessageOpts) {
    const sentAt = opts.sentAt ?? new Date(0);
    const headers: Record<string, string> = { "X-Paperboy-Date": opts.date };
    for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name] = value;
    if (opts.unsubscribeUrl) {
      headers["List-Unsubscribe"] = `<${opts.unsubscribeUrl}>`;
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }
    const composer = new MailComposer({
      from: opts.from,
      to: opts.to,
      ...(opts.replyTo ? { replyTo: opts.replyTo } : {}),
      subject: out.subject,
      text: out.text,
      html: out.html,
      date: sentAt,
      messageId: opts.messageId,
      headers,
      textEncoding: "base64",
    });
    return composer.compile().build();
  }
  type MessageOpts = Parameters<typeof buildMessage>[1] & { messageId: string };

  const cases: [string, string | undefined, Partial<MessageOpts>][] = [
    ["plain", undefined, {}],
    [
      "accents and dashes",
      "Ünïcode — “quoted” titles, ≤ 10× faster: a study",
      { to: "Zoë Ö <zoe@example.org>" },
    ],
    [
      "a long subject",
      `${"A very long title that goes on ".repeat(8)}end`,
      { replyTo: "Desk <desk@example.org>" },
    ],
    ["emoji and CJK", "🚀 大規模言語モデル for agents", { from: "Paperboy 📰 <digest@paperboy.example>" }],
    ["extra headers", undefined, { headers: { "X-Campaign": "daily digest ✓" } }],
    ["a long unsubscribe link", undefined, { unsubscribeUrl: LONG_LINK }],
  ];

  it.each(cases)("%s: same headers, subject, addresses and parts", async (_name, title, override) => {
    // Prepare
    const { out } = rendered(title, override.unsubscribeUrl);
    const opts: MessageOpts = {
      from: FROM,
      to: "ana@example.org",
      date: "2026-08-18",
      sentAt: SENT_AT,
      messageId: "digest.1@paperboy.example",
      unsubscribeUrl: "https://paperboy.example/u?t=abc",
      ...override,
    };

    // Act
    const [ours, theirs] = await Promise.all([buildMessage(out, opts), reference(out, opts)]);
    const [a, b] = await Promise.all([simpleParser(ours), simpleParser(theirs)]);

    // Assess
    const comparable = (mail: typeof a) =>
      [...mail.headers]
        .filter(([key]) => key !== "content-type")
        .map(([key, value]) => [
          key,
          typeof value === "string" ? libmime.decodeWords(value) : JSON.stringify(value),
        ])
        .sort();
    expect(comparable(a)).toEqual(comparable(b));
    expect(a.subject).toBe(out.subject);
    expect(a.html).toBe(b.html);
    expect(a.text).toBe(b.text);
    expect(a.html).toBe(out.html);
    expect(a.text).toBe(out.text);
    // The link reads whole in both parts, however the encoding split it.
    expect(a.text).toContain(`Unsubscribe: ${opts.unsubscribeUrl}\n`);
    expect(a.html).toContain(`href="${(opts.unsubscribeUrl ?? "").replaceAll("&", "&amp;")}"`);
    const raw = ours.toString("latin1");
    expect(raw).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(998);
    const body = raw.slice(raw.indexOf("\r\n\r\n") + 4);
    for (const line of body.split("\r\n")) expect(line.length).toBeLessThanOrEqual(76);
  });

  it("reads long ASCII why-lines back whole, folded by the encoder", async () => {
    // Prepare: why-lines longer than a quoted-printable line, with spaces, "=" and "-" where folds fall.
    const papers = hfDayPapers().slice(0, 4);
    const digest = sampleDigest(papers, ["agents", "vision"], 4);
    const whys = [
      `Agents: title mentions ${"tool use and planning ".repeat(6)}end.`,
      `${"a".repeat(59)} ${"b".repeat(59)} -dash =equals ${"c".repeat(70)}`,
      "Short one.",
      `${"x=".repeat(45)}-${" y".repeat(40)}`,
    ];
    digest.items.forEach((item, i) => {
      item.why = whys[i] ?? "";
    });
    const out = createDigestRenderer({
      date: "2026-08-18",
      topics: sampleTopics,
      from: FROM,
      subjectPrefix: "Paperboy",
    }).render(digest, { unsubscribeUrl: LONG_LINK });

    // Act
    const raw = await buildMessage(out, { from: FROM, to: "ana@example.org", date: "2026-08-18" });
    const mail = await simpleParser(raw);

    // Assess
    expect(mail.text).toBe(out.text);
    expect(mail.html).toBe(out.html);
    for (const why of whys) expect(mail.text).toContain(`Why: ${why}\n`);
    const body = raw.toString("latin1").slice(raw.toString("latin1").indexOf("\r\n\r\n") + 4);
    for (const line of body.split("\r\n")) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).not.toMatch(/[ \t]$/);
      expect(line.startsWith("-") && !line.startsWith("--=_Paperboy")).toBe(false);
    }
  });

  it("frames the parts so that mailparser finds exactly one text and one HTML part", async () => {
    const { out } = rendered();
    const raw = await buildMessage(out, { from: FROM, to: "ana@example.org", date: "2026-08-18" });
    const mail = await simpleParser(raw);
    expect(mail.attachments).toEqual([]);
    const text = raw.toString("latin1");
    const boundary = /boundary="([^"]+)"/.exec(text)?.[1] ?? "";
    expect(boundary).not.toBe("");
    expect(text.split(`--${boundary}\r\n`).length - 1).toBe(2);
    expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });

  it("encodes an empty text part and a one-byte HTML part", async () => {
    for (const [html, text] of [
      ["x", ""],
      ["", "y"],
      ["ab", "abc"],
      ["é".repeat(57), "ü".repeat(200)],
    ]) {
      const raw = await buildMessage(
        { subject: "s", html: html as string, text: text as string },
        { from: FROM, to: "ana@example.org", date: "2026-08-18" },
      );
      const mail = await simpleParser(raw);
      expect(mail.text ?? "").toBe(text);
      expect(mail.html || "").toBe(html);
    }
  });
});

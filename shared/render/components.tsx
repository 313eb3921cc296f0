/**
 * React Email components of the digest, the archive page and the preview index: the one source of their
 * markup. fragments.tsx renders them with slot tokens into templates.generated.ts; at run time messages are
 * assembled from those templates (escaped values in the slots), so the Lambdas carry no React.
 */
// One package per component: the @react-email/components barrel also loads Tailwind, Prism and marked
// (seconds of start-up in Node).
import { Body } from "@react-email/body";
import { Column } from "@react-email/column";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Heading } from "@react-email/heading";
import { Html } from "@react-email/html";
import { Img } from "@react-email/img";
import { Link } from "@react-email/link";
import { Preview } from "@react-email/preview";
import { Row } from "@react-email/row";
import { Section } from "@react-email/section";
import type { ReactNode } from "react";
import { color, font, headCss } from "./theme.js";

const wrap = "pb-wrap";

/** The topic pills line above a title: an optional ChipLabel, then Chip elements. */
export function TopicChips({ children }: { children: ReactNode }) {
  return <p style={{ margin: "0 0 8px", fontSize: "11px", lineHeight: "18px" }}>{children}</p>;
}

/** "Also in", before the pills. */
export function ChipLabel({ children }: { children: ReactNode }) {
  return (
    <span className="pb-muted" style={{ color: color.muted, marginRight: "6px" }}>
      {children}
    </span>
  );
}

/** One topic pill. */
export function Chip({ children }: { children: ReactNode }) {
  return (
    <span
      className="pb-chip"
      style={{
        display: "inline-block",
        margin: "0 4px 2px 0",
        padding: "1px 8px",
        borderRadius: "9px",
        background: color.chipBg,
        color: color.accent,
        fontWeight: 600,
        textTransform: "uppercase",
      }}
    >
      {children}
    </span>
  );
}

/** A paper's title: h2 for a one-topic reader, h3 inside topic sections; linked when there is a link. */
export function CardTitle({
  level,
  href,
  children,
}: {
  level: "h2" | "h3";
  href?: string;
  children: ReactNode;
}) {
  return (
    <Heading
      as={level}
      className={`pb-text ${wrap}`}
      style={{ margin: "0 0 6px", fontSize: "18px", lineHeight: "24px", fontWeight: 700, color: color.text }}
    >
      {href ? (
        <Link href={href} className="pb-text" style={{ color: color.text }}>
          {children}
        </Link>
      ) : (
        children
      )}
    </Heading>
  );
}

/** "A. Author, B. Author, … +5" */
export function Authors({ children }: { children: ReactNode }) {
  return (
    <p
      className={`pb-muted ${wrap}`}
      style={{ margin: "0 0 10px", fontSize: "13px", lineHeight: "19px", color: color.muted }}
    >
      {children}
    </p>
  );
}

/** Why this paper was picked for this reader. */
export function WhyLine({ children }: { children: ReactNode }) {
  return (
    <p
      className={`pb-why ${wrap}`}
      style={{
        margin: "0 0 10px",
        padding: "0 0 0 10px",
        borderLeft: `3px solid ${color.accent}`,
        fontSize: "13px",
        lineHeight: "19px",
        color: color.muted,
      }}
    >
      {children}
    </p>
  );
}

export function Tldr({ children }: { children: ReactNode }) {
  return (
    <p
      className={`pb-text ${wrap}`}
      style={{ margin: "0 0 12px", fontSize: "15px", lineHeight: "23px", color: color.text }}
    >
      <strong>TL;DR</strong> {children}
    </p>
  );
}

/** The line of paper links; its children are PaperLink elements separated by " · ". */
export function LinkLine({ children }: { children: ReactNode }) {
  return (
    <p className="pb-muted" style={{ margin: 0, fontSize: "13px", lineHeight: "20px", color: color.muted }}>
      {children}
    </p>
  );
}

export function PaperLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="pb-accent" style={{ color: color.accent, fontWeight: 600 }}>
      {children}
    </Link>
  );
}

/**
 * The card around one paper. `head` (chips, title, authors) sits beside the thumbnail when there is one;
 * `body` (why-line, TL;DR, links) runs full width below. Inline styles are kept short on purpose: 25 cards
 * must stay far below Gmail's 102 KB clipping limit; fonts are inherited from the page cell.
 */
export function CardFrame({
  head,
  body,
  thumbnail,
}: {
  head: ReactNode;
  body: ReactNode;
  thumbnail?: { src: string; alt: string };
}) {
  return (
    <Section
      className="pb-card"
      style={{
        background: color.card,
        border: `1px solid ${color.border}`,
        borderRadius: "10px",
        padding: "18px 20px",
        marginBottom: "14px",
      }}
    >
      {thumbnail ? (
        <Row>
          <Column style={{ verticalAlign: "top" }}>{head}</Column>
          <Column className="pb-thumb-cell" style={{ width: "108px", verticalAlign: "top" }} align="right">
            <Img
              className="pb-thumb"
              src={thumbnail.src}
              width="96"
              alt={thumbnail.alt}
              style={{
                width: "96px",
                height: "auto",
                borderRadius: "6px",
                border: `1px solid ${color.border}`,
              }}
            />
          </Column>
        </Row>
      ) : (
        head
      )}
      {body}
    </Section>
  );
}

/** The reader's greeting line. */
export function Greeting({ children }: { children: ReactNode }) {
  return (
    <p
      className="pb-text"
      style={{ margin: "0 4px 14px", fontSize: "15px", lineHeight: "22px", color: color.text }}
    >
      {children}
    </p>
  );
}

/** A topic section's heading, with a muted count after the title (a leading space keeps them apart for screen readers). */
export function SectionHeading({ title, id, count }: { title: string; id?: string; count?: string }) {
  return (
    <Heading
      as="h2"
      id={id}
      className="pb-accent"
      style={{
        margin: "26px 0 12px",
        fontFamily: font.serif,
        fontSize: "20px",
        lineHeight: "26px",
        fontWeight: 700,
        color: color.accent,
      }}
    >
      {title}
      {count ? (
        <span
          className="pb-muted"
          style={{
            marginLeft: "4px",
            fontFamily: font.sans,
            fontSize: "13px",
            fontWeight: 400,
            color: color.muted,
          }}
        >
          {count}
        </span>
      ) : null}
    </Heading>
  );
}

/** A short note ("Source arXiv cs.LG was unavailable today"). */
export function Note({ children }: { children: ReactNode }) {
  return (
    <p
      className={`pb-note ${wrap}`}
      style={{
        margin: "0 0 12px",
        padding: "10px 14px",
        background: color.noteBg,
        borderLeft: `4px solid ${color.noteBorder}`,
        borderRadius: "6px",
        fontSize: "14px",
        lineHeight: "20px",
        color: color.text,
      }}
    >
      {children}
    </p>
  );
}

export interface PageProps {
  lang?: string;
  title: string;
  preheader?: string;
  /** Under the masthead: "Tuesday, 18 August 2026". */
  dateLine: string;
  /** Next to the date: "7 papers" or a link. */
  subline?: ReactNode;
  children: ReactNode;
  footer: ReactNode;
}

/** The page around the papers: head (color scheme, responsive and dark CSS), masthead, content, footer. */
export function Page({ lang = "en", title, preheader, dateLine, subline, children, footer }: PageProps) {
  return (
    <Html lang={lang} dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>{title}</title>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: static CSS from theme.ts, no feed text */}
        <style dangerouslySetInnerHTML={{ __html: headCss }} />
      </Head>
      {preheader ? <Preview>{preheader}</Preview> : null}
      <Body
        className="pb-body"
        style={{ background: color.page, margin: 0, padding: 0, fontFamily: font.sans }}
      >
        <Section
          className="pb-outer"
          style={{ background: color.page, padding: "24px 16px", fontFamily: font.sans, color: color.text }}
        >
          <Container style={{ maxWidth: "600px", width: "100%" }}>
            <Section style={{ padding: "4px 4px 10px" }}>
              <Heading
                as="h1"
                className="pb-masthead pb-text"
                style={{
                  margin: 0,
                  fontFamily: font.serif,
                  fontSize: "30px",
                  lineHeight: "36px",
                  fontWeight: 700,
                  letterSpacing: "-0.01em",
                  color: color.text,
                }}
              >
                Paperboy
              </Heading>
              <p
                className="pb-muted"
                style={{ margin: "4px 0 0", fontSize: "14px", lineHeight: "20px", color: color.muted }}
              >
                {dateLine}
                {subline ? <> · {subline}</> : null}
              </p>
            </Section>
            <hr
              className="pb-rule-strong"
              style={{
                border: "none",
                borderTop: `2px solid ${color.text}`,
                margin: "0 0 18px",
                width: "100%",
              }}
            />
            {children}
            <hr
              className="pb-rule"
              style={{
                border: "none",
                borderTop: `1px solid ${color.border}`,
                margin: "22px 0 14px",
                width: "100%",
              }}
            />
            <Section
              className="pb-muted"
              style={{ fontSize: "12px", lineHeight: "18px", color: color.muted, padding: "0 4px" }}
            >
              {footer}
            </Section>
          </Container>
        </Section>
      </Body>
    </Html>
  );
}

/** A small footer/masthead link. */
export function SmallLink({
  href,
  children,
  samePage = false,
}: {
  href: string;
  children: ReactNode;
  /** Web pages (archive, preview) navigate in place; emails open links in a new tab. */
  samePage?: boolean;
}) {
  return (
    <Link
      href={href}
      target={samePage ? "_self" : "_blank"}
      className="pb-accent"
      style={{ color: color.accent, textDecoration: "underline" }}
    >
      {children}
    </Link>
  );
}

/**
 * React Email components of the digest and the archive page. Every prop that carries feed text is plain
 * text (React escapes it) and every href/src went through safeHttpUrl before it got here.
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
import { Fragment, type ReactNode } from "react";
import { color, font, headCss } from "./theme.js";

export interface PaperLinkView {
  label: string;
  href: string;
}

/** Everything a paper card shows, already shortened and cleaned (plain text, checked URLs). */
export interface PaperView {
  title: string;
  href?: string;
  authors: string;
  chips: string[];
  /** "Also in" when the chips are the paper's other topics inside a topic section. */
  chipsLabel?: string;
  why?: string;
  tldr: string;
  links: PaperLinkView[];
  thumbnail?: string;
  /** A short form of the title for the thumbnail's alt text (the full title sits right beside it). */
  thumbnailAlt?: string;
  upvotes?: number;
}

const wrap = "pb-wrap";

/** The topic pills above a title ("Also in  VISION · RL"); nothing when there are none. */
export function TopicChips({ chips, label }: { chips: readonly string[]; label?: string | undefined }) {
  if (chips.length === 0) return null;
  return (
    <p style={{ margin: "0 0 8px", fontSize: "11px", lineHeight: "18px" }}>
      {label ? (
        <span className="pb-muted" style={{ color: color.muted, marginRight: "6px" }}>
          {label}
        </span>
      ) : null}
      {chips.map((chip) => (
        <span
          key={chip}
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
          {chip}
        </span>
      ))}
    </p>
  );
}

/**
 * One paper: topics, linked title, authors, why-line, TL;DR, links and the thumbnail when there is one.
 * `topics` replaces the chips (the digest passes a slot there, so one card serves every reader).
 */
export function PaperCard({
  paper,
  level,
  topics,
}: {
  paper: PaperView;
  level: "h2" | "h3";
  topics?: ReactNode;
}) {
  // Inline styles are kept short on purpose: 25 cards must stay far below Gmail's 102 KB clipping limit.
  // Fonts are inherited from the page cell; only the masthead and section headings set one.
  const text = (
    <>
      {topics ?? <TopicChips chips={paper.chips} label={paper.chipsLabel} />}
      <Heading
        as={level}
        className={`pb-text ${wrap}`}
        style={{
          margin: "0 0 6px",
          fontSize: "18px",
          lineHeight: "24px",
          fontWeight: 700,
          color: color.text,
        }}
      >
        {paper.href ? (
          <Link href={paper.href} className="pb-text" style={{ color: color.text }}>
            {paper.title}
          </Link>
        ) : (
          paper.title
        )}
      </Heading>
      {paper.authors ? (
        <p
          className={`pb-muted ${wrap}`}
          style={{ margin: "0 0 10px", fontSize: "13px", lineHeight: "19px", color: color.muted }}
        >
          {paper.authors}
        </p>
      ) : null}
    </>
  );
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
      {paper.thumbnail ? (
        <Row>
          <Column style={{ verticalAlign: "top" }}>{text}</Column>
          <Column className="pb-thumb-cell" style={{ width: "108px", verticalAlign: "top" }} align="right">
            <Img
              className="pb-thumb"
              src={paper.thumbnail}
              width="96"
              alt={`Thumbnail: ${paper.thumbnailAlt ?? paper.title}`}
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
        text
      )}
      {paper.why ? (
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
          {paper.why}
        </p>
      ) : null}
      {paper.tldr ? (
        <p
          className={`pb-text ${wrap}`}
          style={{ margin: "0 0 12px", fontSize: "15px", lineHeight: "23px", color: color.text }}
        >
          <strong>TL;DR</strong> {paper.tldr}
        </p>
      ) : null}
      {paper.links.length > 0 ? (
        <p
          className="pb-muted"
          style={{ margin: 0, fontSize: "13px", lineHeight: "20px", color: color.muted }}
        >
          {paper.links.map((link, at) => (
            <Fragment key={link.label}>
              {at > 0 ? " · " : null}
              <Link href={link.href} className="pb-accent" style={{ color: color.accent, fontWeight: 600 }}>
                {link.label.replace(/ /g, "\u00a0")}
              </Link>
            </Fragment>
          ))}
        </p>
      ) : null}
    </Section>
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

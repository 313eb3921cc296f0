/**
 * The React Email fragments every digest, archive page and card is assembled from, rendered with slot
 * tokens. Build step only: `npx tsx shared/render/build-templates.ts` writes templates.generated.ts, and a
 * unit test fails when that file no longer matches these components.
 */
import type { ReactElement } from "react";
import {
  Authors,
  CardFrame,
  CardTitle,
  Chip,
  ChipLabel,
  Greeting,
  LinkLine,
  Note,
  Page,
  PaperLink,
  SectionHeading,
  SmallLink,
  Tldr,
  TopicChips,
  WhyLine,
} from "./components.js";
import { renderMarkup } from "./markup.js";
import { compileTemplate, slot, type Template } from "./template.js";
import { color } from "./theme.js";

const cardHead = (
  <>
    {slot("chips")}
    {slot("title")}
    {slot("authors")}
  </>
);
const cardBody = (
  <>
    {slot("why")}
    {slot("tldr")}
    {slot("links")}
  </>
);

/** Every fragment: [element, doctype]. Slot names are the keys the runtime fills. */
const FRAGMENTS = {
  /** The email: per reader title/preheader/count/greeting/notes/content/topics; links as optional fragments. */
  digestShell: [
    <Page
      key="digestShell"
      title={slot("title")}
      preheader={slot("preheader")}
      dateLine={slot("dateLine")}
      subline={
        <>
          {slot("count")}
          {slot("viewInBrowser")}
        </>
      }
      footer={
        <>
          <p style={{ margin: "0 0 6px" }}>You get this digest for: {slot("topics")}.</p>
          <p style={{ margin: 0 }}>
            <span className="pb-muted" style={{ color: color.muted }}>
              Paperboy · a daily research digest
            </span>
            {slot("allPapers")}
            {slot("unsubscribe")}
          </p>
        </>
      }
    >
      {slot("greeting")}
      {slot("notes")}
      {slot("content")}
    </Page>,
    "email",
  ],
  /** A standalone web page in the same look (archive). */
  webShell: [
    <Page
      key="webShell"
      title={slot("title")}
      dateLine={slot("dateLine")}
      subline={slot("subline")}
      footer={<p style={{ margin: 0 }}>{slot("footer")}</p>}
    >
      {slot("nav")}
      {slot("content")}
    </Page>,
    "web",
  ],
  viewInBrowser: [
    <>
      {" · "}
      <SmallLink href={slot("href")}>View in browser</SmallLink>
    </>,
    "none",
  ],
  allPapers: [
    <>
      {" · "}
      <SmallLink href={slot("href")}>All of today's papers</SmallLink>
    </>,
    "none",
  ],
  unsubscribe: [
    <>
      {" · "}
      <SmallLink href={slot("href")}>Unsubscribe</SmallLink>
    </>,
    "none",
  ],
  greeting: [<Greeting key="greeting">{slot("text")}</Greeting>, "none"],
  note: [<Note key="note">{slot("text")}</Note>, "none"],
  section: [<SectionHeading key="section" title={slot("title")} count={slot("count")} />, "none"],
  sectionAnchored: [
    <SectionHeading key="sectionAnchored" id={slot("id")} title={slot("title")} count={slot("count")} />,
    "none",
  ],
  nav: [
    <nav key="nav" aria-label="Topics" style={{ margin: "0 4px 6px", fontSize: "14px", lineHeight: "24px" }}>
      {slot("items")}
    </nav>,
    "none",
  ],
  navLink: [
    <SmallLink key="navLink" samePage href={slot("href")}>
      {slot("label")}
    </SmallLink>,
    "none",
  ],
  separator: [
    <span key="separator" className="pb-muted" style={{ color: color.muted }}>
      {"  ·  "}
    </span>,
    "none",
  ],
  message: [
    <p key="message" className="pb-text" style={{ margin: "0 4px", fontSize: "15px", color: color.text }}>
      {slot("text")}
    </p>,
    "none",
  ],
  chips: [
    <TopicChips key="chips">
      {slot("label")}
      {slot("items")}
    </TopicChips>,
    "none",
  ],
  chipLabel: [<ChipLabel key="chipLabel">{slot("text")}</ChipLabel>, "none"],
  chip: [<Chip key="chip">{slot("text")}</Chip>, "none"],
  titleH2: [
    <CardTitle key="titleH2" level="h2">
      {slot("title")}
    </CardTitle>,
    "none",
  ],
  titleH2Link: [
    <CardTitle key="titleH2Link" level="h2" href={slot("href")}>
      {slot("title")}
    </CardTitle>,
    "none",
  ],
  titleH3: [
    <CardTitle key="titleH3" level="h3">
      {slot("title")}
    </CardTitle>,
    "none",
  ],
  titleH3Link: [
    <CardTitle key="titleH3Link" level="h3" href={slot("href")}>
      {slot("title")}
    </CardTitle>,
    "none",
  ],
  authors: [<Authors key="authors">{slot("text")}</Authors>, "none"],
  why: [<WhyLine key="why">{slot("text")}</WhyLine>, "none"],
  tldr: [<Tldr key="tldr">{slot("text")}</Tldr>, "none"],
  links: [<LinkLine key="links">{slot("items")}</LinkLine>, "none"],
  link: [
    <PaperLink key="link" href={slot("href")}>
      {slot("label")}
    </PaperLink>,
    "none",
  ],
  card: [<CardFrame key="card" head={cardHead} body={cardBody} />, "none"],
  cardThumb: [
    <CardFrame
      key="cardThumb"
      head={cardHead}
      body={cardBody}
      thumbnail={{ src: slot("src"), alt: slot("alt") }}
    />,
    "none",
  ],
} satisfies Record<string, [ReactElement, "none" | "email" | "web"]>;

export type FragmentName = keyof typeof FRAGMENTS;

/** Every fragment rendered by React Email and compiled into a template. */
export function compileFragments(): Record<FragmentName, Template> {
  const out = {} as Record<FragmentName, Template>;
  for (const [name, [element, doctype]] of Object.entries(FRAGMENTS)) {
    out[name as FragmentName] = compileTemplate(renderMarkup(element, doctype));
  }
  return out;
}

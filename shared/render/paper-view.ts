/** A paper as the digest shows it: cleaned, shortened text and checked links, for the HTML and text parts. */
import type { Paper } from "../domain/paper.js";
import { cleanText, safeHttpUrl } from "./escape.js";
import { shortenAtWord, shortenAuthors, tldr } from "./format.js";

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

/** The card content of a paper; `why` is left out (it differs per reader and is filled in later). */
export function toPaperView(paper: Paper, chips: readonly string[], chipsLabel?: string): PaperView {
  return { ...paperView(paper), ...cardChips(chips, chipsLabel) };
}

/** A card's topic pills: names cleaned, empty ones dropped; the label only when a pill is left. */
export function cardChips(
  chips: readonly string[],
  chipsLabel?: string,
): Pick<PaperView, "chips" | "chipsLabel"> {
  const shown = chips.map(cleanText).filter(Boolean);
  return chipsLabel && shown.length > 0 ? { chips: shown, chipsLabel } : { chips: shown };
}

const views = new WeakMap<Paper, Readonly<PaperView>>();

/**
 * The card content of a paper without topics, made once per Paper object: the day's archive page and
 * every reader's digest show the same papers (2,000 a busy day, ~30 µs each to shorten and check).
 * Frozen: a caller adds its topics to a copy. Dangerous spot: a Paper must not change once shown.
 */
export function paperView(paper: Paper): Readonly<PaperView> {
  let view = views.get(paper);
  if (view === undefined) {
    view = Object.freeze(makeView(paper));
    views.set(paper, view);
  }
  return view;
}

function makeView(paper: Paper): PaperView {
  const links = paper.links ?? {};
  const abs = safeHttpUrl(links.abs);
  const hf = safeHttpUrl(links.hf);
  const upvotes =
    typeof paper.upvotes === "number" && paper.upvotes > 0 ? Math.round(paper.upvotes) : undefined;
  const candidates: Array<[string, string | undefined]> = [
    ["Abstract", abs],
    ["PDF", safeHttpUrl(links.pdf)],
    [upvotes ? `Hugging Face ▲ ${upvotes}` : "Hugging Face", hf],
    ["Code", safeHttpUrl(links.code)],
    ["Project page", safeHttpUrl(links.project)],
  ];
  const view: PaperView = {
    title: shortenAtWord(paper.title, 300) || "Untitled paper",
    authors: shortenAuthors(paper.authors ?? []),
    chips: [],
    tldr: tldr(paper),
    links: candidates.flatMap(([label, href]) => (href ? [{ label, href }] : [])),
  };
  const href = abs ?? hf ?? safeHttpUrl(links.pdf) ?? safeHttpUrl(links.project);
  if (href) view.href = href;
  const thumbnail = safeHttpUrl(paper.thumbnail);
  if (thumbnail) {
    view.thumbnail = thumbnail;
    view.thumbnailAlt = shortenAtWord(view.title, 60);
  }
  if (upvotes) view.upvotes = upvotes;
  return view;
}

/** The plain-text block of a paper, split where the reader's topics and why-lines go. */
export function paperText(view: PaperView): { head: string; tail: string } {
  const head = [view.title, view.authors]
    .filter(Boolean)
    .map((line) => `${line}\n`)
    .join("");
  const tail = [
    view.tldr ? `TL;DR: ${view.tldr}` : "",
    ...view.links.map((link) => `${link.label}: ${link.href}`),
  ]
    .filter(Boolean)
    .map((line) => `${line}\n`)
    .join("");
  return { head, tail };
}

/** "Topics: Agents · RL" (or "Also in: …") as one text line; empty without topics. */
export function topicsText(chips: readonly string[], label = "Topics"): string {
  return chips.length ? `${label}: ${chips.join(" · ")}\n` : "";
}

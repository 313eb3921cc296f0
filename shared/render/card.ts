/** A paper card assembled from the React Email templates: every value escaped, every link checked before. */
import type { Paper } from "../domain/paper.js";
import { escapeHtml } from "./escape.js";
import { type PaperView, paperView } from "./paper-view.js";
import { fillTemplate, partialFill, type Template } from "./template.js";
import { TEMPLATES } from "./templates.generated.js";

/**
 * The card of a paper as a template that still has the reader-dependent slots `chips` and `why`
 * (fill them with chipsHtml and whyHtml): one card serves every reader.
 */
export function cardTemplate(view: PaperView, level: "h2" | "h3"): Template {
  const title = view.href
    ? fillTemplate(level === "h2" ? TEMPLATES.titleH2Link : TEMPLATES.titleH3Link, {
        href: escapeHtml(view.href),
        title: escapeHtml(view.title),
      })
    : fillTemplate(level === "h2" ? TEMPLATES.titleH2 : TEMPLATES.titleH3, { title: escapeHtml(view.title) });
  const values: Record<string, string> = {
    title,
    authors: view.authors ? fillTemplate(TEMPLATES.authors, { text: escapeHtml(view.authors) }) : "",
    tldr: view.tldr ? fillTemplate(TEMPLATES.tldr, { text: escapeHtml(view.tldr) }) : "",
    links: view.links.length
      ? fillTemplate(TEMPLATES.links, {
          items: view.links
            .map((link) =>
              fillTemplate(TEMPLATES.link, {
                href: escapeHtml(link.href),
                // Labels never break inside ("Hugging Face ▲ 39").
                label: escapeHtml(link.label).replace(/ /g, "\u00a0"),
              }),
            )
            .join(" · "),
        })
      : "",
  };
  if (!view.thumbnail) return partialFill(TEMPLATES.card, values);
  return partialFill(TEMPLATES.cardThumb, {
    ...values,
    src: escapeHtml(view.thumbnail),
    alt: escapeHtml(`Thumbnail: ${view.thumbnailAlt ?? view.title}`),
  });
}

const paperCards = new WeakMap<Readonly<PaperView>, { h2?: Template; h3?: Template }>();

/**
 * cardTemplate of a paper's shared view (paperView), made once per paper and heading level: the day's
 * archive page and every digest show the same cards (cardTemplate reads no topics or why-line, the
 * slots those go in). Dangerous spot, as for paperView: a Paper must not change once shown.
 */
export function paperCardTemplate(paper: Paper, level: "h2" | "h3"): Template {
  const view = paperView(paper);
  let cards = paperCards.get(view);
  if (!cards) {
    cards = {};
    paperCards.set(view, cards);
  }
  let template = cards[level];
  if (!template) {
    template = cardTemplate(view, level);
    cards[level] = template;
  }
  return template;
}

/** The whole card HTML, topics and why-line included. */
export function cardHtml(view: PaperView, level: "h2" | "h3"): string {
  return fillCard(cardTemplate(view, level), view);
}

/** A card template (cardTemplate, paperCardTemplate) with its topic pills and why-line filled in. */
export function fillCard(template: Template, slots: Pick<PaperView, "chips" | "chipsLabel" | "why">): string {
  return fillTemplate(template, {
    chips: chipsHtml(slots.chips, slots.chipsLabel),
    why: whyHtml(slots.why ?? ""),
  });
}

/** The topic pills line ("Also in  VISION  RL"); "" without topics. Values are plain text. */
export function chipsHtml(chips: readonly string[], label: string | undefined): string {
  if (chips.length === 0) return "";
  return fillTemplate(TEMPLATES.chips, {
    label: label ? fillTemplate(TEMPLATES.chipLabel, { text: escapeHtml(label) }) : "",
    items: chips.map((chip) => fillTemplate(TEMPLATES.chip, { text: escapeHtml(chip) })).join(""),
  });
}

/** The why-line paragraph; "" without one. */
export function whyHtml(why: string): string {
  return why ? fillTemplate(TEMPLATES.why, { text: escapeHtml(why) }) : "";
}

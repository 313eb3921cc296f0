/** The background model: document frequencies of terms over ~20k real papers, shipped with the code. */

/** Term statistics of the background corpus (title + abstract of every paper in ../shared/data). */
export interface Background {
  /** Number of papers the frequencies were counted over. */
  docs: number;
  /** Mean number of terms (stems + phrases) in a paper's title + abstract. */
  avgLength: number;
  /** Papers containing each term; terms rarer than the build's cut-off are absent. */
  df: Map<string, number>;
}

const HEADER = "paperboy-background";

/** BM25 inverse document frequency; a term the background never saw counts as seen once. */
export function idf(bg: Background, term: string): number {
  const df = bg.df.get(term) ?? 1;
  return Math.log(1 + (bg.docs - df + 0.5) / (df + 0.5));
}

/** The model file's text: a header line, then `term<TAB>df` lines, most frequent first. */
export function serializeBackground(bg: Background): string {
  const rows = [...bg.df.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const lines = [`${HEADER}\t1\t${bg.docs}\t${bg.avgLength.toFixed(3)}`];
  for (const [term, df] of rows) lines.push(`${term}\t${df}`);
  return `${lines.join("\n")}\n`;
}

/** Parses the model file's text; throws on a file that is not a background model. */
export function parseBackground(text: string): Background {
  const lines = text.split("\n");
  const head = (lines[0] ?? "").split("\t");
  if (head[0] !== HEADER || head[1] !== "1") throw new Error("not a paperboy background model (v1)");
  const docs = Number(head[2]);
  const avgLength = Number(head[3]);
  const df = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const tab = line.indexOf("\t");
    if (tab <= 0) continue;
    df.set(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  return { docs, avgLength, df };
}

/** A stand-in when no model file is available: every term is rare (plain coordination matching). */
export function emptyBackground(): Background {
  return { docs: 20_000, avgLength: 260, df: new Map() };
}

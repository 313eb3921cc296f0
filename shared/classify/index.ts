/**
 * The classifier: tags papers with the reader topics they are about, scores them for ranking, and
 * explains matches. Deterministic and offline: IDF and word vectors come from model files shipped
 * under shared/classify/model/ (rebuilt by `npm run build:model`).
 */
import type { TopicConfig } from "../config/schema.js";
import type { Paper } from "../domain/paper.js";
import type { TaggedPaper, TopicMatch } from "../domain/tagging.js";
import { loadShippedModel } from "./model-file.js";
import { QueryPostings } from "./postings.js";
import {
  type CompiledTopic,
  calibrate,
  compileTopic,
  DEFAULT_PARAMS,
  evidenceFor,
  isExcluded,
  PaperReader,
  type PaperTerms,
  type ScoringParams,
} from "./score.js";
import { TermIndex } from "./tokenize.js";
import { kernelsFor } from "./vector-kernels.js";
import { dots } from "./vectors.js";

export { explainMatch, type WhyParts, whyParts } from "./explain.js";

/** Calibrated score a paper needs to reach a digest (see eval/RESULTS.md for how it was chosen). */
export const DEFAULT_THRESHOLD = 0.5;

export interface ClassifierOptions {
  /** Tagging threshold; default DEFAULT_THRESHOLD. */
  threshold?: number;
  /** Folder of the model files; default $PAPERBOY_MODEL_DIR, else the shipped folder. */
  modelDir?: string;
  /** Use the shipped word vectors when present (default true); false = lexical score only. */
  useVectors?: boolean;
  /** Scoring constants (for the eval harness's sweeps); default DEFAULT_PARAMS. */
  params?: ScoringParams;
}

export interface Classifier {
  /** Every paper with the topics it is about (score ≥ threshold), matches best first; papers with no match get matches: []. */
  tag(papers: Paper[]): TaggedPaper[];
  /** Score of one paper for every topic (no threshold), for ranking/eval. */
  scores(paper: Paper): TopicMatch[];
}

/** Builds a classifier for these topics: compiles each topic once; scoring is then per paper. */
export function createClassifier(topics: TopicConfig[], options: ClassifierOptions = {}): Classifier {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const params = options.params ?? DEFAULT_PARAMS;
  const model = loadShippedModel(options.modelDir);
  const vectors = options.useVectors === false ? null : (model.vectors ?? null);
  // One term index for all topics: each paper's terms are counted once, only where some topic looks.
  const index = new TermIndex();
  const compiled = topics.map((t) => compileTopic(t, model.background, vectors, params, index));

  const reader = new PaperReader(index, vectors);
  const postings = new QueryPostings(compiled, index);
  const topicVectors = compiled.map((t) => t.vector);
  const lexical = new Float64Array(compiled.length);
  const cosine = new Float64Array(compiled.length);
  const kernels = vectors ? kernelsFor(vectors) : undefined;

  /**
   * Calls `use` with the paper's terms and its calibrated score for topic i (0 when an exclude phrase
   * matches). Dangerous: the terms and the raw scores live in buffers reused for the next paper, so
   * `use` must keep nothing of them (evidence is made inside).
   */
  const withPaper = <T>(paper: Paper, use: (doc: PaperTerms, scoreOf: (i: number) => number) => T): T => {
    const doc = reader.readReusing(paper, model.background, params);
    postings.lexicalScores(doc.counts, doc.lengthFactor, lexical, params);
    // semanticScore for every topic: in WebAssembly when it takes these vectors, else in JavaScript.
    kernels?.dots(topicVectors, doc.vector, cosine) ?? dots(topicVectors, doc.vector, cosine);
    return use(doc, (i) => {
      const topic = compiled[i] as CompiledTopic;
      if (isExcluded(topic, doc)) return 0;
      return calibrate(topic, lexical[i] as number, cosine[i] as number, vectors !== null, params);
    });
  };

  const scores = (paper: Paper): TopicMatch[] =>
    withPaper(paper, (doc, scoreOf) =>
      compiled.map((t, i) => ({ topicId: t.topic.id, score: scoreOf(i), evidence: evidenceFor(t, doc) })),
    );

  return {
    scores,
    tag(papers) {
      return papers.map((paper) => {
        const matches = withPaper(paper, (doc, scoreOf) => {
          const kept: TopicMatch[] = [];
          compiled.forEach((t, i) => {
            const score = scoreOf(i);
            // Evidence only for the matches kept: it is the costly part and most pairs never match.
            if (score >= threshold && score > 0)
              kept.push({ topicId: t.topic.id, score, evidence: evidenceFor(t, doc) });
          });
          return kept;
        });
        return { paper, matches: matches.sort((a, b) => b.score - a.score) };
      });
    },
  };
}

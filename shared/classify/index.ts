/**
 * The classifier: tags papers with the reader topics they are about, scores them for ranking, and
 * explains matches. Deterministic and offline: IDF and word vectors come from model files shipped
 * under shared/classify/model/ (rebuilt by `npm run build:model`).
 */
import type { TopicConfig } from "../config/schema.js";
import type { Paper } from "../domain/paper.js";
import type { TaggedPaper, TopicMatch } from "../domain/tagging.js";
import { loadShippedModel } from "./model-file.js";
import {
  type CompiledTopic,
  calibrate,
  compileTopic,
  DEFAULT_PARAMS,
  evidenceFor,
  isExcluded,
  lexicalScore,
  PaperReader,
  type PaperTerms,
  type ScoringParams,
  semanticScore,
} from "./score.js";
import { TermIndex } from "./tokenize.js";

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

  /** Calibrated score of one paper for one topic (0 when an exclude phrase matches). */
  const scoreOf = (topic: CompiledTopic, doc: PaperTerms): number =>
    isExcluded(topic, doc)
      ? 0
      : calibrate(
          topic,
          lexicalScore(topic, doc, params),
          semanticScore(topic, doc),
          vectors !== null,
          params,
        );

  const reader = new PaperReader(index, vectors);
  const docOf = (paper: Paper): PaperTerms => reader.read(paper, model.background, params);

  const scores = (paper: Paper): TopicMatch[] => {
    const doc = docOf(paper);
    return compiled.map((t) => ({
      topicId: t.topic.id,
      score: scoreOf(t, doc),
      evidence: evidenceFor(t, doc),
    }));
  };

  return {
    scores,
    tag(papers) {
      return papers.map((paper) => {
        const doc = docOf(paper);
        const matches: TopicMatch[] = [];
        for (const t of compiled) {
          const score = scoreOf(t, doc);
          // Evidence only for the matches kept: it is the costly part and most pairs never match.
          if (score >= threshold && score > 0)
            matches.push({ topicId: t.topic.id, score, evidence: evidenceFor(t, doc) });
        }
        return { paper, matches: matches.sort((a, b) => b.score - a.score) };
      });
    },
  };
}

/** Loads the shipped model files (shared/classify/model/, or model/ beside the Lambda bundle) once per process. */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { type Background, emptyBackground, parseBackground } from "./background.js";
import { parseVectorFile, type WordVectors } from "./vectors.js";

/** Where the model files sit relative to this module (in an ESM bundle: `model/` next to the bundle file). */
export const MODEL_DIR_URL = new URL("./model/", import.meta.url).href;

/** The model folder: $PAPERBOY_MODEL_DIR, else the one beside this module. */
function defaultModelDir(): string {
  return process.env.PAPERBOY_MODEL_DIR ?? fileURLToPath(MODEL_DIR_URL);
}

/** Everything the classifier loads from disk. */
export interface ShippedModel {
  background: Background;
  /** Word vectors for the semantic half of the score; absent when the file is missing. */
  vectors?: WordVectors;
  /** Where the files came from, or "none" when the stand-in was used. */
  source: string;
}

const cache = new Map<string, ShippedModel>();

/** The model in `dir` (default: $PAPERBOY_MODEL_DIR, else the shipped folder); falls back to a stand-in. */
export function loadShippedModel(dir?: string): ShippedModel {
  const base = dir ?? defaultModelDir();
  const hit = cache.get(base);
  if (hit) return hit;
  const bgPath = `${base.replace(/\/$/, "")}/background.tsv.gz`;
  const vecPath = `${base.replace(/\/$/, "")}/vectors.bin`;
  let model: ShippedModel;
  if (existsSync(bgPath)) {
    model = { background: parseBackground(gunzipSync(readFileSync(bgPath)).toString("utf8")), source: base };
    if (existsSync(vecPath)) model.vectors = parseVectorFile(readFileSync(vecPath));
  } else {
    model = { background: emptyBackground(), source: "none" };
  }
  cache.set(base, model);
  return model;
}

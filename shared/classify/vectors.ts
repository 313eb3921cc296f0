/**
 * Word vectors trained on the real papers (fastText skip-gram), pruned and quantized to int8, and the
 * SIF-weighted text vectors built from them (Arora et al. 2017: weight a/(a + p(w)), minus the first
 * principal component of the background's text vectors).
 */
import { words } from "./tokenize.js";
import { kernelsFor } from "./vector-kernels.js";

/** Loaded word vectors: row i of `data` (int8 × scale[i]) is the vector of the i-th word. */
export interface WordVectors {
  dim: number;
  index: Map<string, number>;
  data: Int8Array;
  scale: Float32Array;
  /** SIF weight of each word. */
  weight: Float32Array;
  /** Unit first principal component of background text vectors (removed from every text vector). */
  pc: Float32Array;
  /** Mean and covariance (dim × dim, row-major) of the background's text vectors, for z-scoring cosines. */
  docMean: Float32Array;
  docCov: Float32Array;
}

const MAGIC = 0x32564250; // "PBV2"
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** SIF smoothing constant. */
export const SIF_A = 1e-3;

/** Parses fastText's text `.vec` output (first line "<count> <dim>"). */
export function parseVec(text: string): { dim: number; rows: Map<string, Float32Array> } {
  const lines = text.split("\n");
  const dim = Number((lines[0] ?? "").split(" ")[1]);
  const rows = new Map<string, Float32Array>();
  for (let i = 1; i < lines.length; i++) {
    const parts = (lines[i] ?? "").trim().split(" ");
    if (parts.length !== dim + 1) continue;
    rows.set(parts[0] ?? "", Float32Array.from(parts.slice(1), Number));
  }
  return { dim, rows };
}

/** Serializes vectors: header, principal component, word list, per-row scale and weight, int8 rows. */
export function encodeVectorFile(v: WordVectors): Buffer {
  const vocab = [...v.index.entries()].sort((a, b) => a[1] - b[1]).map(([w]) => w);
  const vocabBytes = Buffer.from(vocab.join("\n"), "utf8");
  const n = vocab.length;
  const head = Buffer.alloc(16);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(n, 4);
  head.writeUInt32LE(v.dim, 8);
  head.writeUInt32LE(vocabBytes.length, 12);
  return Buffer.concat([
    head,
    Buffer.from(v.pc.buffer, v.pc.byteOffset, v.pc.byteLength),
    Buffer.from(v.docMean.buffer, v.docMean.byteOffset, v.docMean.byteLength),
    Buffer.from(v.docCov.buffer, v.docCov.byteOffset, v.docCov.byteLength),
    Buffer.from(v.scale.buffer, v.scale.byteOffset, v.scale.byteLength),
    Buffer.from(v.weight.buffer, v.weight.byteOffset, v.weight.byteLength),
    vocabBytes,
    Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength),
  ]);
}

/** Reads a file written by encodeVectorFile. */
export function parseVectorFile(buf: Buffer): WordVectors {
  if (buf.readUInt32LE(0) !== MAGIC) throw new Error("not a paperboy vector file (PBV2)");
  const n = buf.readUInt32LE(4);
  const dim = buf.readUInt32LE(8);
  const vocabLen = buf.readUInt32LE(12);
  let off = 16;
  const floats = (count: number): Float32Array => {
    const out = new Float32Array(count);
    // The file's floats are little-endian: on a little-endian machine, a byte copy.
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(buf.subarray(off, off + 4 * count));
    else for (let i = 0; i < count; i++) out[i] = buf.readFloatLE(off + 4 * i);
    off += 4 * count;
    return out;
  };
  const pc = floats(dim);
  const docMean = floats(dim);
  const docCov = floats(dim * dim);
  const scale = floats(n);
  const weight = floats(n);
  const vocab = buf.toString("utf8", off, off + vocabLen).split("\n");
  off += vocabLen;
  const data = new Int8Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + n * dim));
  const index = new Map<string, number>();
  vocab.forEach((w, i) => {
    index.set(w, i);
  });
  return { dim, index, data, scale, weight, pc, docMean, docCov };
}

/** SIF-weighted mean of the vectors of a text's words, first principal component removed; unit length. */
export function textVector(v: WordVectors, text: string, pc: Float32Array | null = v.pc): Float32Array {
  const rows: number[] = [];
  for (const w of words(text)) {
    const row = v.index.get(w);
    if (row !== undefined) rows.push(row);
  }
  return rowsVector(v, rows, pc);
}

/**
 * textVector of the words at these rows of `v` (a text's known words, in order). Dangerous spot: the sum
 * is kept in float32, one word at a time in text order, so every vector (and score) stays bit for bit.
 * Computed by the WebAssembly kernel (vector-kernels.ts) where there is one, else by rowsVectorJs.
 */
export function rowsVector(
  v: WordVectors,
  rows: readonly number[],
  pc: Float32Array | null = v.pc,
): Float32Array {
  return kernelsFor(v)?.rowsVector(rows, pc) ?? rowsVectorJs(v, rows, pc);
}

/** rowsVector in JavaScript: the reference the WebAssembly kernel is held to, and its fallback. */
export function rowsVectorJs(
  v: WordVectors,
  rows: readonly number[],
  pc: Float32Array | null = v.pc,
): Float32Array {
  const { dim, data, weight, scale } = v;
  const out = new Float32Array(dim);
  const round = Math.fround;
  let r = 0;
  // Four words per pass over the components: each component still adds them one at a time in text
  // order, rounded to float32 after each add (as storing into `out` does); only loads and stores are fewer.
  for (; r + 3 < rows.length; r += 4) {
    const r0 = rows[r] as number;
    const r1 = rows[r + 1] as number;
    const r2 = rows[r + 2] as number;
    const r3 = rows[r + 3] as number;
    const f0 = (weight[r0] ?? 0) * (scale[r0] ?? 0);
    const f1 = (weight[r1] ?? 0) * (scale[r1] ?? 0);
    const f2 = (weight[r2] ?? 0) * (scale[r2] ?? 0);
    const f3 = (weight[r3] ?? 0) * (scale[r3] ?? 0);
    const b0 = r0 * dim;
    const b1 = r1 * dim;
    const b2 = r2 * dim;
    const b3 = r3 * dim;
    for (let j = 0; j < dim; j++) {
      const x0 = round((out[j] as number) + f0 * (data[b0 + j] as number));
      const x1 = round(x0 + f1 * (data[b1 + j] as number));
      const x2 = round(x1 + f2 * (data[b2 + j] as number));
      out[j] = x2 + f3 * (data[b3 + j] as number);
    }
  }
  for (; r < rows.length; r++) {
    const row = rows[r] as number;
    const f = (weight[row] ?? 0) * (scale[row] ?? 0);
    const base = row * dim;
    for (let j = 0; j < dim; j++) out[j] = (out[j] as number) + f * (data[base + j] as number);
  }
  if (pc) {
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += (out[j] as number) * (pc[j] as number);
    for (let j = 0; j < dim; j++) out[j] = (out[j] as number) - dot * (pc[j] as number);
  }
  return normalize(out);
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalize(x: Float32Array): Float32Array {
  let s = 0;
  for (const a of x) s += a * a;
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < x.length; j++) x[j] = (x[j] ?? 0) * inv;
  }
  return x;
}

/** Dot product of two vectors of the same length. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] as number) * (b[j] ?? 0);
  return s;
}

/**
 * dot(vs[i], x) for every vector, into out[i]; 0 where either is missing. Four vectors per pass over x:
 * a lone dot waits on each add before the next, four independent sums overlap. Each sum still adds its
 * products in dot's order, so every value is dot's bit for bit.
 */
export function dots(
  vs: readonly (Float32Array | null)[],
  x: Float32Array | null,
  out: Float64Array,
): Float64Array {
  let i = 0;
  const n = x?.length ?? 0;
  for (; x !== null && i + 3 < vs.length; i += 4) {
    const a = vs[i];
    const b = vs[i + 1];
    const c = vs[i + 2];
    const d = vs[i + 3];
    if (a?.length !== n || b?.length !== n || c?.length !== n || d?.length !== n) break;
    let sa = 0;
    let sb = 0;
    let sc = 0;
    let sd = 0;
    for (let j = 0; j < n; j++) {
      const xj = x[j] as number;
      sa += (a[j] as number) * xj;
      sb += (b[j] as number) * xj;
      sc += (c[j] as number) * xj;
      sd += (d[j] as number) * xj;
    }
    out[i] = sa;
    out[i + 1] = sb;
    out[i + 2] = sc;
    out[i + 3] = sd;
  }
  // The last few, and from a group with a missing or odd-sized vector on: one at a time.
  for (; i < vs.length; i++) {
    const v = vs[i];
    out[i] = v && x ? dot(v, x) : 0;
  }
  return out;
}

/** Options of the vector build. */
export interface VectorBuildInput {
  dim: number;
  rows: Map<string, Float32Array>;
  /** How often each lower-case word occurs in the background texts. */
  counts: Map<string, number>;
  /** Background texts, for the principal component. */
  texts: string[];
  /** Keep at most this many words (most frequent first, stop words and digits dropped). */
  maxWords: number;
  /** Words rarer than this are dropped. */
  minCount: number;
}

/** Prunes, quantizes (per-row int8 scale) and attaches SIF weights and the principal component. */
export function buildWordVectors(input: VectorBuildInput, isStopWord: (w: string) => boolean): WordVectors {
  let total = 0;
  for (const c of input.counts.values()) total += c;
  const kept = [...input.rows.keys()]
    .filter((w) => (input.counts.get(w) ?? 0) >= input.minCount && !isStopWord(w) && !/^\d+$/.test(w))
    .sort((a, b) => (input.counts.get(b) ?? 0) - (input.counts.get(a) ?? 0))
    .slice(0, input.maxWords);
  const { dim } = input;
  const n = kept.length;
  const data = new Int8Array(n * dim);
  const scale = new Float32Array(n);
  const weight = new Float32Array(n);
  const index = new Map<string, number>();
  kept.forEach((w, i) => {
    const row = input.rows.get(w) ?? new Float32Array(dim);
    let max = 0;
    for (const a of row) max = Math.max(max, Math.abs(a));
    const s = max > 0 ? max / 127 : 1;
    scale[i] = s;
    for (let j = 0; j < dim; j++) data[i * dim + j] = Math.round((row[j] ?? 0) / s);
    weight[i] = SIF_A / (SIF_A + (input.counts.get(w) ?? 0) / total);
    index.set(w, i);
  });
  const v: WordVectors = {
    dim,
    index,
    data,
    scale,
    weight,
    pc: new Float32Array(dim),
    docMean: new Float32Array(dim),
    docCov: new Float32Array(dim * dim),
  };
  v.pc = firstPrincipalComponent(
    input.texts.map((t) => textVector(v, t, null)),
    dim,
  );
  const docs = input.texts.map((t) => textVector(v, t));
  for (const x of docs)
    for (let j = 0; j < dim; j++) v.docMean[j] = (v.docMean[j] ?? 0) + (x[j] ?? 0) / docs.length;
  for (const x of docs) {
    for (let i = 0; i < dim; i++) {
      const di = (x[i] ?? 0) - (v.docMean[i] ?? 0);
      for (let j = 0; j < dim; j++) {
        v.docCov[i * dim + j] =
          (v.docCov[i * dim + j] ?? 0) + (di * ((x[j] ?? 0) - (v.docMean[j] ?? 0))) / docs.length;
      }
    }
  }
  return v;
}

/** Mean and spread of cos(t, d) over background papers d: t·mean and √(tᵀ·cov·t). */
export function cosineBackground(v: WordVectors, t: Float32Array): { mean: number; sd: number } {
  const variance = kernelsFor(v)?.quadraticForm(t) ?? quadraticForm(v, t);
  return { mean: dot(t, v.docMean), sd: Math.sqrt(Math.max(variance, 1e-6)) };
}

/** tᵀ·C·t for C = v.docCov, row by row in order (the reference of the WebAssembly kernel). */
export function quadraticForm(v: WordVectors, t: Float32Array): number {
  const { dim, docCov } = v;
  let variance = 0;
  for (let i = 0; i < dim; i++) {
    let row = 0;
    const base = i * dim;
    for (let j = 0; j < dim; j++) row += (docCov[base + j] as number) * (t[j] ?? 0);
    variance += (t[i] ?? 0) * row;
  }
  return variance;
}

/** First principal component (uncentred, as in SIF) of unit vectors, by power iteration. */
function firstPrincipalComponent(xs: Float32Array[], dim: number): Float32Array {
  let u = normalize(new Float32Array(dim).fill(1));
  for (let iter = 0; iter < 50; iter++) {
    const next = new Float32Array(dim);
    for (const x of xs) {
      const d = dot(x, u);
      for (let j = 0; j < dim; j++) next[j] = (next[j] ?? 0) + d * (x[j] ?? 0);
    }
    u = normalize(next);
  }
  return u;
}

/**
 * rowsVector, dots and cosineBackground's quadratic form in WebAssembly (vector-kernels.wat), giving
 * the same numbers as the JavaScript in vectors.ts bit for bit.
 *
 * Why: the classifier runs once a day in a fresh process (a Lambda, `paperboy run`), so its numeric
 * loops mostly run before V8 has optimized them. WebAssembly is compiled when the module is made. For
 * the benchmark's 2,000 papers, rowsVector took ~180 ms cold in JavaScript and ~60 ms warm; cold, the
 * SIMD kernel took ~35–50 ms (measured in fresh processes, 2,000 papers × ~180 words × 100 dimensions).
 *
 * Without WebAssembly SIMD (an old runtime), `kernelsFor` returns undefined and vectors.ts computes in
 * JavaScript: the results are the same either way.
 */
import { VECTOR_KERNELS_WASM } from "./vector-kernels.generated.js";
import type { WordVectors } from "./vectors.js";

/** What this module uses of the WebAssembly JS API (the project's lib settings do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface Exports {
  memory: WasmMemory;
  rowsVector(
    data: number,
    weight: number,
    scale: number,
    dim: number,
    rows: number,
    count: number,
    pc: number,
    out: number,
  ): void;
  dots(table: number, count: number, dim: number, x: number, out: number): void;
  quadraticForm(cov: number, t: number, dim: number): number;
}

/** The kernels over one set of word vectors (their rows copied into the module's memory once). */
export interface VectorKernels {
  /** rowsVector(v, rows, pc) of vectors.ts (undefined for a pc of another length: use the JavaScript). */
  rowsVector(rows: readonly number[], pc: Float32Array | null): Float32Array | undefined;
  /**
   * dots(vs, x, out) of vectors.ts, for an x and vectors of the model's length (undefined otherwise,
   * a missing x included: use the JavaScript).
   */
  dots(
    vs: readonly (Float32Array | null)[],
    x: Float32Array | null,
    out: Float64Array,
  ): Float64Array | undefined;
  /** quadraticForm(v, t) of vectors.ts (undefined for a t of another length: use the JavaScript). */
  quadraticForm(t: Float32Array): number | undefined;
}

let compiled: object | null | undefined;

/** The compiled module, or null where this runtime has no WebAssembly (or no SIMD). */
function wasmModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(Buffer.from(VECTOR_KERNELS_WASM, "base64")) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const byVectors = new WeakMap<WordVectors, VectorKernels | null>();

/**
 * The kernels for these word vectors, made on first use. Dangerous spot: the rows (data, weight, scale)
 * are copied then, so they must not change afterwards (the model file's never do; buildWordVectors
 * fills them before its first textVector). pc and docCov are read at each call; dots copies its
 * vectors again whenever they are not the same objects as the last call's.
 */
export function kernelsFor(v: WordVectors): VectorKernels | undefined {
  let kernels = byVectors.get(v);
  if (kernels === undefined) {
    const module = wasmModule();
    kernels = module && wasm ? createKernels(module, wasm, v) : null;
    byVectors.set(v, kernels);
  }
  return kernels ?? undefined;
}

/** Memory layout: the rows, then per-call areas, then the growable rows list and topic table. */
function createKernels(module: object, api: WasmApi, v: WordVectors): VectorKernels {
  const { dim } = v;
  const n = v.scale.length;
  const exports = new api.Instance(module, {}).exports as Exports;
  const { memory } = exports;
  const align = (at: number) => Math.ceil(at / 16) * 16;
  const DATA = 0;
  const WEIGHT = align(DATA + n * dim);
  const SCALE = align(WEIGHT + 4 * n);
  const PC = align(SCALE + 4 * n);
  const OUT = align(PC + 4 * dim);
  const X = align(OUT + 4 * dim);
  const COV = align(X + 4 * dim);
  const DOTS = align(COV + 4 * dim * dim);
  // Grown as needed: the dots results and the topic table (one place per vector), the rows list.
  let vectorsCapacity = 64;
  let rowsCapacity = 4096;
  let ROWS = 0;
  let TABLE = 0;

  const ensure = (bytes: number) => {
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65_536));
  };
  /** Places the rows list and the table after the dots results (their contents are written at each call). */
  const layout = () => {
    ROWS = align(DOTS + 8 * vectorsCapacity);
    TABLE = align(ROWS + 4 * rowsCapacity);
    ensure(TABLE + 4 * dim * vectorsCapacity);
    cachedTable = undefined;
  };
  /** The topic vectors last copied in (by identity), so a classifier's table is copied once. */
  let cachedTable: (Float32Array | null)[] | undefined;
  layout();
  new Int8Array(memory.buffer, DATA, n * dim).set(v.data);
  new Float32Array(memory.buffer, WEIGHT, n).set(v.weight);
  new Float32Array(memory.buffer, SCALE, n).set(v.scale);

  return {
    rowsVector(rows, pc) {
      if (pc && pc.length !== dim) return undefined;
      if (rows.length > rowsCapacity) {
        rowsCapacity = rows.length * 2;
        layout();
      }
      const list = new Int32Array(memory.buffer, ROWS, rows.length);
      for (let i = 0; i < rows.length; i++) list[i] = rows[i] as number;
      if (pc) new Float32Array(memory.buffer, PC, dim).set(pc);
      exports.rowsVector(DATA, WEIGHT, SCALE, dim, ROWS, rows.length, pc ? PC : -1, OUT);
      return new Float32Array(memory.buffer, OUT, dim).slice();
    },
    dots(vs, x, out) {
      if (x?.length !== dim) return undefined;
      for (const vector of vs) if (vector !== null && vector.length !== dim) return undefined;
      if (vs.length > vectorsCapacity) {
        vectorsCapacity = vs.length;
        layout();
      }
      if (!sameVectors(cachedTable, vs)) {
        const table = new Float32Array(memory.buffer, TABLE, dim * vs.length);
        vs.forEach((vector, i) => {
          if (vector) table.set(vector, i * dim);
          else table.fill(0, i * dim, (i + 1) * dim);
        });
        cachedTable = [...vs];
      }
      new Float32Array(memory.buffer, X, dim).set(x);
      exports.dots(TABLE, vs.length, dim, X, DOTS);
      out.set(new Float64Array(memory.buffer, DOTS, vs.length));
      // A missing vector scores 0, as in vectors.ts (its zero row gives +0 too; this makes it explicit).
      vs.forEach((vector, i) => {
        if (vector === null) out[i] = 0;
      });
      return out;
    },
    quadraticForm(t) {
      if (t.length !== dim) return undefined;
      new Float32Array(memory.buffer, COV, dim * dim).set(v.docCov);
      new Float32Array(memory.buffer, X, dim).set(t);
      return exports.quadraticForm(COV, X, dim);
    },
  };
}

/** Whether `vs` holds the same vector objects, in the same places, as the table last copied in. */
function sameVectors(
  cached: readonly (Float32Array | null)[] | undefined,
  vs: readonly (Float32Array | null)[],
): boolean {
  if (cached?.length !== vs.length) return false;
  for (let i = 0; i < vs.length; i++) if (cached[i] !== vs[i]) return false;
  return true;
}

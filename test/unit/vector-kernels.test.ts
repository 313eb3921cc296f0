/**
 * The WebAssembly kernels (vector-kernels.wat) give the JavaScript's numbers bit for bit: rowsVector,
 * dots and cosineBackground's quadratic form, on the shipped model and on odd-sized vectors (the SIMD
 * loops' tails), with their buffers grown past their first sizes. And the generated module is the .wat's.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadShippedModel } from "../../shared/classify/model-file.js";
import { kernelsFor } from "../../shared/classify/vector-kernels.js";
import { wasmModuleSource } from "../../shared/classify/vector-kernels-build.js";
import {
  cosineBackground,
  dot,
  dots,
  quadraticForm,
  rowsVector,
  rowsVectorJs,
  type WordVectors,
} from "../../shared/classify/vectors.js";

/** The same bits (so +0 and -0 differ, and so would two NaNs with different payloads). */
function bits(x: Float32Array | Float64Array): string {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString("hex");
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Word vectors of `n` rows and `dim` components with random int8 rows, scales, weights and moments. */
function syntheticVectors(n: number, dim: number, seed: number): WordVectors {
  const next = random(seed);
  const f32 = (length: number, spread: number) =>
    Float32Array.from({ length }, () => (next() - 0.5) * spread);
  return {
    dim,
    index: new Map(Array.from({ length: n }, (_, i) => [`w${i}`, i])),
    data: Int8Array.from({ length: n * dim }, () => Math.floor(next() * 256) - 128),
    scale: Float32Array.from({ length: n }, () => next() / 50),
    weight: Float32Array.from({ length: n }, () => next()),
    pc: f32(dim, 1),
    docMean: f32(dim, 0.1),
    docCov: f32(dim * dim, 0.01),
  };
}

function rowLists(n: number, next: () => number): number[][] {
  const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 180, 600];
  return lengths.map((length) => Array.from({ length }, () => Math.floor(next() * n)));
}

const shipped = loadShippedModel().vectors;

describe("vector kernels", () => {
  it("are built from vector-kernels.wat as it is now (npm run build:wasm)", async () => {
    const wat = readFileSync(new URL("../../shared/classify/vector-kernels.wat", import.meta.url), "utf8");
    const generated = readFileSync(
      new URL("../../shared/classify/vector-kernels.generated.ts", import.meta.url),
      "utf8",
    );
    expect(await wasmModuleSource(wat)).toBe(generated);
  });

  it("run here (Node has WebAssembly SIMD), so the pipeline uses them", () => {
    expect(shipped).toBeDefined();
    expect(kernelsFor(shipped as WordVectors)).toBeDefined();
  });

  it.each([
    ["the shipped model", () => shipped as WordVectors],
    ["7 components (the SIMD loop's tail)", () => syntheticVectors(50, 7, 3)],
    ["4 components", () => syntheticVectors(30, 4, 4)],
    ["1 component", () => syntheticVectors(20, 1, 5)],
  ])("rowsVector gives rowsVectorJs's bits: %s, with and without the principal component", (_, make) => {
    const v = make();
    const kernels = kernelsFor(v);
    const next = random(11);
    const lists = rowLists(v.scale.length, next);
    // A list longer than the kernel's first rows buffer (4,096) makes it grow; the next ones still fit.
    lists.push(
      Array.from({ length: 5000 }, () => Math.floor(next() * v.scale.length)),
      [0, 1, 2],
    );
    for (const rows of lists) {
      for (const pc of [v.pc, null]) {
        const fromWasm = kernels?.rowsVector(rows, pc);
        expect(fromWasm).toBeDefined();
        expect(bits(fromWasm as Float32Array)).toBe(bits(rowsVectorJs(v, rows, pc)));
        expect(bits(rowsVector(v, rows, pc))).toBe(bits(rowsVectorJs(v, rows, pc)));
      }
    }
  });

  it("leave a principal component of another length to the JavaScript", () => {
    const v = syntheticVectors(10, 6, 7);
    expect(kernelsFor(v)?.rowsVector([1, 2], new Float32Array(5))).toBeUndefined();
  });

  it("dots gives dots's bits for even and odd counts, missing vectors, and a table that changes", () => {
    const v = shipped as WordVectors;
    const kernels = kernelsFor(v);
    const next = random(21);
    const vector = () =>
      rowsVectorJs(
        v,
        Array.from({ length: 40 }, () => Math.floor(next() * 12000)),
      );
    const tables = [
      Array.from({ length: 50 }, vector),
      [vector(), null, vector()],
      Array.from({ length: 131 }, (_, i) => (i % 17 === 0 ? null : vector())),
    ];
    for (const vs of [...tables, tables[0] ?? [], tables[1] ?? []]) {
      for (let paper = 0; paper < 5; paper++) {
        const x = vector();
        const expected = dots(vs, x, new Float64Array(vs.length));
        const got = kernels?.dots(vs, x, new Float64Array(vs.length));
        expect(got).toBeDefined();
        expect(bits(got as Float64Array)).toBe(bits(expected));
      }
    }
    // The same array with one vector replaced in place is copied again, not served from the old table.
    const vs = tables[0] ?? [];
    const x = vector();
    kernels?.dots(vs, x, new Float64Array(vs.length));
    vs[3] = vector();
    const got = kernels?.dots(vs, x, new Float64Array(vs.length)) as Float64Array;
    expect(got[3]).toBe(dot(vs[3] as Float32Array, x));
  });

  it("dots leaves vectors of another length to the JavaScript", () => {
    const kernels = kernelsFor(shipped as WordVectors);
    const x = new Float32Array(100).fill(0.1);
    expect(kernels?.dots([x, new Float32Array(99)], x, new Float64Array(2))).toBeUndefined();
    expect(kernels?.dots([x], new Float32Array(99), new Float64Array(1))).toBeUndefined();
  });

  it("leave a missing paper vector and a quadratic form of another length to the JavaScript", () => {
    const kernels = kernelsFor(shipped as WordVectors);
    expect(kernels?.dots([new Float32Array(100)], null, new Float64Array(1))).toBeUndefined();
    expect(kernels?.quadraticForm(new Float32Array(99))).toBeUndefined();
    const v = syntheticVectors(10, 6, 7);
    const t = new Float32Array(5).fill(0.2);
    expect(cosineBackground(v, t).sd).toBe(Math.sqrt(Math.max(quadraticForm(v, t), 1e-6)));
  });

  it.each([
    ["the shipped model", () => shipped as WordVectors],
    ["7 components", () => syntheticVectors(12, 7, 9)],
  ])("cosineBackground's quadratic form gives the JavaScript's bits: %s", (_, make) => {
    const v = make();
    const next = random(31);
    for (let k = 0; k < 20; k++) {
      const t = rowsVectorJs(
        v,
        Array.from({ length: 1 + k * 3 }, () => Math.floor(next() * v.scale.length)),
      );
      const got = kernelsFor(v)?.quadraticForm(t) as number;
      expect(Object.is(got, quadraticForm(v, t))).toBe(true);
      const { mean, sd } = cosineBackground(v, t);
      expect(sd).toBe(Math.sqrt(Math.max(quadraticForm(v, t), 1e-6)));
      expect(mean).toBe(dot(t, v.docMean));
    }
  });
});

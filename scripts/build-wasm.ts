/**
 * `npm run build:wasm`: shared/classify/vector-kernels.wat → vector-kernels.generated.ts (the module's
 * bytes, base64), with wabt. test/unit/vector-kernels.test.ts fails when the generated file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { wasmModuleSource } from "../shared/classify/vector-kernels-build.js";

const wat = fileURLToPath(new URL("../shared/classify/vector-kernels.wat", import.meta.url));
const out = fileURLToPath(new URL("../shared/classify/vector-kernels.generated.ts", import.meta.url));
writeFileSync(out, await wasmModuleSource(readFileSync(wat, "utf8")));
process.stdout.write(`wrote ${out}\n`);

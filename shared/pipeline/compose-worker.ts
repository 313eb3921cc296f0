/** A compose-pool worker thread: the composer of compose.ts, fed batches of compact digests by the pool. */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { type ComposeSetup, createComposer } from "./compose.js";
import { createExpander, type FromWorker, type ToWorker } from "./compose-pool.js";

if (isMainThread || !parentPort) throw new Error("compose-worker runs only as a worker thread");
const port = parentPort;
const composer = createComposer(workerData as ComposeSetup);
const tables = createExpander();

// Batches are handled one after the other, each answered with one message.
let queue: Promise<void> = Promise.resolve();
port.on("message", (batch: ToWorker) => {
  queue = queue.then(() => answer(batch));
});

async function answer(batch: ToWorker): Promise<void> {
  tables.add(batch);
  const results: FromWorker["results"] = [];
  const moved: ArrayBuffer[] = [];
  for (const { job, digest } of batch.jobs) {
    try {
      const { raw, html, unsubscribeUrl } = await composer.compose(tables.expand(digest));
      results.push({ job, raw, ...(html ? { html } : {}), ...(unsubscribeUrl ? { unsubscribeUrl } : {}) });
      for (const buffer of [raw, html]) if (buffer && ownsItsMemory(buffer)) moved.push(buffer.buffer);
    } catch (error) {
      results.push({ job, error: error instanceof Error ? error.message : String(error) });
    }
  }
  port.postMessage({ results } satisfies FromWorker, moved);
}

/** A buffer alone in its ArrayBuffer can be moved to the main thread instead of copied. */
function ownsItsMemory(buffer: Buffer): buffer is Buffer & { buffer: ArrayBuffer } {
  return (
    buffer.byteOffset === 0 &&
    buffer.byteLength === buffer.buffer.byteLength &&
    buffer.buffer instanceof ArrayBuffer
  );
}

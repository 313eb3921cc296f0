/** A compose-pool worker thread: the composer of compose.ts, fed compact digests by the pool. */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { Paper } from "../domain/paper.js";
import { type ComposeSetup, createComposer } from "./compose.js";
import { expand, type FromWorker, type ToWorker } from "./compose-pool.js";

if (isMainThread || !parentPort) throw new Error("compose-worker runs only as a worker thread");
const port = parentPort;
const composer = createComposer(workerData as ComposeSetup);
const papers = new Map<string, Paper>();

port.on("message", (message: ToWorker) => {
  for (const paper of message.papers) papers.set(paper.id, paper);
  // compose() finishes synchronously inside; one message at a time keeps the answers in order.
  composer.compose(expand(message.digest, papers)).then(
    ({ raw, html, unsubscribeUrl }) => {
      const reply: FromWorker = {
        job: message.job,
        raw,
        ...(html ? { html } : {}),
        ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
      };
      port.postMessage(reply, transferable(raw, html));
    },
    (error: unknown) => {
      const reply: FromWorker = {
        job: message.job,
        error: error instanceof Error ? error.message : String(error),
      };
      port.postMessage(reply);
    },
  );
});

/** Buffers that own their whole memory can be moved to the main thread instead of copied. */
function transferable(...buffers: (Buffer | undefined)[]): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  for (const buffer of buffers) {
    if (
      buffer &&
      buffer.byteOffset === 0 &&
      buffer.byteLength === buffer.buffer.byteLength &&
      buffer.buffer instanceof ArrayBuffer &&
      !list.includes(buffer.buffer)
    ) {
      list.push(buffer.buffer);
    }
  }
  return list;
}

/**
 * The store as one mail batch sees it: the day's digests file is the batch's shard, the run summary is
 * the batch's own, and only batch 1 writes the archive page. Every other key passes through, so the
 * delivery state (claims, sent markers, history, suppressions) is the one shared by all batches.
 */
import { keys } from "../domain/keys.js";
import type { ObjectStore } from "../ports/index.js";
import { batchSummaryKey, type MailBatchMessage } from "./messages.js";

export function batchStoreView(store: ObjectStore, message: MailBatchMessage): ObjectStore {
  const digestsKey = keys.digests(message.date);
  const summaryKey = keys.runSummary(message.date);
  const archiveKey = keys.archive(message.date);
  const route = (key: string) => {
    if (key === digestsKey) return message.shard;
    if (key === summaryKey) return batchSummaryKey(message.date, message.batch);
    return key;
  };
  return {
    get: (key) => store.get(route(key)),
    async put(key, body, contentType) {
      // The same page for every batch: written once, not once per batch.
      if (key === archiveKey && message.batch !== 1) return;
      await store.put(route(key), body, contentType);
    },
    putIfAbsent: (key, body, contentType) => store.putIfAbsent(route(key), body, contentType),
    list: (prefix) => store.list(prefix),
  };
}

/**
 * `npx tsx scripts/bench-send.ts [--rate 20] [--subscribers 1200] [--papers 300] [--json]`
 *
 * The sending rate of the fan-out against a real local AWS (moto_server: S3, SQS, SES): the day's
 * digests are dispatched as SQS batch messages, then `plan.workers` workers (as the SQS event source
 * with maxConcurrency would run them) receive, send through the real SES adapter under the real mail
 * stage and delete. Prints the achieved rate against delivery.maxSendRate and the most sends seen in
 * any one-second window.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { SESClient, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { benchConfig, benchTopics, loadPaperSource, pickPapers } from "../bench/workload.js";
import { S3Store } from "../shared/adapters/s3-store.js";
import { SesMailer } from "../shared/adapters/ses-mailer.js";
import { keys } from "../shared/domain/keys.js";
import { dispatchMailBatches } from "../shared/fanout/dispatch.js";
import { createSendPacer } from "../shared/fanout/pacer.js";
import { fanoutPlan } from "../shared/fanout/plan.js";
import { SqsBatchQueue } from "../shared/fanout/sqs-queue.js";
import { handleMailBatches, runMailBatch } from "../shared/fanout/worker.js";
import { encodeDigestsFile } from "../shared/pipeline/digests-file.js";
import { type DigestsFile, type TaggedFile, tagAndPersonalize } from "../shared/pipeline/stages.js";
import type { Mailer } from "../shared/ports/index.js";
import { startMoto } from "../test/support/moto.js";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "20" },
    subscribers: { type: "string", default: "1200" },
    papers: { type: "string", default: "300" },
    "batch-seconds": { type: "string" },
    json: { type: "boolean", default: false },
  },
});
const RATE = Number(values.rate);
const SUBSCRIBERS = Number(values.subscribers);
const PAPERS = Number(values.papers);
const DATE = "2026-07-01";
const SENDER = "digest@paperboy.example";

const log = (message: string) => process.stderr.write(`${message}\n`);

const moto = await startMoto();
try {
  const s3 = new S3Client({ ...moto.clientConfig, maxAttempts: 3 });
  const ses = new SESClient({ ...moto.clientConfig, maxAttempts: 1 });
  const sqs = new SQSClient(moto.clientConfig);
  const bucket = "paperboy-bench-send";
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: SENDER }));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: "paperboy-mail-batches" }));
  const queueUrl = queue.QueueUrl ?? "";
  const store = new S3Store(bucket, s3);

  // The day: real papers, tagged and personalized by the real pipeline, stored as the classify stage does.
  log(`preparing ${PAPERS} papers × ${SUBSCRIBERS} subscribers …`);
  const config = benchConfig(benchTopics(50), SUBSCRIBERS);
  config.delivery.maxSendRate = RATE;
  const papers = pickPapers(loadPaperSource(), PAPERS);
  const { tagged, digests } = tagAndPersonalize(config, DATE, papers);
  const digestsFile: DigestsFile = { date: DATE, missingSources: [], digests };
  const taggedFile: TaggedFile = { date: DATE, sources: [], papers: tagged };
  await store.put(keys.tagged(DATE), JSON.stringify(taggedFile), "application/json");
  await store.put(keys.digests(DATE), encodeDigestsFile(digestsFile), "application/json");
  const expected = digests.filter((d) => d.items.length > 0).length;

  const plan = fanoutPlan(
    RATE,
    values["batch-seconds"] ? { batchSeconds: Number(values["batch-seconds"]) } : {},
  );
  const dispatchStarted = performance.now();
  const dispatched = await dispatchMailBatches(
    DATE,
    { store, queue: new SqsBatchQueue(queueUrl, sqs) },
    { batchSize: plan.batchSize, workers: plan.workers },
  );
  const dispatchMs = performance.now() - dispatchStarted;
  log(
    `plan: ${plan.workers} workers × ${plan.perWorkerRate.toFixed(2)}/s, ${dispatched.batches} batches of ≤ ${dispatched.batchSize}; sending ${expected} digests at ≤ ${RATE}/s …`,
  );

  // Every SES call the workers make, timed when it leaves (the pacing point).
  const sends: number[] = [];
  const sesMailer = new SesMailer({}, ses);
  const mailer: Mailer = {
    send(message) {
      sends.push(performance.now());
      return sesMailer.send(message);
    },
  };
  let failedRecords = 0;
  // One pacer per worker, as one per container in the Lambda.
  const worker = async () => {
    const pacer = createSendPacer(plan.perWorkerRate);
    for (;;) {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }),
      );
      const message = out.Messages?.[0];
      if (!message?.ReceiptHandle || !message.MessageId) return;
      const { response } = await handleMailBatches(
        [{ messageId: message.MessageId, body: message.Body ?? "" }],
        (m) => runMailBatch(config, m, { store, mailer, perWorkerRate: plan.perWorkerRate, pacer }),
      );
      if (response.batchItemFailures.length > 0) failedRecords += 1;
      else
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: plan.workers }, worker));
  const wallMs = performance.now() - started;

  sends.sort((a, b) => a - b);
  const first = sends[0] ?? 0;
  const last = sends.at(-1) ?? 0;
  // n sends paced at r/s span (n − 1)/r seconds: that is the rate the pacing achieved.
  const achieved = sends.length > 1 ? (sends.length - 1) / ((last - first) / 1000) : 0;
  let maxWindow = 0;
  for (let i = 0, j = 0; i < sends.length; i++) {
    while ((sends[i] ?? 0) - (sends[j] ?? 0) >= 1000) j++;
    maxWindow = Math.max(maxWindow, i - j + 1);
  }
  const left = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  const result = {
    configuredRate: RATE,
    achievedRate: Math.round(achieved * 100) / 100,
    achievedShare: Math.round((achieved / RATE) * 1000) / 1000,
    maxSendsInAnySecond: maxWindow,
    wallRate: Math.round((sends.length / (wallMs / 1000)) * 100) / 100,
    sent: sends.length,
    expected,
    workers: plan.workers,
    perWorkerRate: Math.round(plan.perWorkerRate * 100) / 100,
    batches: dispatched.batches,
    batchSize: dispatched.batchSize,
    failedRecords,
    messagesLeft: Number(left.Attributes?.ApproximateNumberOfMessages ?? 0),
    dispatchMs: Math.round(dispatchMs),
    wallMs: Math.round(wallMs),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(
      `${[
        `send bench (moto_server S3 + SQS + SES, real SesMailer, real mail stage per batch)`,
        `  configured delivery.maxSendRate   ${RATE}/s`,
        `  achieved (first → last send)      ${result.achievedRate}/s = ${(result.achievedShare * 100).toFixed(1)}% of configured`,
        `  most sends in any 1 s window      ${maxWindow}`,
        `  wall rate incl. start/finish      ${result.wallRate}/s over ${(wallMs / 1000).toFixed(1)} s`,
        `  sent ${sends.length} of ${expected}, failed records ${failedRecords}, left in queue ${result.messagesLeft}`,
        `  plan: ${plan.workers} workers × ${result.perWorkerRate}/s, ${dispatched.batches} batches × ≤ ${dispatched.batchSize}; dispatch ${result.dispatchMs} ms`,
      ].join("\n")}\n`,
    );
  }
} finally {
  await moto.stop();
}

// A compose-pool worker that dies before answering anything (see test/unit/compose-pool.test.ts).
process.exit(3);

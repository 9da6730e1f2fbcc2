/// <reference types="node" />
/**
 * Node only: tokenization (normalisation and word segmentation, text.ts) on worker threads. Each worker
 * cuts a batch of documents into ids of its own first-occurrence vocabulary; merging batch vocabularies in
 * document order gives exactly the ids one thread would assign, so the index bytes do not depend on the
 * number of threads.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";

import type { Normalization } from "../text.js";

/** One batch, tokenized: its vocabulary, and per document the word ids (concatenated) and counts. */
export interface TokenizedBatch {
  vocabulary: string[];
  ids: Uint32Array;
  lengths: Uint32Array;
}

interface Request {
  id: number;
  texts: string[];
  normalization: Normalization;
}

/** The worker's code: load text.ts (through tsx when running from TypeScript) and tokenize batches. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.textModule).then((text) => {
  parentPort.on("message", (request) => {
    const ids = new Map();
    const vocabulary = [];
    const lengths = new Uint32Array(request.texts.length);
    const out = [];
    request.texts.forEach((t, d) => {
      const list = text.words(t, request.normalization);
      lengths[d] = list.length;
      for (const w of list) {
        let id = ids.get(w);
        if (id === undefined) { id = vocabulary.length; ids.set(w, id); vocabulary.push(w); }
        out.push(id);
      }
    });
    const all = Uint32Array.from(out);
    parentPort.postMessage({ id: request.id, vocabulary, ids: all, lengths }, [all.buffer, lengths.buffer]);
  });
  parentPort.postMessage({ ready: true });
});
`;

/** A pool of tokenizer threads. `close()` it when done. */
export class TokenizerPool {
  private readonly workers: Worker[] = [];
  private readonly ready: Promise<void>[] = [];
  private next = 0;
  private sequence = 0;
  private readonly pending = new Map<number, (batch: TokenizedBatch) => void>();

  constructor(readonly threads: number = Math.max(1, os.availableParallelism())) {
    const fromTypeScript = import.meta.url.endsWith(".ts");
    const textModule = new URL(fromTypeScript ? "../text.ts" : "../text.js", import.meta.url).href;
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { textModule },
        execArgv: fromTypeScript ? ["--import", "tsx"] : [],
      });
      this.ready.push(
        new Promise((resolve, reject) => {
          worker.once("error", reject);
          worker.on("message", (message: { ready?: boolean; id?: number } & TokenizedBatch) => {
            if (message.ready === true) return resolve();
            const done = this.pending.get(message.id!);
            this.pending.delete(message.id!);
            done?.({ vocabulary: message.vocabulary, ids: message.ids, lengths: message.lengths });
          });
        }),
      );
      this.workers.push(worker);
    }
  }

  /** Tokenizes one batch on the next thread (round robin). */
  async tokenize(texts: string[], normalization: Normalization): Promise<TokenizedBatch> {
    const worker = this.workers[this.next]!;
    await this.ready[this.next];
    this.next = (this.next + 1) % this.workers.length;
    const id = this.sequence++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      const request: Request = { id, texts, normalization };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Cuts texts into batches of about `batchChars` characters, in order. */
export function batchesOf(texts: readonly string[], batchChars = 1 << 21): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let size = 0;
  texts.forEach((t, d) => {
    current.push(d);
    size += t.length;
    if (size >= batchChars) {
      batches.push(current);
      current = [];
      size = 0;
    }
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

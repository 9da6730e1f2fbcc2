/**
 * The node's HTTP API (node:http):
 *
 * - `POST /outputs` `{inferenceId, text, signature}`: an inference's output text from the model's serving operator,
 *   signed by the model's creator (EIP-712 InferenceOutput, sdk/core/eip712.ts). 202 when taken, 200 when known.
 * - `POST /peer/proposals`: a leader's proposed report or batch (a signed attribution with the leader's signature
 *   and its slot); answers 200 with this node's signature, or 409 with why not, per inference.
 * - `GET /reports/<inference id>`: this node's attribution of an output (to explain a disagreement).
 * - `GET /health`: JSON; `GET /metrics`: Prometheus text.
 *
 * Every refusal is a 4xx with `{"error": "<one sentence>"}`; nothing is recorded for it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { MAX_OUTPUT_BYTES, RequestError, type OracleNode } from "./node.js";

/** Largest request body taken (bytes): an output of MAX_OUTPUT_BYTES in JSON, with room for escapes. */
const MAX_BODY_BYTES = 4 * MAX_OUTPUT_BYTES;

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  const text =
    type === "application/json"
      ? JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) + "\n"
      : String(body);
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    throw new RequestError(415, "The body must be JSON, sent with content-type application/json.");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RequestError(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new RequestError(400, "The body is not valid JSON.");
  }
}

/** Routes one request to the node. */
async function route(node: OracleNode, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://node");
  const method = req.method ?? "GET";
  const only = (allowed: string) => {
    if (method !== allowed) throw new RequestError(405, `${url.pathname} takes ${allowed} requests only.`);
  };
  if (url.pathname === "/health") {
    only("GET");
    return send(res, 200, await node.health());
  }
  if (url.pathname === "/metrics") {
    only("GET");
    return send(res, 200, await node.metrics(), "text/plain; version=0.0.4");
  }
  if (url.pathname === "/outputs") {
    only("POST");
    const result = await node.acceptOutput(await readJson(req));
    return send(res, result.known === true ? 200 : 202, result);
  }
  if (url.pathname === "/peer/proposals") {
    only("POST");
    const answer = await node.answerProposal(await readJson(req));
    if (answer.signed) return send(res, 200, { signer: answer.signer, signature: answer.signature });
    const { error, missing, disagreeing, final, locked } = answer;
    return send(res, 409, { error, missing, disagreeing, final, locked });
  }
  const report = /^\/reports\/(\d{1,78})$/.exec(url.pathname);
  if (report !== null) {
    only("GET");
    const found = await node.store.report(BigInt(report[1]!));
    if (found === undefined) throw new RequestError(404, `This node has no attribution of inference ${report[1]}.`);
    return send(res, 200, found);
  }
  throw new RequestError(404, `There is nothing at ${url.pathname}: see /health, /metrics, /outputs.`);
}

/** Serves the node's API on `host:port` (port 0: any free port); resolves once listening. */
export async function serve(node: OracleNode, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    route(node, req, res).catch((error: unknown) => {
      if (error instanceof RequestError) {
        send(res, error.status, { error: error.message, ...error.details });
        return;
      }
      node.log.error("request failed", {
        path: req.url,
        error: error instanceof Error ? error.message : String(error),
      });
      send(res, 500, { error: "The node failed to answer this request; it is logged, try again." });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

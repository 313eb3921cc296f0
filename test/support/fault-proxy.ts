/**
 * A node:http proxy in front of a real local server (moto_server) that injects faults on chosen
 * requests: error answers (5xx, SES Throttling), answers lost after the request was processed
 * ("stall": forwarded, then the client is left waiting), and requests held and dropped unprocessed.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedRequest {
  /** 1-based count of requests seen by this proxy. */
  n: number;
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export type Fault =
  | { kind: "pass" }
  /** Answer at once with this status and body; the upstream never sees the request. */
  | { kind: "error"; status: number; body: string; label: string }
  /** Forward, let upstream process it, then hold the answer for `ms` and cut the connection. */
  | { kind: "stall-after-forward"; ms: number }
  /** Hold the request for `ms`, never forward it, then cut the connection. */
  | { kind: "drop"; ms: number };

export interface FaultProxy {
  url: string;
  /** How many of each fault (by label or kind) were injected, and how many requests passed. */
  stats: Record<string, number>;
  setPlan(plan: (request: ProxiedRequest) => Fault): void;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1 (a free port) in front of `target` (e.g. http://127.0.0.1:5000). */
export async function startFaultProxy(
  target: string,
  plan: (request: ProxiedRequest) => Fault = () => ({ kind: "pass" }),
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const stats: Record<string, number> = {};
  let current = plan;
  let n = 0;
  const count = (label: string) => {
    stats[label] = (stats[label] ?? 0) + 1;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const proxied: ProxiedRequest = {
        n: ++n,
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      const fault = current(proxied);
      switch (fault.kind) {
        case "pass":
          count("passed");
          forward(upstream, proxied, res);
          return;
        case "error":
          count(fault.label);
          res.writeHead(fault.status, {
            "content-type": "text/xml",
            "content-length": Buffer.byteLength(fault.body),
          });
          res.end(fault.body);
          return;
        case "stall-after-forward":
          count("stall-after-forward");
          forward(upstream, proxied, undefined, () => {
            setTimeout(() => res.destroy(), fault.ms).unref();
          });
          return;
        case "drop":
          count("drop");
          setTimeout(() => res.destroy(), fault.ms).unref();
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setPlan(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends the request upstream; pipes the answer to `res`, or only calls `done` when it came back. */
function forward(
  upstream: URL,
  proxied: ProxiedRequest,
  res: ServerResponse | undefined,
  done?: () => void,
): void {
  const headers = { ...proxied.headers, host: upstream.host };
  const out = httpRequest(
    { host: upstream.hostname, port: upstream.port, method: proxied.method, path: proxied.url, headers },
    (answer) => {
      if (!res) {
        answer.resume();
        answer.on("end", () => done?.());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on("error", () => res?.destroy());
  out.end(proxied.body);
}

/** An S3 error answer (REST-XML). */
export function s3Error(status: number, code: string): Fault {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected ${code}</Message><RequestId>fault</RequestId></Error>`;
  return { kind: "error", status, body, label: `s3 ${status} ${code}` };
}

/** An SES error answer (query protocol XML), e.g. 400 Throttling "Maximum sending rate exceeded." */
export function sesError(status: number, code: string, message: string): Fault {
  const type = status >= 500 ? "Receiver" : "Sender";
  const body = `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>`;
  return { kind: "error", status, body, label: `ses ${status} ${code}` };
}

/** True for an SES SendRawEmail call. */
export function isSendRawEmail(request: ProxiedRequest): boolean {
  return request.method === "POST" && request.body.includes("Action=SendRawEmail");
}

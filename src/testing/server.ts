import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { RequestHandler } from 'msw';
import type { Fault, FaultQueue } from './faults.js';
import { noteReceivedBody } from '../simulation/received-body.js';
import { loadMsw, type Msw } from './msw.js';

/** A request the simulator received. */
export interface RecordedRequest {
  /** The HTTP method, upper-case. */
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The path alone. */
  path: string;
  /** The query, decoded. */
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The request body as text; empty for none. */
  body: string;
  /** `Date.now()` when it arrived. */
  at: number;
  /** The client's port: requests on one kept-alive connection share it. */
  remotePort: number;
  /** The fault it met, if any. */
  fault?: Fault['type'];
}

/** @internal */
export interface LoopbackServerOptions {
  host: string;
  port: number;
  tls?: SimulatorTlsOptions | undefined;
  handlers: () => readonly RequestHandler[];
  faults: FaultQueue;
  onRequest: (request: RecordedRequest) => void;
}

/** Serve HTTPS with this certificate; with `requestCert`, demand a client certificate signed by `ca`. */
export interface SimulatorTlsOptions {
  /** The server's private key, PEM. */
  key: string | Buffer;
  /** The server's certificate, PEM. */
  cert: string | Buffer;
  /** The CA that client certificates must chain to (with `requestCert`). */
  ca?: string | Buffer;
  /** Demand a client certificate and refuse the handshake without a trusted one. @default false */
  requestCert?: boolean;
}

/** @internal */
export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real HTTP server on loopback that answers through msw request handlers (`getResponse`): msw
 * does not see undici's requests, so the handlers run behind a socket, and faults are injected at
 * the socket.
 * @internal
 */
export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const msw = await loadMsw();
  const sockets = new Set<Socket>();
  let origin = '';
  const listener: RequestListener = (req, res) => {
    handle(req, res, origin, options, msw).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `simulator error: ${error instanceof Error ? error.message : String(error)}` } }));
      } else {
        res.destroy();
      }
    });
  };
  const { tls } = options;
  const server: Server = tls
    ? (createTlsServer({ key: tls.key, cert: tls.cert, ...(tls.ca ? { ca: tls.ca } : {}), requestCert: tls.requestCert ?? false, rejectUnauthorized: tls.requestCert ?? false }, listener) as unknown as Server)
    : createServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `${tls ? 'https' : 'http'}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, origin: string, options: LoopbackServerOptions, msw: Msw): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const body = bytes.toString('utf8');
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  const queryIndex = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const fault = options.faults.take(method, url);
  const record: RecordedRequest = {
    method,
    url,
    path: queryIndex === -1 ? url : url.slice(0, queryIndex),
    query: new URLSearchParams(queryIndex === -1 ? '' : url.slice(queryIndex + 1)),
    headers,
    body,
    at: Date.now(),
    remotePort: req.socket.remotePort ?? 0,
  };
  if (fault) record.fault = fault.type;
  options.onRequest(record);

  switch (fault?.type) {
    case 'reset':
      req.socket.destroy();
      return;
    case 'hang':
      return;
    case 'delay':
      await sleep(fault.ms);
      break;
    case 'status': {
      const text = fault.body === undefined ? '' : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
      const type = fault.body === undefined || typeof fault.body === 'string' ? 'text/plain' : 'application/json';
      res.writeHead(fault.status, { 'content-type': type, ...fault.headers });
      res.end(text);
      return;
    }
    case 'rate-limit':
      res.writeHead(429, {
        'content-type': 'application/json',
        ...(fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }),
      });
      res.end(JSON.stringify({ error: { message: 'Too many requests', code: '429' } }));
      return;
    case 'raw':
      res.writeHead(fault.status ?? 200, { 'content-type': fault.contentType ?? 'text/html', ...fault.headers });
      res.end(fault.body);
      return;
    default:
      break;
  }

  const request = new Request(origin + url, {
    method,
    headers: Object.entries(headers).filter(([name]) => name !== 'connection'),
    ...(method === 'GET' || method === 'HEAD' || bytes.length === 0 ? {} : { body: bytes }),
  });
  noteReceivedBody(request, body);
  const response = (await msw.getResponse([...options.handlers()], request)) ?? notHandled(method, record.path);
  const payload = Buffer.from(await response.arrayBuffer());
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    outHeaders[name] = value;
  });

  switch (fault?.type) {
    case 'reset-mid-body':
      outHeaders['content-length'] = String(payload.length);
      res.writeHead(response.status, outHeaders);
      res.write(payload.subarray(0, Math.max(1, payload.length >> 1)));
      await sleep(5);
      req.socket.destroy();
      return;
    case 'truncate':
      outHeaders['content-length'] = String(payload.length);
      res.writeHead(response.status, outHeaders);
      res.write(payload.subarray(0, Math.max(1, payload.length >> 1)));
      req.socket.end();
      return;
    case 'trickle': {
      outHeaders['content-length'] = String(payload.length);
      res.writeHead(response.status, outHeaders);
      const size = Math.max(1, fault.chunkBytes ?? 1);
      for (let offset = 0; offset < payload.length; offset += size) {
        if (res.destroyed) return;
        res.write(payload.subarray(offset, offset + size));
        await sleep(fault.intervalMs);
      }
      res.end();
      return;
    }
    default:
      res.writeHead(response.status, outHeaders);
      res.end(payload);
  }
}

function notHandled(method: string, path: string): Response {
  return Response.json({ error: { message: `the simulator has no route for ${method} ${path}`, code: 'NO_ROUTE' } }, { status: 404 });
}

/**
 * One POST to `<server>/live/api.php` and the reading of its answer: time-out and cancellation,
 * HTTP status, JSON, `ok`/`nok`, and the reply's shape. Every failure leaves here as an `ApiError`.
 */
import * as v from 'valibot';
import { ApiError, classifyNok } from './errors';
import { statusSchema } from './schemas';
import { API_VERSION, normalizeServer } from './constants';

export const DEFAULT_TIMEOUT_MS = 20_000;

export interface ApiConfig {
  /** Base address of the TimeTonic server, e.g. `https://timetonic.com`; no trailing path. */
  server: string;
  /** Time allowed for one request, answer included. */
  timeoutMs?: number;
  /** Injected for tests and instrumentation; the global `fetch` otherwise. */
  fetch?: typeof fetch;
}

export interface CallOptions {
  /** Cancels the request; the call then fails with kind `cancelled`. */
  signal?: AbortSignal;
  /** Overrides the configured time-out for this call. */
  timeoutMs?: number;
}

export type Params = Record<string, string | number | boolean | undefined>;

export function apiEndpoint(server: string): string {
  return `${normalizeServer(server)}/live/api.php`;
}

export async function callApi<S extends v.GenericSchema>(
  config: ApiConfig,
  req: string,
  params: Params,
  schema: S,
  options: CallOptions = {},
  file?: { field: string; blob: Blob; name: string },
): Promise<v.InferOutput<S>> {
  const fields: [string, string][] = [
    ['version', API_VERSION],
    ['req', req],
  ];
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) fields.push([key, String(value)]);
  }

  let body: URLSearchParams | FormData;
  if (file) {
    body = new FormData();
    for (const [key, value] of fields) body.append(key, value);
    body.append(file.field, file.blob, file.name);
  } else {
    body = new URLSearchParams(fields);
  }

  const text = await post(config, req, body, options);
  try {
    return parseReply(req, text, schema);
  } catch (error) {
    // A server may repeat what it was sent in its refusal: the password goes no further.
    const password = params.pwd === undefined ? '' : String(params.pwd);
    if (!password || !(error instanceof ApiError) || !error.message.includes(password)) throw error;
    throw new ApiError(error.kind, error.message.replaceAll(password, '•••'), error.details);
  }
}

async function post(
  config: ApiConfig,
  req: string,
  body: URLSearchParams | FormData,
  options: CallOptions,
): Promise<string> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? config.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const fetchImpl = config.fetch ?? globalThis.fetch;
  const failure = (error: unknown): ApiError => {
    if (options.signal?.aborted) return new ApiError('cancelled', `${req} was cancelled`, { req, cause: error });
    if (timeout.aborted) return new ApiError('timeout', `${req}: no answer from the server in time`, { req, cause: error });
    return new ApiError('network', `${req}: cannot reach ${config.server}`, { req, cause: error });
  };

  let response: Response;
  try {
    response = await fetchImpl(apiEndpoint(config.server), { method: 'POST', body, signal, credentials: 'omit' });
  } catch (error) {
    throw failure(error);
  }
  if (!response.ok) {
    // Drain the body so the connection can be reused; its content is of no use.
    await response.arrayBuffer().catch(() => undefined);
    throw new ApiError('httpStatus', `${req}: the server answered HTTP ${response.status}`, {
      req,
      status: response.status,
    });
  }
  try {
    return await response.text();
  } catch (error) {
    throw failure(error);
  }
}

export function parseReply<S extends v.GenericSchema>(req: string, text: string, schema: S): v.InferOutput<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('badReply', `${req}: the server's answer is not JSON (${preview(text)})`, { req });
  }
  const status = v.safeParse(statusSchema, json);
  if (!status.success) {
    throw new ApiError('badReply', `${req}: the server's answer has no status`, { req });
  }
  if (status.output.status === 'nok') {
    const { code, message } = nokDetails(status.output);
    throw new ApiError(classifyNok(code, message), `${req}: ${message}`, { req, code });
  }
  if (status.output.status !== 'ok') {
    throw new ApiError('badReply', `${req}: unknown status ${preview(String(status.output.status))}`, { req });
  }
  const reply = v.safeParse(schema, json);
  if (!reply.success) {
    const issue = reply.issues[0];
    const path = issue ? v.getDotPath(issue) : null;
    // In words: what is missing or unreadable, not the checker's own phrasing.
    const what = issue?.input === undefined ? 'missing' : `not readable (${preview(JSON.stringify(issue.input) ?? '')})`;
    throw new ApiError('badReply', `${req}: unexpected answer${path ? `: ${clip(path, 60)} is ${what}` : ''}`, { req });
  }
  return reply.output;
}

/** The server's words are shown and stored: no more of them than a sentence holds. */
const MAX_SERVER_WORDS = 200;

/** Reads `errorCode`/`errorMsg`, or the older single `error` string `"apiProcess91: invalid appkey"`. */
function nokDetails(reply: v.InferOutput<typeof statusSchema>): { code?: string; message: string } {
  const code = typeof reply.errorCode === 'string' || typeof reply.errorCode === 'number' ? clip(String(reply.errorCode), 40) : undefined;
  const words = (text: string) => clip(text.replace(/\s+/g, ' ').trim(), MAX_SERVER_WORDS);
  if (typeof reply.errorMsg === 'string' && words(reply.errorMsg) !== '') return { code, message: words(reply.errorMsg) };
  if (typeof reply.error === 'string' && words(reply.error) !== '') {
    const match = /^(\w+):\s*(.*)$/s.exec(reply.error);
    return match ? { code: code ?? clip(match[1]!, 40), message: words(match[2] || reply.error) } : { code, message: words(reply.error) };
  }
  return { code, message: code ? `error ${code}` : 'the server refused the request' };
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function preview(text: string): string {
  return clip(text.replace(/\s+/g, ' ').trim(), 60) || 'empty';
}

/**
 * Errors of the TimeTonic API client.
 *
 * Every failure of a call becomes an `ApiError` whose `kind` the rest of the code acts on
 * (retry, renew the session, sign out, give up). `code`/`message` keep what the server said.
 */

export type ApiErrorKind =
  /** No answer: DNS, refused connection, dropped connection, offline. Worth retrying. */
  | 'network'
  /** No answer within the time allowed. Worth retrying. */
  | 'timeout'
  /** The caller cancelled the request. */
  | 'cancelled'
  /** An HTTP status other than 2xx. 5xx is worth retrying. */
  | 'httpStatus'
  /** A 2xx answer that is not JSON or lacks what the call needs. */
  | 'badReply'
  /** Wrong login/password, or an oauthkey the server no longer accepts: the user must sign in. */
  | 'badCredentials'
  /** The application key is unknown: make a new one. */
  | 'invalidAppkey'
  /** The session key is unknown or expired: make a new one from the oauthkey. */
  | 'invalidSession'
  /** The user may not do this (not a member, read-only, acting for someone else). */
  | 'noRights'
  /** The book or message named does not exist (any more). */
  | 'notFound'
  /** The request itself is wrong (missing parameter, file too large): retrying cannot help. */
  | 'badInput'
  /** Any other `nok`. */
  | 'refused';

/**
 * The `nok` codes of the local TimeTonic-compatible server, in the `apiProcessNN` style of the API
 * text (`apiProcess91: invalid appkey`, `apiProcess164: invalid oauthkey or o_u`). Only those two
 * appear in the text; the others are our own numbering, and `classifyNok` also reads the message
 * so that a real server's wording is understood.
 */
export const NOK = {
  missingParameter: { code: 'apiProcess2', msg: 'missing parameter', kind: 'badInput' },
  unknownRequest: { code: 'apiProcess3', msg: 'unknown request', kind: 'badInput' },
  postOnly: { code: 'apiProcess4', msg: 'use POST', kind: 'badInput' },
  invalidAppkey: { code: 'apiProcess91', msg: 'invalid appkey', kind: 'invalidAppkey' },
  invalidLogin: { code: 'apiProcess92', msg: 'invalid login or password', kind: 'badCredentials' },
  invalidOauthkey: { code: 'apiProcess164', msg: 'invalid oauthkey or o_u', kind: 'badCredentials' },
  invalidSesskey: { code: 'apiProcess170', msg: 'invalid sesskey', kind: 'invalidSession' },
  expiredSesskey: { code: 'apiProcess171', msg: 'sesskey expired', kind: 'invalidSession' },
  userMismatch: { code: 'apiProcess180', msg: 'u_c must be the same as o_u', kind: 'noRights' },
  unknownBook: { code: 'apiProcess200', msg: 'unknown book', kind: 'notFound' },
  noRights: { code: 'apiProcess201', msg: 'no rights on this book', kind: 'noRights' },
  unknownMessage: { code: 'apiProcess210', msg: 'unknown message', kind: 'notFound' },
  fileTooLarge: { code: 'apiProcess220', msg: 'file too large', kind: 'badInput' },
  missingFile: { code: 'apiProcess221', msg: 'missing file qqfile', kind: 'badInput' },
  unknownTable: { code: 'apiProcess230', msg: 'unknown table', kind: 'notFound' },
  unknownRow: { code: 'apiProcess231', msg: 'unknown row', kind: 'notFound' },
  unknownField: { code: 'apiProcess232', msg: 'unknown field', kind: 'badInput' },
  readOnlyField: { code: 'apiProcess233', msg: 'field is read only', kind: 'noRights' },
  invalidValue: { code: 'apiProcess234', msg: 'invalid value', kind: 'badInput' },
  invalidFieldValues: { code: 'apiProcess235', msg: 'fieldValues must be a JSON object', kind: 'badInput' },
} as const satisfies Record<string, { code: string; msg: string; kind: ApiErrorKind }>;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly details: {
      /** The API call (`req`) that failed. */
      req?: string;
      /** The server's `errorCode` (or the code part of an older `error` string). */
      code?: string;
      /** The HTTP status, for `httpStatus`. */
      status?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
  }

  /** Whether the same request may succeed later without anything changing on our side. */
  get transient(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'timeout' ||
      (this.kind === 'httpStatus' && (this.details.status ?? 0) >= 500) ||
      this.kind === 'badReply'
    );
  }
}

export function isApiError(error: unknown, kind?: ApiErrorKind): error is ApiError {
  return error instanceof ApiError && (kind === undefined || error.kind === kind);
}

const byCode = new Map<string, ApiErrorKind>(Object.values(NOK).map((n) => [n.code, n.kind]));

/** Message patterns for servers whose codes we do not know; checked in order. */
const byMessage: [RegExp, ApiErrorKind][] = [
  [/appkey/i, 'invalidAppkey'],
  [/sess(ion|key)/i, 'invalidSession'],
  [/oauth|password|login|credential/i, 'badCredentials'],
  [/right|permission|access|forbidden|not allowed/i, 'noRights'],
  [/unknown|not found|no such|does not exist/i, 'notFound'],
  [/missing|invalid|too large|too big|required/i, 'badInput'],
];

/** The kind of a `nok` reply, from its code when known, else from its message. */
export function classifyNok(code: string | undefined, message: string): ApiErrorKind {
  const known = code === undefined ? undefined : byCode.get(code);
  if (known) return known;
  return byMessage.find(([pattern]) => pattern.test(message))?.[1] ?? 'refused';
}

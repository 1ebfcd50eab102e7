/**
 * The `nok` replies of the local server, its own table: the extension's client has another, and
 * the tests check that the client understands each of these, so a wrong code is caught rather
 * than copied.
 *
 * The API text shows two codes, in its examples: `apiProcess91: invalid appkey` (createOauthkey)
 * and `apiProcess164: invalid oauthkey or o_u` (createSesskey). It names no other, so the rest
 * follow the same `apiProcessNN` style with numbers of our own, and messages a reader of the text
 * would expect.
 */
export const SERVER_ERRORS = {
  missingParameter: { code: 'apiProcess2', msg: 'missing parameter' },
  unknownRequest: { code: 'apiProcess3', msg: 'unknown request' },
  postOnly: { code: 'apiProcess4', msg: 'use POST' },
  /** From the text: createOauthkey's example. */
  invalidAppkey: { code: 'apiProcess91', msg: 'invalid appkey' },
  invalidLogin: { code: 'apiProcess92', msg: 'invalid login or password' },
  /** From the text: createSesskey's example. */
  invalidOauthkey: { code: 'apiProcess164', msg: 'invalid oauthkey or o_u' },
  invalidSesskey: { code: 'apiProcess170', msg: 'invalid sesskey' },
  expiredSesskey: { code: 'apiProcess171', msg: 'sesskey expired' },
  userMismatch: { code: 'apiProcess180', msg: 'u_c must be the same as o_u' },
  unknownBook: { code: 'apiProcess200', msg: 'unknown book' },
  noRights: { code: 'apiProcess201', msg: 'no rights on this book' },
  unknownMessage: { code: 'apiProcess210', msg: 'unknown message' },
  fileTooLarge: { code: 'apiProcess220', msg: 'file too large' },
  missingFile: { code: 'apiProcess221', msg: 'missing file qqfile' },
  unknownTable: { code: 'apiProcess230', msg: 'unknown table' },
  unknownRow: { code: 'apiProcess231', msg: 'unknown row' },
  unknownField: { code: 'apiProcess232', msg: 'unknown field' },
  readOnlyField: { code: 'apiProcess233', msg: 'field is read only' },
  invalidValue: { code: 'apiProcess234', msg: 'invalid value' },
  invalidFieldValues: { code: 'apiProcess235', msg: 'fieldValues must be a JSON object' },
} as const satisfies Record<string, { code: string; msg: string }>;

export type ServerErrorKey = keyof typeof SERVER_ERRORS;

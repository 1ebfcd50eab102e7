/**
 * Addresses of images, media and documents under `<server>/live/dbi/` (see the API text on `/dbi/`).
 * Only the internal-name form opens without a session; the others carry the session keys as query
 * parameters so that the address can be used as it is (an `<img src>`, a link).
 */
import type { BookRef, SessionKeys } from './client';
import { API_VERSION, normalizeServer } from './constants';

export type DbiSize = 'norm' | 'tb' | 'cover' | 'full';
/** image: a picture; media: audio/video to play; docThumb: the picture of a document; doc: the document. */
export type DbiFile = 'image' | 'media' | 'docThumb' | 'doc';

/** The path prefix for each file kind, by the way the file is named. */
const prefixes: Record<DbiFile, { internName: string; message: string; fileId: string }> = {
  image: { internName: 'in', message: 'ic', fileId: 'ii' },
  media: { internName: 'oin', message: 'oic', fileId: 'oii' },
  docThumb: { internName: 'dn', message: 'dc', fileId: 'di' },
  doc: { internName: 'odn', message: 'odc', fileId: 'odi' },
};

function build(server: string, segments: (string | number | undefined)[], session?: SessionKeys): string {
  const path = segments
    .filter((segment) => segment !== undefined && segment !== '')
    .map((segment) => encodeURIComponent(String(segment)))
    .join('/');
  const url = new URL(`${normalizeServer(server)}/live/dbi/${path}`);
  if (session) {
    url.searchParams.set('version', API_VERSION);
    url.searchParams.set('o_u', session.o_u);
    url.searchParams.set('u_c', session.o_u);
    url.searchParams.set('sesskey', session.sesskey);
  }
  return url.href;
}

/** `/dbi/in/<size>/<internName>/<name>`: opens without a session. */
export function dbiByInternName(
  server: string,
  file: { kind?: DbiFile; size?: DbiSize; internName: string; name?: string },
): string {
  return build(server, [prefixes[file.kind ?? 'image'].internName, file.size ?? 'norm', file.internName, file.name]);
}

/** `/dbi/ic/<size>/<b_o>/<b_c>/<smid>/<mdc>/<name>`: the mdc-th file of a message. */
export function dbiByMessage(
  server: string,
  session: SessionKeys,
  file: BookRef & { kind?: DbiFile; size?: DbiSize; smid: number; mdc: number; name?: string },
): string {
  const kind = file.kind ?? 'image';
  return build(
    server,
    [prefixes[kind].message, sizeFor(kind, file.size), file.b_o, file.b_c, file.smid, file.mdc, file.name],
    session,
  );
}

/** `/dbi/ii/<size>/<b_o>/<b_c>/<fileId>/<name>`: a file by its server id. */
export function dbiByFileId(
  server: string,
  session: SessionKeys,
  file: BookRef & { kind?: DbiFile; size?: DbiSize; fileId: string | number; name?: string },
): string {
  const kind = file.kind ?? 'image';
  return build(server, [prefixes[kind].fileId, sizeFor(kind, file.size), file.b_o, file.b_c, file.fileId, file.name], session);
}

/** `/dbi/last/<size>/<b_o>/<b_c>/<imageId>`: the book's last image, e.g. as its cover. */
export function dbiLastImage(server: string, session: SessionKeys, book: BookRef & { size?: DbiSize; imageId?: number }): string {
  return build(server, ['last', book.size ?? 'cover', book.b_o, book.b_c, book.imageId], session);
}

/** `/dbi/ui/<tb|full>/<userId>/<sstamp>`: a user's profile picture. */
export function dbiUserImage(
  server: string,
  session: SessionKeys,
  user: { u_c: string; sstamp: number; size?: 'tb' | 'full' },
): string {
  return build(server, ['ui', user.size ?? 'tb', user.u_c, user.sstamp], session);
}

/** Documents exist only as a thumbnail (`tb`) or in full (`full`). */
function sizeFor(kind: DbiFile, size: DbiSize | undefined): DbiSize {
  if (kind === 'docThumb') return 'tb';
  if (kind === 'doc') return 'full';
  return size ?? 'norm';
}

/**
 * The JSON shapes of the replies, field for field as in the examples of the API text.
 */

import type { Book, Member, Message, ServerState, StoredFile, User } from './state';

const COLORS = {
  defaut: '#9FA8AD',
  'bleu-violet': '#a366a6',
  gray: '#909090',
  'bleu-turquoise': '#51a5bC',
  red: '#FF3B47',
  green: '#7cc300',
  orange: '#ff8400',
  pink: '#ff0078',
  'bleu-nuit': '#5780A5',
  noir: '#2c3f49',
  'rose-bois': '#E84D5B',
  'orange-pastel': 'FFB80D',
  'vert-pastel': '#bAe24A',
  'jaune-indien': '#ffdf23',
  lilas: '#d76db6',
};

export function userInfoView(state: ServerState, user: User): Record<string, unknown> {
  return {
    firstTime: false,
    uimgStamp: 0,
    sstamp: user.infoStamp,
    nbBooks: state.booksOf(user.u_c).length,
    u_c: user.u_c,
    userPrefs: {
      mail1: user.email,
      mail1_toConfirm: '',
      mob1: '',
      sex: '',
      country: '',
      fname: user.firstName,
      lname: user.lastName,
      lang: user.lang,
      UCREATEDON: user.createdOn,
      birthd: '',
      mail2: '',
      mail2_toConfirm: '',
      mob2: '',
      address: '',
      zip: '',
      city: '',
      cie: '',
      vatn: '',
      account: 'Free',
      until: '',
      slashd: true,
      regiondf: 'EU',
      sdate: '',
      method: 'MANUAL',
      openGrand: true,
      NotifMobile: 'VibNotif',
      nbCol: 3,
      lastConnection: '',
      secondsSincePreviousConnection: '',
      tz: '',
      syncWithHubic: false,
    },
    rights: { 'form-pro': true },
    colors: COLORS,
    projectID: user.projectID,
  };
}

export function contactView(user: User): Record<string, unknown> {
  return {
    u_c: user.u_c,
    lastName: user.lastName,
    firstName: user.firstName,
    sstamp: user.infoStamp,
    isConfirmed: true,
  };
}

function nbOf(message: Message, type: 'media' | 'doc', announced: number): number {
  return Math.max(announced, message.files.filter((f) => f.type === type).length);
}

/** A file as listed in a message; `lastMsg` lists them without uuid, as in the text's example. */
function mediaView(file: StoredFile, withUuid: boolean): Record<string, unknown> {
  return {
    id: file.id,
    ext: file.ext,
    originName: file.originName,
    internName: file.internName,
    ...(withUuid ? { uuid: file.uuid } : {}),
    size: file.bytes.length,
    type: file.type,
    emailCid: '',
    del: false,
  };
}

/** One message of `bookMessages`. `medias` is left out when empty, as in the text's example. */
export function messageView(message: Message): Record<string, unknown> {
  return {
    del: message.del,
    u_c: message.u_c,
    created: message.created,
    lastModified: message.lastModified,
    uuid: message.uuid,
    sstamp: message.sstamp,
    pid: 0,
    msgBody: message.body,
    msgBodyHTML: '',
    msgType: 'm',
    msgMethod: '',
    msgColor: '',
    nbComments: 0,
    lastCommentId: message.smid,
    ...(message.files.length ? { medias: message.files.map((f) => mediaView(f, true)) } : {}),
    nbMedias: nbOf(message, 'media', message.nbMediasAnnounced),
    nbEmailCids: 0,
    nbDocs: nbOf(message, 'doc', message.nbDocsAnnounced),
    msg: message.msg,
    smid: message.smid,
  };
}

/** A book's `lastMsg`: its own field order and spelling (`msgBodyHtml`) in the text. */
function lastMsgView(book: Book): Record<string, unknown> | null {
  const message = book.messages.findLast((m) => !m.del);
  if (!message) return null;
  return {
    smid: message.smid,
    uuid: message.uuid,
    sstamp: message.sstamp,
    lastCommentId: message.smid,
    msgBody: message.body,
    msgBodyHtml: '',
    msgType: 'm',
    msgMethod: '',
    msgColor: '',
    nbComments: 0,
    pid: 0,
    nbMedias: nbOf(message, 'media', message.nbMediasAnnounced),
    nbEmailCids: 0,
    nbDocs: nbOf(message, 'doc', message.nbDocsAnnounced),
    b_c: book.b_c,
    b_o: book.b_o,
    u_c: message.u_c,
    msg: message.msg,
    del: false,
    created: message.created,
    lastModified: message.lastModified,
    ...(message.files.length ? { medias: message.files.map((f) => mediaView(f, false)) } : {}),
  };
}

export function bookView(state: ServerState, book: Book, member: Member): Record<string, unknown> {
  const live = book.messages.filter((m) => !m.del);
  const lastMedia = live.flatMap((m) => m.files).findLast((f) => f.type === 'media');
  return {
    accepted: member.invite === 'accepted',
    archived: member.archived,
    sstamp: state.bookStampFor(book, member),
    del: false,
    b_c: book.b_c,
    b_o: book.b_o,
    contact_u_c: null,
    nbNotRead: member.nbNotRead,
    nbMembers: book.members.length,
    members: book.members.map((m) => ({ u_c: m.u_c, invite: m.invite, right: m.right })),
    fpForm: { sfpid: book.sbid, name: `${book.b_c}.${book.b_o}`, lastModified: 0 },
    lastMsg: lastMsgView(book),
    userPrefs: {
      maxMsgsOffline: 20,
      syncWithHubic: false,
      uCoverLetOwnerDecide: true,
      uCoverColor: book.coverColor,
      uCoverUseLastImg: false,
      uCoverImg: null,
      uCoverType: 'color',
      inGlobalSearch: true,
      inGlobalTasks: true,
      notifyEmailCopy: false,
      notifySmsCopy: false,
      notifyMobile: true,
      notifyWhenMsgInArchivedBook: true,
    },
    ownerPrefs: {
      oCoverColor: book.coverColor,
      oCoverUseLastImg: false,
      oCoverImg: null,
      oCoverType: 'color',
      authorizeMemberBroadcast: true,
      acceptExternalMsg: true,
      title: book.title,
      notifyMobileConfidential: false,
    },
    sbid: book.sbid,
    lastMsgRead: member.lastMsgRead,
    lastMedia: lastMedia?.id ?? 0,
    favorite: member.favorite,
    order: member.order,
    nbMsgs: live.length,
  };
}

/** The fileUpload reply body (without status/createdVNB/req). */
export function uploadView(file: StoredFile, sstamp: number): Record<string, unknown> {
  return {
    smid: file.smid,
    uuid: file.uuid,
    id: file.id,
    type: file.type,
    mdc: file.mdc,
    ext: file.ext,
    originName: file.originName,
    internName: file.internName,
    size: file.bytes.length,
    sstamp,
  };
}

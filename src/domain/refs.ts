/**
 * Who and where: the account a send or a cache belongs to, and the book it concerns. Pure; the
 * API client, the domain and every surface name accounts and books with these.
 */

/** Keys belong to a user on a server: what an account is, for the outbox and the caches. */
export interface Account {
  server: string;
  o_u: string;
}

/** A book is named by its owner and its code. */
export interface BookRef {
  b_o: string;
  b_c: string;
}

/** Whether two accounts are the same user on the same server; no account matches nothing. */
export function sameAccount(a: Account | null, b: Account | null): boolean {
  return !!a && !!b && a.server === b.server && a.o_u === b.o_u;
}

/** Who an account is, and nothing more: no key that came with it is kept with a send or a cache. */
export function accountOf(account: Account): Account {
  return { server: account.server, o_u: account.o_u };
}

/** Finding a book by typing: case and accents do not matter, archived books wait to be asked for. */
import { describe, expect, it } from 'vitest';
import { findBooks, searchKey } from '../../src/domain/find';
import { bookSummary } from '../support/book-summary';

const book = (title: string, archived = false) => bookSummary(title, { b_o: 'o', title, archived });
const BOOKS = [book('Team offsite – Lisbon'), book('Équipe café'), book('Straße & Søren'), book('Invoices Q3', true), book('Recipes')];
const titles = (query: string, showArchived = false) => findBooks(BOOKS, query, showArchived).shown.map((b) => b.title);

describe('finding a book', () => {
  it('compares without case or accents', () => {
    expect(searchKey('Équipe CAFÉ Straße Søren Łódź')).toBe('equipe cafe strasse soren lodz');
    expect(titles('lisbon')).toEqual(['Team offsite – Lisbon']);
    expect(titles('EQUIPE')).toEqual(['Équipe café']);
    expect(titles('strasse soren')).toEqual(['Straße & Søren']);
  });

  it('wants every word, in any order, anywhere in the title', () => {
    expect(titles('lis team')).toEqual(['Team offsite – Lisbon']);
    expect(titles('team recipes')).toEqual([]);
    expect(titles('  ')).toHaveLength(4);
  });

  it('keeps the order given', () => {
    expect(titles('e')).toEqual(['Team offsite – Lisbon', 'Équipe café', 'Straße & Søren', 'Recipes']);
  });

  it('leaves archived books out unless asked, and counts those that match', () => {
    expect(findBooks(BOOKS, 'invoices', false)).toMatchObject({ shown: [], archivedHidden: 1 });
    expect(titles('invoices', true)).toEqual(['Invoices Q3']);
    expect(findBooks(BOOKS, 'recipes', false).archivedHidden).toBe(0);
  });
});

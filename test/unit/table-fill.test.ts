/** What goes into which field of a table's new row: types, names in two languages, odd names, choices. */
import { describe, expect, it } from 'vitest';
import { fieldRoles, fillTable, formatDate, learnChoices, nameWords, rowValues, type ClipValues, type FieldSpec, type Role } from '../../src/domain/table-fill';

let nextId = 1;
function field(name: string, type = 'text', extra: Partial<FieldSpec> = {}): FieldSpec {
  return { id: nextId++, name, type, format: '', readOnly: false, ...extra };
}

const clip: ClipValues = {
  title: '  A page about tables ',
  url: 'https://example.com/article?id=1',
  selection: ' A quoted sentence. ',
  today: { year: 2026, month: 3, day: 7 },
  hasImage: true,
};

/** Role by field name, for readable assertions. */
function rolesByName(fields: FieldSpec[], choices = {}): Record<string, Role> {
  const roles = fieldRoles(fields, choices);
  return Object.fromEntries(fields.flatMap((f) => (roles.has(f.id) ? [[f.name, roles.get(f.id)!]] : [])));
}

describe('field roles by name', () => {
  it.each([
    // English
    [['Name', 'Website', 'Description', 'Created', 'Screenshot'], { Name: 'title', Website: 'url', Description: 'selection', Created: 'date', Screenshot: 'image' }],
    [['Subject', 'Source', 'Excerpt', 'Saved', 'Attachment'], { Subject: 'title', Source: 'url', Excerpt: 'selection', Saved: 'date', Attachment: 'image' }],
    [['TITLE', 'url', 'quote', 'date', 'photo'], { TITLE: 'title', url: 'url', quote: 'selection', date: 'date', photo: 'image' }],
    // French, with and without accents, any case
    [['Nom', 'Lien', 'Commentaire', 'Ajouté', 'Pièce jointe'], { Nom: 'title', Lien: 'url', Commentaire: 'selection', Ajouté: 'date', 'Pièce jointe': 'image' }],
    [['Titre', 'Adresse', 'Extrait', 'Créé', 'Fichier'], { Titre: 'title', Adresse: 'url', Extrait: 'selection', Créé: 'date', Fichier: 'image' }],
    [['SUJET', 'SITE', 'CITATION', 'ENREGISTRÉ', 'CAPTURE'], { SUJET: 'title', SITE: 'url', CITATION: 'selection', ENREGISTRÉ: 'date', CAPTURE: 'image' }],
    [['Piece  Jointe', 'piece-jointe?'], { 'Piece  Jointe': 'image' }],
    // Names that contain the word
    [['Page title', 'Site web', 'Ajouté le', 'My notes'], { 'Page title': 'title', 'Site web': 'url', 'Ajouté le': 'date', 'My notes': 'selection' }],
    [['Date d’ajout', 'Titre du lien'], { 'Date d’ajout': 'date', 'Titre du lien': 'title' }],
  ])('%j', (names, expected) => {
    // With no type, the image can go to a field by its name.
    expect(rolesByName((names as string[]).map((n) => field(n, '')))).toEqual(expected);
  });

  it('does not match a word inside another word', () => {
    expect(rolesByName([field('Renamed'), field('Sitemap'), field('Notebook'), field('Update'), field('Profile')])).toEqual({});
  });

  it('prefers a name that is only the word over one that contains it, and gives each role once', () => {
    expect(rolesByName([field('Company name'), field('Name'), field('Other name')])).toEqual({ Name: 'title' });
    expect(rolesByName([field('Notes'), field('Note'), field('Description')])).toEqual({ Notes: 'selection' });
    expect(rolesByName([field('Nom de la société'), field('Contact')])).toEqual({ 'Nom de la société': 'title' });
  });
});

describe('field roles by type', () => {
  it('puts the url, date and file by type whatever the name, and names only fill text fields', () => {
    const fields = [field('Where', 'url'), field('When', 'date'), field('Scan', 'file'), field('Title'), field('Link')];
    expect(rolesByName(fields)).toEqual({ Where: 'url', When: 'date', Scan: 'image', Title: 'title' });
  });

  it('fills no typed field of another kind by its name', () => {
    const fields = [field('Email address', 'email'), field('Name', 'number'), field('Date', 'checkbox'), field('Photo', 'text'), field('Phone notes', 'phone')];
    expect(rolesByName(fields)).toEqual({});
  });

  it('maps nothing in a table of fields it does not know, so every field stays empty and editable', () => {
    const fields = [field('Budget', 'number'), field('Owner'), field('Status'), field('Priority')];
    const fills = fillTable(fields, clip);
    expect(fills.map((f) => [f.role, f.value, f.writable])).toEqual(fields.map(() => [null, '', true]));
    expect(rowValues(fills, {})).toEqual({});
  });
});

describe('prefilled values', () => {
  it('fills a row from a page, in the date format the field expects', () => {
    const fields = [field('Title'), field('Link', 'url'), field('Notes', 'richtext'), field('Added', 'date', { format: 'DD/MM/YYYY' }), field('Picture', 'file'), field('Rating', 'number')];
    const fills = fillTable(fields, clip);
    expect(fills.map((f) => [f.field.name, f.role, f.value])).toEqual([
      ['Title', 'title', 'A page about tables'],
      ['Link', 'url', 'https://example.com/article?id=1'],
      ['Notes', 'selection', 'A quoted sentence.'],
      ['Added', 'date', '07/03/2026'],
      ['Picture', 'image', ''],
      ['Rating', null, ''],
    ]);
    expect(rowValues(fills, {})).toEqual({
      [fields[0]!.id]: 'A page about tables',
      [fields[1]!.id]: 'https://example.com/article?id=1',
      [fields[2]!.id]: 'A quoted sentence.',
      [fields[3]!.id]: '07/03/2026',
    });
  });

  it('leaves the image field empty without an image, and the notes without a selection', () => {
    const fields = [field('Notes'), field('Image', 'file')];
    const fills = fillTable(fields, { ...clip, selection: '', hasImage: false });
    expect(fills.map((f) => [f.role, f.value])).toEqual([['selection', ''], [null, '']]);
  });

  it.each([
    ['', '2026-03-07'],
    ['YYYY-MM-DD', '2026-03-07'],
    ['DD/MM/YYYY', '07/03/2026'],
    ['MM/DD/YYYY', '03/07/2026'],
    ['dd.mm.yyyy', '07.03.2026'],
    ['D/M/YY', '7/3/26'],
    ['nonsense', '2026-03-07'],
    ['<script>', '2026-03-07'],
  ])('writes today as %j: %s', (format, expected) => {
    expect(formatDate(clip.today, format)).toBe(expected);
  });

  it('writes a date into a text field named for it in ISO', () => {
    expect(fillTable([field('Date added')], clip)[0]?.value).toBe('2026-03-07');
  });

  it('gives nothing to a field the user may not write, and lets the next one take the role', () => {
    const fields = [field('Title', 'text', { readOnly: true }), field('Name'), field('Link', 'url', { readOnly: true })];
    const fills = fillTable(fields, clip);
    expect(fills.map((f) => [f.field.name, f.role, f.writable])).toEqual([
      ['Title', null, false],
      ['Name', 'title', true],
      ['Link', null, false],
    ]);
    expect(Object.keys(rowValues(fills, { [fields[0]!.id]: 'forced' }))).toEqual([String(fields[1]!.id)]);
  });
});

describe('odd and hostile names', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', {}],
    ['__proto__', {}],
    ['constructor', {}],
    ['', {}],
    ['   ', {}],
    ['🔗 Link', { '🔗 Link': 'url' }],
    ['TITLE!!!', { 'TITLE!!!': 'title' }],
    ['"Name"', { '"Name"': 'title' }],
    // Full-width letters and combining accents read as the plain word.
    ['Ｎａｍｅ', { 'Ｎａｍｅ': 'title' }],
    ['N\u0301om', { 'N\u0301om': 'title' }],
    ['Tı̇tle', {}],
    ['x'.repeat(10_000) + ' url', { ['x'.repeat(10_000) + ' url']: 'url' }],
    ['عنوان', {}],
    ['名前', {}],
  ])('%j', (name, expected) => {
    expect(rolesByName([field(name)])).toEqual(expected);
  });

  it('splits names into plain words', () => {
    expect(nameWords('Pièce-Jointe_(PDF)')).toEqual(['piece', 'jointe', 'pdf']);
    expect(nameWords('ÉNREGISTRÉ  le')).toEqual(['enregistre', 'le']);
  });

  it('keeps hostile values as they are: text, never changed into markup', () => {
    const hostile = { ...clip, title: '<b onmouseover=alert(1)>x</b>', selection: '"><script>alert(1)</script>' };
    const fills = fillTable([field('Title'), field('Notes')], hostile);
    expect(fills.map((f) => f.value)).toEqual(['<b onmouseover=alert(1)>x</b>', '"><script>alert(1)</script>']);
  });

  it('ignores remembered choices under odd keys or with roles it does not know', () => {
    const fields = [field('Title')];
    const choices = JSON.parse('{"__proto__": "url", "constructor": "title", "999": "title"}');
    expect(rolesByName(fields, choices)).toEqual({ Title: 'title' });
    expect(rolesByName(fields, { [fields[0]!.id]: 'nonsense' as Role })).toEqual({});
  });
});

describe('choices remembered per table', () => {
  it('remembers a role moved to another field, and it wins next time', () => {
    const fields = [field('Title'), field('Summary'), field('Notes')];
    const fills = fillTable(fields, clip);
    // The user moves the selection from Notes to Summary.
    const saved = { values: { [fields[1]!.id]: 'A quoted sentence.', [fields[2]!.id]: '' }, imageFieldId: null };
    const choices = learnChoices(fills, clip, saved);
    expect(choices).toEqual({ [fields[1]!.id]: 'selection', [fields[2]!.id]: null });
    const next = fillTable(fields, { ...clip, selection: 'Another quote' }, choices);
    expect(next.map((f) => [f.field.name, f.role, f.value])).toEqual([
      ['Title', 'title', 'A page about tables'],
      ['Summary', 'selection', 'Another quote'],
      ['Notes', null, ''],
    ]);
  });

  it('remembers a field emptied, and a role given to a field the vocabulary does not know', () => {
    const fields = [field('Title'), field('Link', 'url'), field('Reference')];
    const fills = fillTable(fields, clip);
    const choices = learnChoices(fills, clip, { values: { [fields[1]!.id]: '', [fields[2]!.id]: clip.url }, imageFieldId: null });
    expect(fieldRoles(fields, choices)).toEqual(new Map([[fields[0]!.id, 'title'], [fields[2]!.id, 'url']]));
  });

  it('does not learn from the user’s own words', () => {
    const fields = [field('Title'), field('Notes')];
    const fills = fillTable(fields, clip);
    expect(learnChoices(fills, clip, { values: { [fields[1]!.id]: 'My own comment' }, imageFieldId: null })).toEqual({});
  });

  it('remembers which file field took the image, and one that did not', () => {
    const fields = [field('Picture', 'file'), field('Cover', 'file')];
    const fills = fillTable(fields, clip);
    const choices = learnChoices(fills, clip, { values: {}, imageFieldId: fields[1]!.id });
    expect(choices).toEqual({ [fields[0]!.id]: null, [fields[1]!.id]: 'image' });
    expect(rolesByName(fields, choices)).toEqual({ Cover: 'image' });
  });

  it('keeps earlier choices and moves a role out of the field that had it', () => {
    const fields = [field('A'), field('B'), field('C')];
    const before = { [fields[0]!.id]: 'title' as const, [fields[2]!.id]: null };
    const fills = fillTable(fields, clip, before);
    expect(fills[0]?.value).toBe('A page about tables');
    const choices = learnChoices(fills, clip, { values: { [fields[0]!.id]: '', [fields[1]!.id]: 'A page about tables' }, imageFieldId: null }, before);
    expect(choices).toEqual({ [fields[0]!.id]: null, [fields[1]!.id]: 'title', [fields[2]!.id]: null });
  });

  it('picks the field’s own role when a text stands for two (a page without a title)', () => {
    const untitled = { ...clip, title: clip.url };
    const fields = [field('Name'), field('Link')];
    const fills = fillTable(fields, untitled);
    const choices = learnChoices(fills, untitled, { values: { [fields[0]!.id]: '', [fields[1]!.id]: clip.url }, imageFieldId: null });
    expect(choices).toEqual({ [fields[0]!.id]: null });
  });
});

describe('many tables', () => {
  const tables: [string, FieldSpec[], Record<string, Role>][] = [
    ['Reading list', [field('Title'), field('Link', 'url'), field('Notes', 'richtext'), field('Added', 'date'), field('Picture', 'file')], { Title: 'title', Link: 'url', Notes: 'selection', Added: 'date', Picture: 'image' }],
    ['Contacts', [field('Nom'), field('Société'), field('Site web'), field('Commentaire'), field('Ajouté le', 'date'), field('Pièce jointe', 'file'), field('Courriel', 'email')], { Nom: 'title', 'Site web': 'url', Commentaire: 'selection', 'Ajouté le': 'date', 'Pièce jointe': 'image' }],
    ['Leads', [field('Company'), field('Contact name'), field('Website', 'url'), field('Stage'), field('Created at', 'datetime')], { 'Contact name': 'title', Website: 'url', 'Created at': 'date' }],
    ['Bugs', [field('Summary'), field('Steps'), field('Screenshot', 'files'), field('Reported', 'date')], { Screenshot: 'image', Reported: 'date' }],
    ['Candidats', [field('Nom complet'), field('Profil LinkedIn', 'url'), field('Commentaires'), field('Date de candidature', 'date'), field('CV', 'file')], { 'Nom complet': 'title', 'Profil LinkedIn': 'url', 'Date de candidature': 'date', CV: 'image' }],
    ['Fournisseurs', [field('Raison sociale'), field('Adresse'), field('Adresse web', 'url'), field('Note')], { 'Adresse web': 'url', Note: 'selection' }],
  ];
  it.each(tables)('%s', (_name, fields, expected) => {
    expect(rolesByName(fields)).toEqual(expected);
  });
});

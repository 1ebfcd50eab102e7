/** The "Save to a table" window as the user left it, by clip: closing it loses nothing. Written by that window alone. */
import type { TableDraft } from '../domain/table-save';
import { storageItem } from '../shared/storage';

export const tableDraftsItem = storageItem<Record<string, TableDraft>>('local', 'tableDrafts', {});

/** The English words, read from the messages file as the browser reads it: tests assert today's English texts. */
import englishTable from '../../public/_locales/en/messages.json' with { type: 'json' };
import { wordsFromTable } from '../../src/domain/words';

export { englishTable };
export const english = wordsFromTable(englishTable, 'en');

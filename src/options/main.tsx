import { render } from 'preact';
import './options.css';
import { t } from '../shared/i18n';
import { createOptionsModel } from './model';
import { OptionsPage } from './OptionsPage';

document.documentElement.lang = t.locale;
document.title = t('optionsTitle');
const model = createOptionsModel();
render(<OptionsPage model={model} />, document.getElementById('app')!);
void model.load();

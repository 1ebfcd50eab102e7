import { render } from 'preact';
import '../shared/theme.css';
import './tables.css';
import { t } from '../shared/i18n';
import { createTableWindowModel } from './model';
import { TableWindow } from './TableWindow';

document.documentElement.lang = t.locale;
document.title = t('tableWindowTitle');
const model = createTableWindowModel(new URLSearchParams(location.search).get('pick') ?? '');
render(<TableWindow model={model} />, document.getElementById('app')!);
void model.load();

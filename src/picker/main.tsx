import { render } from 'preact';
import '../shared/theme.css';
import './picker.css';
import { t } from '../shared/i18n';
import { createPickerModel } from './model';
import { Picker } from './Picker';

document.documentElement.lang = t.locale;
document.title = t('sendToTimeTonic');
const model = createPickerModel(new URLSearchParams(location.search).get('pick') ?? '');
render(<Picker model={model} />, document.getElementById('app')!);
void model.load();

import { render } from 'preact';
import './welcome.css';
import { t } from '../shared/i18n';
import { createWelcomeModel } from './model';
import { Welcome } from './Welcome';

document.documentElement.lang = t.locale;
document.title = t('welcomeTitle');
const model = createWelcomeModel();
render(<Welcome model={model} />, document.getElementById('app')!);
void model.load();

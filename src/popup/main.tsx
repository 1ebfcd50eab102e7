import { render } from 'preact';
import '../shared/theme.css';
import './popup.css';
import { createPopupModel } from './model';
import { Popup } from './Popup';

const model = createPopupModel();
render(<Popup model={model} />, document.getElementById('app')!);
void model.load();

import { render } from 'preact';
import './options.css';
import { createOptionsModel } from './model';
import { OptionsPage } from './OptionsPage';

const model = createOptionsModel();
render(<OptionsPage model={model} />, document.getElementById('app')!);
void model.load();

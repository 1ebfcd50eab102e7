import { render } from 'preact';
import '../shared/theme.css';
import './picker.css';
import { createPickerModel } from './model';
import { Picker } from './Picker';

const model = createPickerModel(new URLSearchParams(location.search).get('pick') ?? '');
render(<Picker model={model} />, document.getElementById('app')!);
void model.load();

import { render } from 'preact';
import './popup.css';
import { t } from '../shared/i18n';
import { readFirstPaint } from './first-paint';
import { createPopupModel } from './model';
import { BookView, Popup } from './Popup';

document.documentElement.lang = t.locale;
const app = document.getElementById('app')!;
// Nothing is drawn before the one storage read is back, so the first frame shows the cached list
// and never a "Loading" placeholder; the network is asked only after.
readFirstPaint().then(
  (firstPaint) => {
    const model = createPopupModel(firstPaint);
    render(<Popup model={model} />, app);
    // For `npm run bench`: the list was drawn from the cache by this first, synchronous render.
    if (model.signedIn.value && model.list.synced.value) performance.mark('books-rendered');
    model.start();
    // After the first frame is painted: the whole book list, and the book view's code, so that a
    // book opens at once.
    requestAnimationFrame(() =>
      setTimeout(() => {
        void model.readWholeList();
        if (model.signedIn.value) void Promise.all([BookView.preload(), model.loadReader()]);
      }),
    );
  },
  (error: unknown) => {
    app.textContent = t('popupCouldNotRead', String(error));
  },
);

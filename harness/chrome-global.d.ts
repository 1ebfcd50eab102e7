// Code that tests run inside the extension (worker.evaluate) sees Chrome's own `chrome` global,
// whose promise-based API matches the polyfill's types closely enough for test use.
declare const chrome: import('webextension-polyfill').Browser;

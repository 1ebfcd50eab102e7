// The popup's one storage read for its first frame (src/popup/first-paint.ts), started here: a
// classic script runs as soon as the parser reaches it, while the popup's modules are still
// loading, so the read is back by the time they run. The keys are those of FIRST_PAINT_ITEMS.
globalThis.popupFirstRead = (globalThis.browser ?? globalThis.chrome).storage.local.get(['syncStatus', 'firstScreen', 'account', 'outbox', 'recentBooks', 'quickSendDraft']);

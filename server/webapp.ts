/**
 * `/live/`: where TimeTonic's web app lives. The local server has no web app; this page stands in
 * for it, so that "open this book" from the extension lands somewhere that names the book.
 */
export const WEB_APP_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>TimeTonic (local server)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1c2429}code{background:#eef2f4;padding:0 .3rem;border-radius:4px}</style>
</head>
<body>
<h1>TimeTonic (local server)</h1>
<p id="book">This local server has no web app: it answers the API only.</p>
<p>The extension opened this page for a book; on timetonic.com it opens the book in TimeTonic.</p>
<script>
  const match = /^#book\\/([^/]+)\\/(.+)$/.exec(location.hash);
  if (match) document.getElementById('book').textContent =
    'Book ' + decodeURIComponent(match[2]) + ' of ' + decodeURIComponent(match[1]) + ' would open here.';
</script>
</body>
</html>
`;

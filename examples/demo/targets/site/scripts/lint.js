// The site's lint gate: every page has a <title>, a lang attribute and no leftover TODOs.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '..', 'site');
const problems = [];
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.html'))) {
  const html = fs.readFileSync(path.join(dir, file), 'utf8');
  if (!/<title>[^<]+<\/title>/.test(html)) problems.push(`site/${file}: no <title>`);
  if (!/<html[^>]*\slang="/.test(html)) problems.push(`site/${file}: <html> has no lang attribute`);
  if (/TODO/.test(html)) problems.push(`site/${file}: leftover TODO`);
}
for (const p of problems) console.error(p);
console.log(problems.length ? `lint: ${problems.length} problem(s)` : 'lint: ok');
process.exit(problems.length ? 1 : 0);

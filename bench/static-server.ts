/**
 * The limit for this machine in bench/pages.ts: a minimal node:http server that answers
 * every request from bytes held in memory, with the same Content-Type the real page has.
 * No routing library, no compression, no logging: as fast as Node serves a file.
 *
 *   node bench/static-server.ts <manifest.json>
 *
 * The manifest maps URL paths to files: { "/": "home.html", ... } (relative to it).
 * Listens on 127.0.0.1 on a free port and prints `listening <port>` on stdout.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const manifestFile = process.argv[2];
if (!manifestFile) {
	process.stderr.write('usage: node bench/static-server.ts <manifest.json>\n');
	process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, string>;
const files = new Map<string, Buffer>();
for (const [urlPath, file] of Object.entries(manifest)) files.set(urlPath, fs.readFileSync(path.resolve(path.dirname(manifestFile), file)));

const server = http.createServer((req, res) => {
	const body = files.get(req.url ?? '/');
	if (!body) {
		res.writeHead(404, { 'Content-Type': 'text/plain' });
		res.end('Not found');
		return;
	}
	res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.byteLength });
	res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
	const { port } = server.address() as { port: number };
	process.stdout.write(`listening ${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));

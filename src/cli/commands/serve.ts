import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { UserFacingError } from '#lib/server/errors.ts';
import { loadRegionPack, regionPackDir } from '#lib/region/pack.ts';
import { isCatalogEmpty, seedRegion } from '#lib/region/server/seed.ts';
import { describeSampleRemoval, removeSampleData } from '#lib/region/server/sample.ts';

/** Who removes sample data at start, in the audit log. */
const SERVE_ACTOR = 'cli:serve';
import { action } from '../run.ts';
import { NEW_DATABASE_OPTION, prepareDatabase, withDatabase } from './database.ts';
import { readPageCacheSettings } from '#lib/server/page-cache/rules.ts';
import { frontDoor } from '#lib/server/page-cache/front-door.ts';
import { UPLOAD_BODY_LIMIT } from '#lib/admin/upload/preview.ts';
import { clientAddress, readTrustedProxySettings, type TrustedProxySettings } from '#lib/server/http/client-address.ts';
import { isSvgPath, SVG_SECURITY_HEADERS } from '#lib/server/http/svg-policy.ts';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

const PROTOCOL_HEADER = 'x-sac2050-protocol';
const HOST_HEADER = 'x-sac2050-host';
const ADDRESS_HEADER = 'x-sac2050-address';

function parsePort(value: string): number {
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new UserFacingError(`PORT "${value}" is not a port number: use a whole number from 1 to 65535, for example 3000.`);
	}
	return port;
}

function parseOrigin(value: string | undefined): URL | undefined {
	if (!value) return undefined;
	try {
		const url = new URL(value);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
		return url;
	} catch {
		throw new UserFacingError(`ORIGIN "${value}" is not a site address: write it as https://example.org (scheme and host, no path).`);
	}
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EADDRINUSE') {
				reject(new UserFacingError(`Port ${port} on ${host} is already in use: stop the program using it, or start Sac2050 with another PORT (for example PORT=3001).`));
			} else if (error.code === 'EACCES') {
				reject(new UserFacingError(`Not allowed to listen on port ${port}: use a port above 1023 (for example PORT=3000) or run behind a proxy.`));
			} else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
				reject(new UserFacingError(`HOST ${host} is not an address of this machine: use 0.0.0.0, 127.0.0.1 or localhost.`));
			} else {
				reject(error);
			}
		});
		server.listen(port, host, () => resolve());
	});
}

const LINGER_MS = 2_000;

/**
 * After an answer given before the request's body was read (a refused form or upload: see
 * src/lib/server/http/body-limit.ts), ends the connection: what is still arriving is thrown
 * away, never kept, and the sender sees the answer and then the end of the connection. Closing
 * at once would reset the connection and could lose the answer on the way.
 */
function closeUnreadBody(req: http.IncomingMessage): void {
	if (req.complete) return;
	const socket = req.socket;
	// The app's reader of the body keeps nothing more.
	req.removeAllListeners('data');
	req.on('data', () => {});
	req.resume();
	socket.end();
	const timer = setTimeout(() => socket.destroy(), LINGER_MS);
	timer.unref();
	socket.once('close', () => clearTimeout(timer));
}

/**
 * Prepares the database (migrations; the region pack and its sample data on first start),
 * then serves the built app. The public origin comes from ORIGIN at run time, so one build
 * serves any address; requests are told their protocol and host by this wrapper only.
 */
export async function serve(options: {
	port: number;
	host: string;
	origin?: URL;
	proxy?: TrustedProxySettings;
	quiet?: boolean;
	/** Start a new, empty database where an installed one is missing (--new-database). */
	newDatabase?: boolean;
	/** False (--no-sample): start without the region pack's sample data, removing any loaded. The pack's `sample_data: false` does the same. */
	sample?: boolean;
}): Promise<http.Server> {
	const handlerFile = path.resolve('build/handler.js');
	if (!fs.existsSync(handlerFile)) {
		throw new UserFacingError('No built app in build/: run "npm run build" first, or "npm run demo" to build and start.');
	}
	const pack = loadRegionPack(regionPackDir());
	const allowNew = options.newDatabase ?? false;
	await withDatabase(async (db) => {
		await prepareDatabase(db, allowNew);
		const sample = (options.sample ?? true) && pack.settings.sampleData;
		if (await isCatalogEmpty(db)) {
			const report = await seedRegion(db, pack, { sample });
			if (!options.quiet) {
				console.log(
					sample
						? `First start: loaded the region pack for ${pack.settings.name} and sample data for ${report.sampleSeries} indicators and ${report.sampleDirectory} directory records.`
						: `First start: loaded the region pack for ${pack.settings.name}, without sample data.`
				);
			}
		}
		if (!sample) {
			const removed = await removeSampleData(db, SERVE_ACTOR);
			if ((removed.indicators.length > 0 || removed.targets > 0 || removed.directory.organizations + removed.directory.links > 0) && !options.quiet) console.log(`Started without sample data: ${describeSampleRemoval(removed)}`);
		}
	}, { allowNew });

	// adapter-node reads at most 512 KB of a request by default: uploads up to the app's own
	// limit must get through, and larger ones are refused by the upload page, which names it.
	process.env.BODY_SIZE_LIMIT ??= String(UPLOAD_BODY_LIMIT);
	process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
	process.env.HOST_HEADER = HOST_HEADER;
	// The visitor's address (ADDRESS_HEADER / XFF_DEPTH, read by clientAddress) reaches the app in a header only this wrapper writes.
	const proxy = options.proxy ?? readTrustedProxySettings({});
	process.env.ADDRESS_HEADER = ADDRESS_HEADER;
	delete process.env.XFF_DEPTH;
	const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: NodeHandler };

	// Cached anonymous pages are answered here, before the app turns the request into its own.
	const cached = frontDoor();
	const server = http.createServer((req, res) => {
		const protocol = (req.headers[PROTOCOL_HEADER] = options.origin ? options.origin.protocol.slice(0, -1) : 'http');
		const host = (req.headers[HOST_HEADER] = options.origin ? options.origin.host : (req.headers.host ?? `localhost:${options.port}`));
		req.headers[ADDRESS_HEADER] = clientAddress(proxy, req.headers, req.socket.remoteAddress);
		res.once('finish', () => closeUnreadBody(req));
		if (cached?.(req, res, `${protocol}://${host}`)) return;
		// Static .svg files are sent before the app's hooks could add these; headers the app
		// writes itself (a page's own policy) take precedence over them.
		if (isSvgPath(req.url?.split('?')[0] ?? '')) for (const [name, value] of Object.entries(SVG_SECURITY_HEADERS)) res.setHeader(name, value);
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	server.keepAliveTimeout = 65_000;
	await listen(server, options.port, options.host);
	// Without ORIGIN, e-mailed links use http://localhost:PORT (auth.ts publicOrigin): the port served, not a default.
	if (!options.origin) process.env.PORT = String((server.address() as AddressInfo).port);
	return server;
}

const MAIL_ON_EXIT_MS = 15_000;

/** Waits (at most `limitMs`) for the e-mail the built app is still sending. */
async function mailSent(limitMs: number): Promise<void> {
	const settled = (globalThis as Record<symbol, unknown>)[Symbol.for('sac2050.mail-settled')] as (() => Promise<void>) | undefined;
	if (!settled) return;
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([settled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)))]);
	clearTimeout(timer);
}

export function registerServeCommand(program: Command): void {
	program
		.command('serve')
		.description('migrate, load the region pack on first start, and serve Sac2050 (needs "npm run build")')
		.option('--port <port>', 'port to listen on (env PORT)', process.env.PORT ?? '3000')
		.option('--host <host>', 'address to listen on (env HOST)', process.env.HOST ?? '0.0.0.0')
		.option(...NEW_DATABASE_OPTION)
		.option('--no-sample', "start without the region pack's illustrative sample data (removes any already loaded; real data is kept)")
		.action(
			action(async (opts: { port: string; host: string; newDatabase?: boolean; sample: boolean }) => {
				const port = parsePort(opts.port);
				const origin = parseOrigin(process.env.ORIGIN);
				readPageCacheSettings(process.env);
				const proxy = readTrustedProxySettings(process.env);
				const server = await serve({ port, host: opts.host, origin, proxy, newDatabase: opts.newDatabase, sample: opts.sample });
				const shown = origin?.origin ?? `http://${opts.host === '0.0.0.0' ? 'localhost' : opts.host}:${port}`;
				console.log(`Sac2050 is running at ${shown} (Ctrl+C to stop).`);
				// Stop taking requests, let the ones under way finish, and send mail already promised
				// (a password-reset link goes out after its answer) before exiting.
				const stop = () => server.close(() => void mailSent(MAIL_ON_EXIT_MS).then(() => process.exit(0)));
				process.once('SIGINT', stop);
				process.once('SIGTERM', stop);
			})
		);
}

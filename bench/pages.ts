/**
 * Page speed: the real server (`sac2050 serve`, the built app in build/) against a fresh
 * SQLite file with the region's sample data, measured with autocannon, next to a minimal
 * static server (bench/static-server.ts) that sends the very same HTML bytes: the limit for
 * this machine. Also page weight, the server's memory, and pages signed in.
 *
 *   node bench/pages.ts [--duration 10] [--warmup 3] [--connections 50]
 *                       [--pages /,/areas/economy,/indicators/unemployment] [--directory <dir>] [--json]
 *
 * `--directory` imports a directory folder (the exchange format) once the server is up.
 *
 * Builds nothing: run `npm run build` first. The server and the static server each run in a
 * process of their own; autocannon runs in this one.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { BENCH_DIR, formatBytes, intOption, machineFacts, reporter, round, run, saveResult, table, tempDir } from './support.ts';
import { freePort } from '../tests/support/server.ts';
import { PROJECT_DIR, load, rssOf, runCli, signIn, startProcess, stopProcess, type Load } from './serve.ts';

const DEFAULT_PAGES = ['/', '/areas/economy', '/indicators/unemployment'];
const SIGNED_IN_EMAIL = 'bench-editor@example.org';
const SIGNED_IN_PASSWORD = 'bench-password-2050';
/**
 * A view of the indicator page that no reader has opened: each request of that row asks
 * for an address of its own (`&first=<n>`), so every one is a first view the cache does not hold.
 */
const FIRST_VIEW = '/indicators/unemployment?GeoCode=06067';

/** Goals of the performance issue. */
const GOALS = { ratioToStatic: 0.5, p99Ms: 50, signedInP99Ms: 150 };

export interface Weight {
	bytes: number;
	gzip: number;
	brotli: number;
}

interface PageResult {
	path: string;
	/** What the page cache said to the request just before the measurement. */
	cache: string | null;
	rps: number;
	p50_ms: number;
	p99_ms: number;
	static_rps: number;
	static_p50_ms: number;
	static_p99_ms: number;
	ratio_to_static: number;
	errors: number;
	non2xx: number;
	html: Weight;
	css: Weight;
	js: Weight;
	/** gzip, the encoding every client and CDN speaks; brotli is in `js.brotli`. */
	js_bytes_compressed: number;
	assets: string[];
}

export function weigh(bodies: Uint8Array[]): Weight {
	let bytes = 0;
	let gzip = 0;
	let brotli = 0;
	for (const body of bodies) {
		bytes += body.byteLength;
		gzip += zlib.gzipSync(body, { level: 9 }).byteLength;
		brotli += zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength;
	}
	return { bytes, gzip, brotli };
}

/** The stylesheets and scripts a page loads: <link rel=stylesheet|modulepreload>, <script src>, and Kit's inline import("…"). */
export function assetsOf(html: string): { css: string[]; js: string[] } {
	const css = new Set<string>();
	const js = new Set<string>();
	for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
		const rel = tag.match(/\brel="([^"]*)"/i)?.[1]?.toLowerCase() ?? '';
		const href = tag.match(/\bhref="([^"]*)"/i)?.[1];
		if (!href) continue;
		if (rel.split(/\s+/).includes('stylesheet')) css.add(href);
		if (rel.split(/\s+/).includes('modulepreload')) js.add(href);
	}
	for (const tag of html.match(/<script\b[^>]*\bsrc="[^"]*"[^>]*>/gi) ?? []) js.add(tag.match(/\bsrc="([^"]*)"/i)![1]!);
	for (const script of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
		for (const m of script.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) js.add(m[1]!);
	}
	return { css: [...css], js: [...js] };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
	return new Uint8Array(await response.arrayBuffer());
}

async function pageWeight(base: string, pagePath: string, html: Uint8Array): Promise<Pick<PageResult, 'html' | 'css' | 'js' | 'assets'>> {
	const pageUrl = new URL(pagePath, base);
	const assets = assetsOf(new TextDecoder().decode(html));
	const get = (hrefs: string[]) => Promise.all(hrefs.map((href) => fetchBytes(new URL(href, pageUrl).href)));
	return {
		html: weigh([html]),
		css: weigh(await get(assets.css)),
		js: weigh(await get(assets.js)),
		assets: [...assets.css, ...assets.js]
	};
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			duration: { type: 'string' },
			warmup: { type: 'string' },
			connections: { type: 'string' },
			pages: { type: 'string' },
			directory: { type: 'string' },
			json: { type: 'boolean', default: false }
		}
	});
	const duration = intOption(values.duration, 'duration', 10);
	const warmup = intOption(values.warmup, 'warmup', 3);
	const connections = intOption(values.connections, 'connections', 50);
	const pages = values.pages ? values.pages.split(',').map((p) => p.trim()).filter(Boolean) : DEFAULT_PAGES;
	const out = reporter(values.json);

	if (!fs.existsSync(path.join(PROJECT_DIR, 'build/handler.js'))) {
		throw new Error('No built app in build/: run "npm run build" first (bench/pages.ts measures the build, it does not make one).');
	}

	const dir = tempDir('pages');
	const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'bench.db')}`, ORIGIN: undefined, NODE_ENV: 'production' };
	const children: ChildProcess[] = [];
	try {
		const port = await freePort();
		out.log(`Starting sac2050 serve on port ${port} (fresh SQLite in ${dir}; migrations and sample data at start)…`);
		const started = performance.now();
		const server = await startProcess(['src/cli/sac2050.ts', 'serve', '--port', String(port), '--host', '127.0.0.1'], env, /is running at/);
		children.push(server.child);
		const startMs = round(performance.now() - started, 0);
		const base = `http://127.0.0.1:${port}`;
		const serverPid = server.child.pid!;
		if (values.directory) {
			await runCli(['import', 'directory', path.resolve(values.directory)], env);
			out.log(`Imported the directory in ${values.directory}.`);
		}
		const rssBefore = rssOf(serverPid);

		// Each page once, anonymously: its bytes for the static server, its weight.
		const manifest: Record<string, string> = {};
		const fetched: Array<{ path: string; html: Uint8Array }> = [];
		for (const [i, pagePath] of pages.entries()) {
			const response = await fetch(new URL(pagePath, base));
			if (response.status !== 200) throw new Error(`GET ${pagePath} answered ${response.status}; choose pages that exist with --pages.`);
			const html = new Uint8Array(await response.arrayBuffer());
			const file = `page-${i}.html`;
			fs.writeFileSync(path.join(dir, file), html);
			manifest[pagePath] = file;
			fetched.push({ path: pagePath, html });
		}
		fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
		const staticServer = await startProcess([path.join(BENCH_DIR, 'static-server.ts'), path.join(dir, 'manifest.json')], process.env, /listening (\d+)/);
		children.push(staticServer.child);
		const staticBase = `http://127.0.0.1:${staticServer.match[1]}`;

		const results: PageResult[] = [];
		for (const { path: pagePath, html } of fetched) {
			const url = new URL(pagePath, base).href;
			const staticUrl = new URL(pagePath, staticBase).href;
			out.log(`${pagePath}: warm-up ${warmup} s each, then ${duration} s at ${connections} connections, page then static…`);
			await load(url, { connections, duration: warmup });
			await load(staticUrl, { connections, duration: warmup });
			const cache = (await fetch(url)).headers.get('x-sac2050-cache');
			const page = await load(url, { connections, duration });
			const still = await load(staticUrl, { connections, duration });
			const weight = await pageWeight(base, pagePath, html);
			results.push({
				path: pagePath,
				cache,
				rps: page.rps,
				p50_ms: page.p50_ms,
				p99_ms: page.p99_ms,
				static_rps: still.rps,
				static_p50_ms: still.p50_ms,
				static_p99_ms: still.p99_ms,
				ratio_to_static: round(page.rps / still.rps, 3),
				errors: page.errors,
				non2xx: page.non2xx,
				...weight,
				js_bytes_compressed: weight.js.gzip
			});
		}

		// Signed in: /account and /admin are rendered for their reader every time; a public page
		// the cache holds is the shared page with the reader's own header links ('personal'); a
		// view nobody has opened is rendered once as anyone's page, kept, and given to the reader
		// with their links ('personal-miss'; for reference: it is not one of the goal's pages).
		out.log(`Signed in: creating an editor with "sac2050 user create", signing in, then ${duration} s of each signed-in page…`);
		await runCli(['user', 'create', '--email', SIGNED_IN_EMAIL, '--role', 'editor'], { ...env, SAC2050_PASSWORD: SIGNED_IN_PASSWORD });
		const cookie = await signIn(base, SIGNED_IN_EMAIL, SIGNED_IN_PASSWORD);
		const signedIn: Array<Load & { path: string; cache: string | null; cache_control: string | null; goal: boolean }> = [];
		for (const pagePath of ['/account', '/admin', '/indicators/unemployment', FIRST_VIEW]) {
			const eachNew = pagePath === FIRST_VIEW;
			const check = await fetch(new URL(eachNew ? `${pagePath}&first=check` : pagePath, base), { headers: { cookie }, redirect: 'manual' });
			const text = await check.text();
			if (check.status !== 200) {
				if (pagePath === '/account') throw new Error(`GET /account signed in answered ${check.status}.`);
				continue;
			}
			if (pagePath === '/account' && !text.includes(SIGNED_IN_EMAIL)) throw new Error('The signed-in /account page does not show the account.');
			await load(new URL(pagePath, base).href, { connections, duration: warmup, headers: { cookie }, eachNew: eachNew ? 'warm-up' : undefined });
			const measured = await load(new URL(pagePath, base).href, { connections, duration, headers: { cookie }, eachNew: eachNew ? 'measured' : undefined });
			const shown = eachNew ? `${pagePath}&first=<new each time>` : pagePath;
			signedIn.push({ path: shown, cache: check.headers.get('x-sac2050-cache'), cache_control: check.headers.get('cache-control'), goal: !eachNew, ...measured });
		}
		const rssAfter = rssOf(serverPid);

		const indicator = results.find((r) => r.path.startsWith('/indicators/'));
		const goals = {
			indicator_ratio_to_static: indicator ? { goal: `≥ ${GOALS.ratioToStatic}`, measured: indicator.ratio_to_static, met: indicator.ratio_to_static >= GOALS.ratioToStatic } : null,
			anonymous_p99_ms: { goal: `< ${GOALS.p99Ms}`, measured: Math.max(...results.map((r) => r.p99_ms)), met: results.every((r) => r.p99_ms < GOALS.p99Ms) },
			signed_in_p99_ms: {
				goal: `< ${GOALS.signedInP99Ms}`,
				measured: Math.max(...signedIn.filter((r) => r.goal).map((r) => r.p99_ms)),
				met: signedIn.filter((r) => r.goal).every((r) => r.p99_ms < GOALS.signedInP99Ms)
			}
		};
		const result = {
			benchmark: 'pages',
			date: new Date().toISOString(),
			machine: machineFacts(),
			parameters: { connections, duration_s: duration, warmup_s: warmup, database: values.directory ? `sqlite (fresh, sample data, directory ${values.directory})` : 'sqlite (fresh, sample data)', server_start_ms: startMs },
			memory: { rss_before_bytes: rssBefore, rss_after_bytes: rssAfter },
			pages: results,
			signed_in: signedIn,
			goals
		};

		out.log('');
		out.log(
			table(
				['page', 'cache', 'req/s', 'p50 ms', 'p99 ms', 'static req/s', 'static p99', 'ratio', 'HTML gz', 'CSS gz', 'JS gz'],
				[
					...results.map((r) => [r.path, r.cache ?? '-', r.rps, r.p50_ms, r.p99_ms, r.static_rps, r.static_p99_ms, r.ratio_to_static, formatBytes(r.html.gzip), formatBytes(r.css.gzip), formatBytes(r.js.gzip)]),
					...signedIn.map((r) => [`${r.path} (signed in${r.goal ? '' : ', reference'})`, r.cache ?? '-', r.rps, r.p50_ms, r.p99_ms, '', '', '', '', '', ''])
				]
			)
		);
		out.log(`Server memory (RSS): ${rssBefore === null ? '?' : formatBytes(rssBefore)} after start, ${rssAfter === null ? '?' : formatBytes(rssAfter)} after the runs.`);
		for (const [name, g] of Object.entries(goals)) if (g) out.log(`Goal ${name} ${g.goal}: ${g.measured} — ${g.met ? 'met' : 'NOT met'}`);
		out.log(`Saved ${saveResult('pages', result)}`);
		out.result(result);
	} finally {
		await Promise.all(children.map(stopProcess));
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

run(main);

/**
 * Page speed: the real server (`sac2050 serve`, the built app in build/) against a fresh
 * SQLite file with the region's sample data, measured with autocannon, next to a minimal
 * static server (bench/static-server.ts) that sends the very same HTML bytes: the limit for
 * this machine. Also page weight, the server's memory, and a signed-in (never cached) page.
 *
 *   node bench/pages.ts [--duration 10] [--warmup 3] [--connections 50]
 *                       [--pages /,/areas/economy,/indicators/unemployment] [--json]
 *
 * Builds nothing: run `npm run build` first. The server and the static server each run in a
 * process of their own; autocannon runs in this one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { BENCH_DIR, formatBytes, intOption, machineFacts, reporter, round, run, saveResult, table, tempDir } from './support.ts';
import { freePort } from '../tests/support/server.ts';

const PROJECT_DIR = path.resolve(BENCH_DIR, '..');
const DEFAULT_PAGES = ['/', '/areas/economy', '/indicators/unemployment'];
const SIGNED_IN_EMAIL = 'bench-editor@example.org';
const SIGNED_IN_PASSWORD = 'bench-password-2050';
/** A view of the indicator page that no anonymous reader opens in this benchmark, so the cache never holds it. */
const FULL_RENDER_VIEW = '/indicators/unemployment?GeoCode=06067';

/** Goals of the performance issue. */
const GOALS = { ratioToStatic: 0.5, p99Ms: 50, signedInP99Ms: 150 };

interface Load {
	rps: number;
	p50_ms: number;
	p99_ms: number;
	requests: number;
	errors: number;
	non2xx: number;
}

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

/** Starts a child process and resolves once its output matches `ready`. */
function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
	const child = spawn(process.execPath, args, { cwd: PROJECT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start within 60 s:\n${output}`)), 60_000);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const match = output.match(ready);
			if (match) {
				clearTimeout(timer);
				resolve({ child, match, output: () => output });
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${args.join(' ')} exited with code ${code}:\n${output}`));
		});
	});
}

function stopProcess(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		child.removeAllListeners('exit');
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
	});
}

/** Resident memory of a process in bytes, from /proc (Linux). */
function rssOf(pid: number): number | null {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kib = status.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1];
		return kib === undefined ? null : Number(kib) * 1024;
	} catch {
		return null;
	}
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['src/cli/sac2050.ts', ...args], { cwd: PROJECT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.once('error', reject);
		child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`sac2050 ${args.join(' ')} failed (${code}): ${output.trim()}`))));
	});
}

function load(url: string, options: { connections: number; duration: number; headers?: Record<string, string> }): Promise<Load> {
	return new Promise((resolve, reject) => {
		autocannon({ url, connections: options.connections, duration: options.duration, headers: options.headers }, (error, result) => {
			if (error) return reject(error);
			resolve({
				rps: round(result.requests.average, 0),
				p50_ms: result.latency.p50,
				p99_ms: result.latency.p99,
				requests: result.requests.total,
				errors: result.errors + result.timeouts,
				non2xx: result.non2xx
			});
		});
	});
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

function cookiesFrom(response: Response): Record<string, string> {
	const cookies: Record<string, string> = {};
	for (const line of response.headers.getSetCookie()) {
		const [pair] = line.split(';');
		const at = pair!.indexOf('=');
		cookies[pair!.slice(0, at).trim()] = pair!.slice(at + 1).trim();
	}
	return cookies;
}

/** Signs in through the real form (CSRF token and all); returns the Cookie header of the session. */
async function signIn(base: string, email: string, password: string): Promise<string> {
	const page = await fetch(new URL('/sign-in', base));
	const jar = cookiesFrom(page);
	const token = (await page.text()).match(/name="_csrf"\s+value="([^"]+)"/)?.[1];
	if (!token) throw new Error('The sign-in page has no CSRF field.');
	const cookieHeader = () => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
	const response = await fetch(new URL('/sign-in', base), {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(), origin: new URL(base).origin },
		body: new URLSearchParams({ email, password, _csrf: token })
	});
	if (response.status !== 303) throw new Error(`Signing in as ${email} answered ${response.status}, not a redirect.`);
	Object.assign(jar, cookiesFrom(response));
	if (!Object.keys(jar).some((name) => name.endsWith('session_token'))) throw new Error('Signing in set no session cookie.');
	return cookieHeader();
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			duration: { type: 'string' },
			warmup: { type: 'string' },
			connections: { type: 'string' },
			pages: { type: 'string' },
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
		// view of it no anonymous reader has opened is rendered in full for the reader (for
		// reference: it is not one of the goal's pages).
		out.log(`Signed in: creating an editor with "sac2050 user create", signing in, then ${duration} s of each signed-in page…`);
		await runCli(['user', 'create', '--email', SIGNED_IN_EMAIL, '--role', 'editor'], { ...env, SAC2050_PASSWORD: SIGNED_IN_PASSWORD });
		const cookie = await signIn(base, SIGNED_IN_EMAIL, SIGNED_IN_PASSWORD);
		const signedIn: Array<Load & { path: string; cache: string | null; cache_control: string | null; goal: boolean }> = [];
		for (const pagePath of ['/account', '/admin', '/indicators/unemployment', FULL_RENDER_VIEW]) {
			const check = await fetch(new URL(pagePath, base), { headers: { cookie }, redirect: 'manual' });
			const text = await check.text();
			if (check.status !== 200) {
				if (pagePath === '/account') throw new Error(`GET /account signed in answered ${check.status}.`);
				continue;
			}
			if (pagePath === '/account' && !text.includes(SIGNED_IN_EMAIL)) throw new Error('The signed-in /account page does not show the account.');
			await load(new URL(pagePath, base).href, { connections, duration: warmup, headers: { cookie } });
			const measured = await load(new URL(pagePath, base).href, { connections, duration, headers: { cookie } });
			signedIn.push({ path: pagePath, cache: check.headers.get('x-sac2050-cache'), cache_control: check.headers.get('cache-control'), goal: pagePath !== FULL_RENDER_VIEW, ...measured });
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
			parameters: { connections, duration_s: duration, warmup_s: warmup, database: 'sqlite (fresh, sample data)', server_start_ms: startMs },
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

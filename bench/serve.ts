/**
 * Running `sac2050 serve` for a benchmark: start and stop the process, read its memory,
 * run the CLI, sign in through the real form, and put load on an address with autocannon.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { BENCH_DIR, round } from './support.ts';

export const PROJECT_DIR = path.resolve(BENCH_DIR, '..');

export interface Load {
	rps: number;
	p50_ms: number;
	p99_ms: number;
	requests: number;
	errors: number;
	non2xx: number;
}

/** Starts a child process and resolves once its output matches `ready`. */
export function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
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

export function stopProcess(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		child.removeAllListeners('exit');
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
	});
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number | null {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kib = status.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1];
		return kib === undefined ? null : Number(kib) * 1024;
	} catch {
		return null;
	}
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['src/cli/sac2050.ts', ...args], { cwd: PROJECT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.once('error', reject);
		child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`sac2050 ${args.join(' ')} failed (${code}): ${output.trim()}`))));
	});
}

/**
 * Load on one address for `duration` seconds. With `eachNew`, every request asks for an
 * address of its own instead (`first=<eachNew>-<n>` added to the query), so none of them
 * is a page the server has seen; give each run its own tag.
 */
export function load(url: string, options: { connections: number; duration: number; headers?: Record<string, string>; eachNew?: string }): Promise<Load> {
	let n = 0;
	const target = new URL(url);
	const joiner = target.search ? '&' : '?';
	const requests: autocannon.Request[] | undefined =
		options.eachNew === undefined ? undefined : [{ setupRequest: (request) => ({ ...request, path: `${target.pathname}${target.search}${joiner}first=${options.eachNew}-${n++}` }) }];
	return new Promise((resolve, reject) => {
		autocannon({ url, connections: options.connections, duration: options.duration, headers: options.headers, requests }, (error, result) => {
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

export function cookiesFrom(response: Response): Record<string, string> {
	const cookies: Record<string, string> = {};
	for (const line of response.headers.getSetCookie()) {
		const [pair] = line.split(';');
		const at = pair!.indexOf('=');
		cookies[pair!.slice(0, at).trim()] = pair!.slice(at + 1).trim();
	}
	return cookies;
}

/** Signs in through the real form (CSRF token and all); returns the Cookie header of the session. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
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

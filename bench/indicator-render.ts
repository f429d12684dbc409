/**
 * Full uncached render of indicator pages: the real server (`sac2050 serve`, the built app in
 * build/, fresh SQLite with the region's sample data and the Los Angeles Open SDG sample),
 * one request at a time, each address new (a `r=<n>` parameter the page ignores), so every
 * answer is a cache miss rendered in full: data read, chart drawn at every width, map, page.
 * Time is measured at the client on 127.0.0.1, so it includes the HTTP round trip.
 *
 *   npm run build && node bench/indicator-render.ts [--requests 200] [--pages /indicators/unemployment,…]
 *                                                   [--directory <dir>] [--json]
 *
 * `--directory` also imports a directory folder (the exchange format) before the server starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { intOption, machineFacts, reporter, run, saveResult, stats, table, tempDir } from './support.ts';
import { freePort } from '../tests/support/server.ts';

const PROJECT_DIR = path.resolve(import.meta.dirname, '..');
const LA_SAMPLE = path.resolve(PROJECT_DIR, '../shared/datasets/open-sdg-la-sample');
const PAGES = ['/indicators/unemployment', '/indicators/air-quality-pm25', '/indicators/8-5-1?compare=Gender', '/indicators/air-quality-pm25?compare=GeoCode'];

function runNode(args: string[], env: NodeJS.ProcessEnv, ready?: RegExp): Promise<ChildProcess> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { cwd: PROJECT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const onData = (d: Buffer) => {
			output += d.toString();
			if (ready?.test(output)) resolve(child);
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.once('exit', (code) => (code === 0 && !ready ? resolve(child) : reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`))));
	});
}

run(async () => {
	const args = process.argv.slice(2);
	const json = args.includes('--json');
	const requests = intOption(args[args.indexOf('--requests') + 1 || -1], 'requests', 200);
	const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
	const pages = option('--pages')?.split(',').map((p) => p.trim()).filter(Boolean) ?? PAGES;
	const directory = option('--directory');
	const out = reporter(json);
	const dir = tempDir('render');
	const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'bench.db')}`, ORIGIN: undefined };
	await runNode(['src/cli/sac2050.ts', 'seed'], env);
	await runNode(['src/cli/sac2050.ts', 'import', 'opensdg', LA_SAMPLE], env);
	if (directory) await runNode(['src/cli/sac2050.ts', 'import', 'directory', path.resolve(directory)], env);
	const port = await freePort();
	const server = await runNode(['src/cli/sac2050.ts', 'serve', '--port', String(port), '--host', '127.0.0.1'], env, /is running at/);
	const rows: Array<[string, number, number, number, number]> = [];
	const results: Record<string, ReturnType<typeof stats>> = {};
	try {
		let n = 0;
		for (const page of pages) {
			const times: number[] = [];
			for (let i = 0; i < requests + 20; i++) {
				const url = `http://127.0.0.1:${port}${page}${page.includes('?') ? '&' : '?'}r=${n++}`;
				const start = performance.now();
				const response = await fetch(url);
				await response.arrayBuffer();
				const ms = performance.now() - start;
				if (response.status !== 200 || response.headers.get('x-sac2050-cache') === 'hit') throw new Error(`${url}: ${response.status} ${response.headers.get('x-sac2050-cache')}`);
				if (i >= 20) times.push(ms); // the first 20 warm the JIT
			}
			const s = stats(times);
			results[page] = s;
			rows.push([page, s.p50, s.p95, s.p99, s.max]);
		}
	} finally {
		server.kill('SIGTERM');
		fs.rmSync(dir, { recursive: true, force: true });
	}
	out.log(`Full uncached renders, ${requests} per page, one at a time (ms):`);
	out.log(table(['page', 'p50', 'p95', 'p99', 'max'], rows));
	const result = { name: 'indicator-render', date: new Date().toISOString(), machine: machineFacts(), requests, pages: results };
	out.log(`\nSaved ${saveResult('indicator-render', result)}`);
	out.result(result);
});

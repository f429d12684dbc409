/**
 * `npm run bench`: runs the benchmarks one after another, each in its own Node process (a
 * fresh heap and JIT), and ends with one summary of the issues' goals.
 *
 *   node bench/run.ts [pages] [import] [progress] [read] [lighthouse] [memory] [--only pages,import] [--duration <s>]
 *                     [--json] [-- <options for every benchmark>]
 *
 * Default: pages and import (the two `npm run bench` must always show); add progress, read
 * lighthouse (the Lighthouse performance score, which is a timing) and memory (RSS and heap
 * snapshots over a long run) by name (`read` reuses bench/results/read-10m.db, built on its first run, which takes
 * several minutes). --duration sets the seconds of each page measurement (default 10).
 * With --json, stdout carries exactly one object { date, machine, pages, results }; all
 * progress goes to stderr. The same object is saved as bench/results/<date>.json.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, RESULTS_DIR, formatBytes, intOption, machineFacts, reporter, run, table } from './support.ts';

const BENCHMARKS = ['pages', 'import', 'progress', 'read', 'lighthouse', 'memory'] as const;
const DEFAULT_SELECTION: Name[] = ['pages', 'import'];
type Name = (typeof BENCHMARKS)[number];

const DEFAULT_ARGS: Record<Name, string[]> = {
	pages: [],
	import: [],
	progress: [],
	read: ['--reuse', path.join(RESULTS_DIR, 'read-10m.db')],
	lighthouse: [],
	memory: []
};

function runOne(name: Name, extra: string[]): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(BENCH_DIR, `${name}.ts`), ...DEFAULT_ARGS[name], ...extra, '--json'], {
			stdio: ['ignore', 'pipe', 'inherit']
		});
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) return reject(new Error(`bench/${name}.ts exited with code ${code}.`));
			try {
				resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>);
			} catch {
				reject(new Error(`bench/${name}.ts printed no JSON result.`));
			}
		});
	});
}

type Row = [string, string, string, string];

/** The parts of each benchmark's JSON result the summary reads. */
interface Phase {
	perSecond: number;
}
interface ImportResult {
	dryRun?: Phase;
	results: Array<{ dialect: string; import: Phase; meetsGoal: boolean | null }>;
}
interface ProgressResult {
	results: Array<{ dialect: string; indicators: number; recomputeBatched: { p50: number }; meetsGoal: boolean }>;
}
interface PageRow {
	path: string;
	rps: number;
	p50_ms: number;
	p99_ms: number;
	static_rps: number;
	ratio_to_static: number;
	js_bytes_compressed: number;
	html: { gzip: number };
	css: { gzip: number };
}
interface PagesResult {
	pages: PageRow[];
	signed_in: Array<{ path: string; cache: string | null; goal: boolean; rps: number; p50_ms: number; p99_ms: number }>;
	memory: { rss_before_bytes: number | null; rss_after_bytes: number | null };
}
interface LighthouseResult {
	pages: Array<{ path: string; categories: Partial<Record<string, { score: number }>> }>;
}
interface MemoryResult {
	start: { rss_bytes: number | null; live_heap_bytes: number };
	rounds: Array<{ round: number; requests: number; rss_bytes: number | null; live_heap_bytes: number }>;
}
interface ReadResult {
	parameters: { dialect: string };
	database: { observations: number };
	readCurrentObservations: { p95: number };
	getIndicator: { p95: number };
	meetsGoal: boolean;
}

const n = (value: number) => value.toLocaleString('en-US');

const ms = (value: number) => `${value} ms`;

function summarize(name: Name, result: unknown): Row[] {
	if (name === 'pages') {
		const r = result as PagesResult;
		const rows: Row[] = [];
		for (const p of r.pages) {
			const ratio = p.ratio_to_static;
			rows.push(['pages', `${p.path} (anonymous, cached): req/s vs static ${n(p.static_rps)}`, `${n(p.rps)} (${Math.round(ratio * 100)}%)`, p.path.startsWith('/indicators/') ? (ratio >= 0.5 ? 'met (≥ 50% of static)' : 'MISSED (≥ 50% of static)') : '']);
			rows.push(['pages', `${p.path} p50 / p99`, `${ms(p.p50_ms)} / ${ms(p.p99_ms)}`, p.p99_ms < 50 ? 'met (p99 < 50 ms)' : 'MISSED (p99 < 50 ms)']);
			rows.push(['pages', `${p.path} weight gzip: HTML / CSS / JS`, `${formatBytes(p.html.gzip)} / ${formatBytes(p.css.gzip)} / ${formatBytes(p.js_bytes_compressed)}`, p.js_bytes_compressed <= 40 * 1024 ? 'met (JS ≤ 40 KB)' : 'MISSED (JS ≤ 40 KB)']);
		}
		for (const p of r.signed_in) {
			const how = p.cache === 'personal' ? 'shared page, own header' : p.cache === 'personal-miss' ? 'first view: rendered once, kept, reference' : p.goal ? 'rendered for the reader' : 'full render, reference';
			const verdict = !p.goal ? '' : p.p99_ms < 150 ? 'met (p99 < 150 ms)' : 'MISSED (p99 < 150 ms)';
			rows.push(['pages', `${p.path} (signed in, ${how}) req/s, p50 / p99`, `${n(p.rps)}, ${ms(p.p50_ms)} / ${ms(p.p99_ms)}`, verdict]);
		}
		const rss = (bytes: number | null) => (bytes === null ? '?' : formatBytes(bytes));
		rows.push(['pages', 'server memory (RSS) after start → after the runs', `${rss(r.memory.rss_before_bytes)} → ${rss(r.memory.rss_after_bytes)}`, '']);
		return rows;
	}
	if (name === 'import') {
		const r = result as ImportResult;
		const rows: Row[] = [];
		if (r.dryRun) rows.push(['import', 'dry run (parse + validate)', `${n(r.dryRun.perSecond)} obs/s`, '']);
		for (const d of r.results) {
			rows.push(['import', `${d.dialect}, fresh database`, `${n(d.import.perSecond)} obs/s`, d.meetsGoal === null ? '' : d.meetsGoal ? 'met (≥ 200,000/s)' : 'MISSED (≥ 200,000/s)']);
		}
		return rows;
	}
	if (name === 'progress') {
		const r = result as ProgressResult;
		return r.results.map((d): Row => ['progress', `${d.dialect}, ${d.indicators} indicators`, `${Math.round(d.recomputeBatched.p50)} ms`, d.meetsGoal ? 'met (< 1 s)' : 'MISSED (< 1 s)']);
	}
	if (name === 'lighthouse') {
		const r = result as LighthouseResult;
		return r.pages.map((p): Row => {
			const scores = Object.entries(p.categories).map(([c, s]) => `${c} ${Math.round((s?.score ?? 0) * 100)}`);
			const performance = p.categories.performance?.score ?? 0;
			return ['lighthouse', `${p.path} (mobile)`, scores.join(', '), performance >= 0.95 ? 'met (performance ≥ 95)' : 'MISSED (performance ≥ 95)'];
		});
	}
	if (name === 'memory') {
		const r = result as MemoryResult;
		const rss = (bytes: number | null) => (bytes === null ? '?' : formatBytes(bytes));
		const requests = r.rounds.reduce((sum, x) => sum + x.requests, 0);
		return [
			['memory', `server RSS: after start → after each of ${r.rounds.length} rounds (${n(requests)} requests)`, [r.start.rss_bytes, ...r.rounds.map((x) => x.rss_bytes)].map(rss).join(' → '), ''],
			['memory', 'live heap (snapshot after GC): after start → after each round', [r.start.live_heap_bytes, ...r.rounds.map((x) => x.live_heap_bytes)].map(formatBytes).join(' → '), '']
		];
	}
	const r = result as ReadResult;
	return [
		['read', `${r.parameters.dialect}, ${n(r.database.observations)} obs, readCurrentObservations p95`, `${r.readCurrentObservations.p95} ms`, r.meetsGoal ? 'met (< 20 ms)' : 'MISSED (< 20 ms)'],
		['read', `${r.parameters.dialect}, getIndicator p95`, `${r.getIndicator.p95} ms`, '']
	];
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const separator = args.indexOf('--');
	const own = separator >= 0 ? args.slice(0, separator) : args;
	const extra = separator >= 0 ? args.slice(separator + 1) : [];
	const { values, positionals } = parseArgs({
		args: own,
		allowPositionals: true,
		options: { json: { type: 'boolean', default: false }, only: { type: 'string' }, duration: { type: 'string' } }
	});
	const names = [...positionals, ...(values.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? [])];
	const unknown = names.filter((p) => !(BENCHMARKS as readonly string[]).includes(p));
	if (unknown.length) throw new Error(`Unknown benchmark(s): ${unknown.join(', ')}. Choose from ${BENCHMARKS.join(', ')}.`);
	const selected: Name[] = names.length ? [...new Set(names as Name[])] : DEFAULT_SELECTION;
	if (values.duration !== undefined) DEFAULT_ARGS.pages.push('--duration', String(intOption(values.duration, 'duration', 10)));
	const json = values.json;
	const out = reporter(json);

	const results: Partial<Record<Name, Record<string, unknown>>> = {};
	const rows: Row[] = [];
	for (const name of selected) {
		out.log(`\n=== bench/${name}.ts ===`);
		const result = await runOne(name, extra);
		results[name] = result;
		rows.push(...summarize(name, result));
	}
	const machine = machineFacts();
	out.log('\n=== Summary ===');
	out.log(table(['benchmark', 'what', 'measured', 'goal'], rows));
	out.log(`Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage}`);
	const date = new Date().toISOString();
	const pages = (results.pages as PagesResult | undefined)?.pages ?? [];
	const summary = { benchmark: 'all', date, machine, pages, results };
	fs.mkdirSync(RESULTS_DIR, { recursive: true });
	const file = path.join(RESULTS_DIR, `${date.replace(/[:.]/g, '-')}.json`);
	fs.writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
	out.log(`Saved ${file}`);
	out.result(summary);
}

run(main);

/**
 * `npm run bench`: runs the benchmarks one after another, each in its own Node process (a
 * fresh heap and JIT), and ends with one summary of the goals.
 *
 *   node bench/run.ts [import] [progress] [read] [--json] [-- <options for every benchmark>]
 *
 * Default: all three. `read` reuses bench/results/read-10m.db (built on the first run, which
 * takes several minutes). With --json, stdout carries one object { machine, results }.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, RESULTS_DIR, machineFacts, reporter, run, saveResult, table } from './support.ts';

const BENCHMARKS = ['import', 'progress', 'read'] as const;
type Name = (typeof BENCHMARKS)[number];

const DEFAULT_ARGS: Record<Name, string[]> = {
	import: [],
	progress: [],
	read: ['--reuse', path.join(RESULTS_DIR, 'read-10m.db')]
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
	results: Array<{ dialect: string; indicators: number; recompute: { p50: number }; meetsGoal: boolean }>;
}
interface ReadResult {
	parameters: { dialect: string };
	database: { observations: number };
	readCurrentObservations: { p95: number };
	getIndicator: { p95: number };
	meetsGoal: boolean;
}

const n = (value: number) => value.toLocaleString('en-US');

function summarize(name: Name, result: unknown): Row[] {
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
		return r.results.map((d): Row => ['progress', `${d.dialect}, ${d.indicators} indicators`, `${Math.round(d.recompute.p50)} ms`, d.meetsGoal ? 'met (< 1 s)' : 'MISSED (< 1 s)']);
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
	const { values, positionals } = parseArgs({ args: own, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
	const unknown = positionals.filter((p) => !(BENCHMARKS as readonly string[]).includes(p));
	if (unknown.length) throw new Error(`Unknown benchmark(s): ${unknown.join(', ')}. Choose from ${BENCHMARKS.join(', ')}.`);
	const selected: Name[] = positionals.length ? (positionals as Name[]) : [...BENCHMARKS];
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
	const summary = { benchmark: 'all', date: new Date().toISOString(), machine, results };
	out.log(`Saved ${saveResult('all', summary)}`);
	out.result(summary);
}

run(main);

/**
 * Shared helpers for the benchmarks in bench/: machine facts, timing statistics, the
 * human table, the JSON result (stdout with --json, and always bench/results/<name>-<ts>.json).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const BENCH_DIR = import.meta.dirname;
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');

export interface MachineFacts {
	node: string;
	platform: string;
	arch: string;
	cpus: number;
	cpuModel: string;
	memoryGiB: number;
	freeMemoryGiB: number;
	/** 1-minute load average at the end of the run: other work on the machine skews the numbers. */
	loadAverage: number;
	git?: string;
}

export function machineFacts(): MachineFacts {
	const cpus = os.cpus();
	let git: string | undefined;
	try {
		const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
		git = dirty ? `${head} (src/ modified)` : head;
	} catch {
		git = undefined;
	}
	return {
		node: process.version,
		platform: `${os.type()} ${os.release()}`,
		arch: os.arch(),
		cpus: os.availableParallelism(),
		cpuModel: cpus[0]?.model.trim() ?? 'unknown',
		memoryGiB: round(os.totalmem() / 2 ** 30, 1),
		freeMemoryGiB: round(os.freemem() / 2 ** 30, 1),
		loadAverage: round(os.loadavg()[0] ?? 0, 2),
		...(git ? { git } : {})
	};
}

export function round(value: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

/** Milliseconds since `start` (a performance.now() value). */
export function since(start: number): number {
	return performance.now() - start;
}

export interface Stats {
	count: number;
	min: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	mean: number;
}

/** Nearest-rank percentiles of durations in milliseconds. */
export function stats(samples: readonly number[]): Stats {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
	const sum = sorted.reduce((a, b) => a + b, 0);
	return {
		count: sorted.length,
		min: round(sorted[0] ?? NaN, 3),
		p50: round(at(50), 3),
		p95: round(at(95), 3),
		p99: round(at(99), 3),
		max: round(sorted.at(-1) ?? NaN, 3),
		mean: round(sum / Math.max(1, sorted.length), 3)
	};
}

/** A plain aligned text table (first column left-aligned, the rest right-aligned). */
export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
	const cells = [header.map(String), ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
	const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
	const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
	return [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function formatNumber(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	if (Number.isInteger(value)) return value.toLocaleString('en-US');
	const abs = Math.abs(value);
	return value.toLocaleString('en-US', { maximumFractionDigits: abs >= 100 ? 0 : abs >= 1 ? 2 : 3 });
}

export function formatBytes(bytes: number): string {
	if (bytes >= 2 ** 30) return `${round(bytes / 2 ** 30, 2)} GiB`;
	if (bytes >= 2 ** 20) return `${round(bytes / 2 ** 20, 1)} MiB`;
	return `${round(bytes / 2 ** 10, 1)} KiB`;
}

/** Total size of a file or a folder's files. */
export function diskSize(target: string): number {
	if (!fs.existsSync(target)) return 0;
	const stat = fs.statSync(target);
	if (!stat.isDirectory()) return stat.size;
	let total = 0;
	for (const entry of fs.readdirSync(target, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
		if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
	}
	return total;
}

/** Writes bench/results/<name>-<timestamp>.json and returns its path. */
export function saveResult(name: string, result: unknown): string {
	fs.mkdirSync(RESULTS_DIR, { recursive: true });
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
	fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
	return file;
}

/**
 * Progress and human output. With --json, stdout carries only the one JSON object, so the
 * human output goes to stderr; otherwise to stdout.
 */
export function reporter(json: boolean) {
	const out = json ? process.stderr : process.stdout;
	return {
		log: (text = '') => out.write(text + '\n'),
		/** A transient status line (stderr, only on a terminal). */
		status: (text: string) => {
			if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
		},
		clearStatus: () => {
			if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
		},
		/** Prints the final result: JSON on stdout with --json. */
		result: (result: unknown) => {
			if (json) process.stdout.write(JSON.stringify(result) + '\n');
		}
	};
}

export function tempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), `sac2050-bench-${prefix}-`));
}

/** An integer option such as `--observations 1000000` (also 1e6, 1_000_000). */
export function intOption(value: string | undefined, name: string, fallback: number): number {
	if (value === undefined) return fallback;
	const n = Number(value.replaceAll('_', ''));
	if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, not "${value}".`);
	return n;
}

/** Runs the benchmark's main function; any error ends the process with its message (stack with SAC2050_DEBUG=1) and exit code 1. */
export function run(main: () => Promise<void>): void {
	main().catch((error: unknown) => {
		const debug = process.env.SAC2050_DEBUG === '1';
		process.stderr.write(`${error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error)}\n`);
		process.exit(1);
	});
}

/** Gives the garbage collector a chance between measured phases (needs --expose-gc to do anything). */
export function collectGarbage(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

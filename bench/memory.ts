/**
 * Server memory over a long run, and whether its growth is a leak: the real server
 * (`sac2050 serve`, build/) on a fresh SQLite file, several rounds of mixed load (cached
 * pages, first views that fill and overflow the page cache, signed-in pages, the API), and
 * after each round the server's RSS and a V8 heap snapshot (SIGUSR2, which collects garbage
 * first: the snapshot holds only what is still reachable). A leak shows as a live heap that
 * keeps growing round after round; V8 growing its heap under load shows as RSS above a
 * flat live heap.
 *
 *   node bench/memory.ts [--rounds 6] [--duration 20] [--connections 40] [--cache-mb 64] [--json]
 *
 * Builds nothing: run `npm run build` first. Snapshots go to a temporary folder and are
 * deleted once read.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatBytes, intOption, machineFacts, reporter, run, saveResult, table, tempDir } from './support.ts';
import { freePort } from '../tests/support/server.ts';
import { PROJECT_DIR, load, rssOf, runCli, signIn, startProcess, stopProcess, type Load } from './serve.ts';

const EMAIL = 'bench-memory@example.org';
const PASSWORD = 'bench-password-2050';

interface HeapSummary {
	/** Bytes of everything reachable, as the snapshot counts it (self sizes). */
	live_bytes: number;
	nodes: number;
	/** Self size by node type and constructor name, for the comparison of the first and last rounds. */
	byKind: Map<string, number>;
}

/** Reads a .heapsnapshot (V8's JSON format) into totals; the file can be large, it is read once. */
function summarizeHeapSnapshot(json: string): HeapSummary {
	const snapshot = JSON.parse(json) as {
		snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
		nodes: number[];
		strings: string[];
	};
	const fields = snapshot.snapshot.meta.node_fields;
	const types = snapshot.snapshot.meta.node_types[0];
	const width = fields.length;
	const typeAt = fields.indexOf('type');
	const nameAt = fields.indexOf('name');
	const sizeAt = fields.indexOf('self_size');
	const byKind = new Map<string, number>();
	let live = 0;
	const nodes = snapshot.nodes;
	for (let i = 0; i < nodes.length; i += width) {
		const size = nodes[i + sizeAt]!;
		live += size;
		const type = types[nodes[i + typeAt]!] ?? 'unknown';
		// Objects and closures by their constructor or function name; strings, code and the rest by type.
		const kind = type === 'object' || type === 'closure' || type === 'native' ? `${type} ${snapshot.strings[nodes[i + nameAt]!]}` : type;
		byKind.set(kind, (byKind.get(kind) ?? 0) + size);
	}
	return { live_bytes: live, nodes: nodes.length / width, byKind };
}

/** Asks the server for a heap snapshot and waits until it is written (the server answers again). */
async function heapSnapshot(child: ChildProcess, dir: string, base: string): Promise<HeapSummary> {
	const before = new Set(fs.readdirSync(dir));
	child.kill('SIGUSR2');
	// Writing the snapshot blocks the server's event loop: an answer means it is done.
	for (let tries = 0; ; tries++) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		const written = fs.readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot') && !before.has(name));
		if (written.length > 0) {
			await fetch(new URL('/api/v1', base));
			const file = path.join(dir, written[0]!);
			try {
				return summarizeHeapSnapshot(fs.readFileSync(file, 'utf8'));
			} finally {
				fs.rmSync(file, { force: true });
			}
		}
		if (tries > 240) throw new Error('The server wrote no heap snapshot within 2 minutes.');
	}
}

interface Round {
	round: number;
	requests: number;
	errors: number;
	non2xx: number;
	rss_bytes: number | null;
	live_heap_bytes: number;
	heap_nodes: number;
	loads: Record<string, Pick<Load, 'rps' | 'p99_ms'>>;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			rounds: { type: 'string' },
			duration: { type: 'string' },
			connections: { type: 'string' },
			'cache-mb': { type: 'string' },
			json: { type: 'boolean', default: false }
		}
	});
	const rounds = intOption(values.rounds, 'rounds', 6);
	const duration = intOption(values.duration, 'duration', 20);
	const connections = intOption(values.connections, 'connections', 40);
	const cacheMb = intOption(values['cache-mb'], 'cache-mb', 64);
	const out = reporter(values.json);
	if (!fs.existsSync(path.join(PROJECT_DIR, 'build/handler.js'))) {
		throw new Error('No built app in build/: run "npm run build" first (bench/memory.ts measures the build, it does not make one).');
	}

	const dir = tempDir('memory');
	const snapshots = path.join(dir, 'snapshots');
	fs.mkdirSync(snapshots);
	const env: NodeJS.ProcessEnv = {
		...process.env,
		DATABASE_URL: `file:${path.join(dir, 'bench.db')}`,
		ORIGIN: undefined,
		NODE_ENV: 'production',
		SAC2050_PAGE_CACHE_MB: String(cacheMb),
		NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshots}`.trim()
	};
	let child: ChildProcess | undefined;
	try {
		const port = await freePort();
		out.log(`Starting sac2050 serve on port ${port} (fresh SQLite, page cache ${cacheMb} MiB)…`);
		const server = await startProcess(['src/cli/sac2050.ts', 'serve', '--port', String(port), '--host', '127.0.0.1'], env, /is running at/);
		child = server.child;
		const base = `http://127.0.0.1:${port}`;
		const pid = child.pid!;
		await runCli(['user', 'create', '--email', EMAIL, '--role', 'editor'], { ...env, NODE_OPTIONS: process.env.NODE_OPTIONS, SAC2050_PASSWORD: PASSWORD });
		const cookie = await signIn(base, EMAIL, PASSWORD);
		const rssStart = rssOf(pid);
		const start = await heapSnapshot(child, snapshots, base);
		out.log(`After start: RSS ${formatBytes(rssStart ?? 0)}, live heap ${formatBytes(start.live_bytes)}.`);

		const share = Math.max(1, Math.floor(connections / 6));
		const results: Round[] = [];
		let last = start;
		for (let r = 1; r <= rounds; r++) {
			out.log(`Round ${r}/${rounds}: ${duration} s of mixed load at ${share * 6} connections…`);
			const mix: Record<string, Promise<Load>> = {
				'cached pages': load(`${base}/indicators/unemployment`, { connections: share, duration }),
				'first views (anonymous)': load(`${base}/indicators/unemployment?GeoCode=06067`, { connections: share, duration, eachNew: `a${r}` }),
				'first views (signed in)': load(`${base}/areas/economy`, { connections: share, duration, headers: { cookie }, eachNew: `s${r}` }),
				'signed-in pages': load(`${base}/indicators/unemployment`, { connections: share, duration, headers: { cookie } }),
				'back office': load(`${base}/admin`, { connections: share, duration, headers: { cookie } }),
				'API data': load(`${base}/api/v1/indicators/unemployment/data.json`, { connections: share, duration })
			};
			const loads: Round['loads'] = {};
			let requests = 0;
			let errors = 0;
			let non2xx = 0;
			for (const [name, pending] of Object.entries(mix)) {
				const measured = await pending;
				loads[name] = { rps: measured.rps, p99_ms: measured.p99_ms };
				requests += measured.requests;
				errors += measured.errors;
				non2xx += measured.non2xx;
			}
			await new Promise((resolve) => setTimeout(resolve, 2000));
			const rss = rssOf(pid);
			last = await heapSnapshot(child, snapshots, base);
			results.push({ round: r, requests, errors, non2xx, rss_bytes: rss, live_heap_bytes: last.live_bytes, heap_nodes: last.nodes, loads });
			out.log(`  ${requests.toLocaleString('en-US')} requests, ${errors} errors, ${non2xx} non-2xx; RSS ${formatBytes(rss ?? 0)}, live heap ${formatBytes(last.live_bytes)} (${last.nodes.toLocaleString('en-US')} objects)`);
		}

		// What grew between the snapshot after start and the last one.
		const growth = [...last.byKind.entries()]
			.map(([kind, bytes]) => ({ kind, bytes, growth: bytes - (start.byKind.get(kind) ?? 0) }))
			.sort((a, b) => b.growth - a.growth)
			.slice(0, 8);

		const result = {
			benchmark: 'memory',
			date: new Date().toISOString(),
			machine: machineFacts(),
			parameters: { rounds, duration_s: duration, connections: share * 6, page_cache_mb: cacheMb, database: 'sqlite (fresh, sample data)' },
			start: { rss_bytes: rssStart, live_heap_bytes: start.live_bytes },
			rounds: results,
			largest_growth_since_start: growth
		};
		out.log('');
		out.log(
			table(
				['round', 'requests', 'errors', 'RSS', 'live heap', 'objects'],
				[
					['start', '', '', formatBytes(rssStart ?? 0), formatBytes(start.live_bytes), start.nodes.toLocaleString('en-US')],
					...results.map((x) => [String(x.round), x.requests.toLocaleString('en-US'), String(x.errors + x.non2xx), formatBytes(x.rss_bytes ?? 0), formatBytes(x.live_heap_bytes), x.heap_nodes.toLocaleString('en-US')])
				]
			)
		);
		out.log('Largest growth of the live heap since start (kind: bytes now, change):');
		for (const g of growth) out.log(`  ${g.kind}: ${formatBytes(g.bytes)} (${g.growth >= 0 ? '+' : '−'}${formatBytes(Math.abs(g.growth))})`);
		out.log(`Saved ${saveResult('memory', result)}`);
		out.result(result);
	} finally {
		if (child) await stopProcess(child);
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

run(main);

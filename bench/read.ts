/**
 * Reading one indicator's data from a large database: builds (or reuses) a database with
 * 10,000,000 observations (default 5,000 indicators × 2,000 rows, imported through
 * `importOpenSdgRepository` in chunks so the generated files stay small), then times, for
 * 200 random indicators after a warm-up,
 *
 *   - `readCurrentObservations(db.kysely, id)`: the indicator's current observations;
 *   - `getIndicator(db, id, 'en')`: everything the indicator page loads.
 *
 * Goal (issue): with 10 million observations in the database, reading one indicator's data
 * stays under 20 ms.
 *
 *   node bench/read.ts [--observations 10000000] [--indicators 5000] [--samples 200] [--dialect sqlite|postgres]
 *                      [--reuse <file.db | postgres://…/database>] [--keep] [--json]
 *
 * Without --reuse the database is built in a temporary place and removed at the end (unless
 * --keep). With --reuse, an existing database of that name is used as it is (its observation
 * count is reported), and a missing or empty one is built there and kept: SQLite creates the
 * file; for PostgreSQL the database must exist (createdb).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { importOpenSdgRepository } from '#lib/indicators/server/import-opensdg.ts';
import { readCurrentObservations } from '#lib/indicators/server/store.ts';
import { getIndicator } from '#lib/indicators/server/catalog.ts';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../tests/support/databases.ts';
import { generateOpenSdgRepository, prng } from './generate-repository.ts';
import { diskSize, formatBytes, intOption, machineFacts, reporter, round, run, saveResult, since, stats, table, tempDir, type Stats } from './support.ts';

const GOAL_MS = 20;
/** Indicators generated and imported per chunk (bounds the temporary files to ~40 MB). */
const CHUNK_INDICATORS = 250;

async function countObservations(db: Db): Promise<number> {
	const row = await db.kysely
		.selectFrom('observation')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

async function databaseBytes(db: Db, file: string | undefined): Promise<number> {
	if (db.dialect === 'postgres') {
		const { rows } = await sql<{ size: number }>`select pg_database_size(current_database())::bigint as size`.execute(db.kysely);
		return Number(rows[0]?.size ?? 0);
	}
	return file ? diskSize(file) + diskSize(`${file}-wal`) : 0;
}

interface Build {
	ms: number;
	perSecond: number;
	observations: number;
	indicators: number;
}

/** Fills an empty database with generated indicators, chunk by chunk, through the importer. */
async function build(
	db: Db,
	options: { indicators: number; rowsPerIndicator: number; seed: number },
	out: ReturnType<typeof reporter>
): Promise<Build> {
	const start = performance.now();
	let observations = 0;
	for (let first = 0; first < options.indicators; first += CHUNK_INDICATORS) {
		const count = Math.min(CHUNK_INDICATORS, options.indicators - first);
		const dir = tempDir('read-chunk');
		try {
			const generated = generateOpenSdgRepository(dir, { indicators: count, observationsPerIndicator: options.rowsPerIndicator, seed: options.seed, firstIndex: first });
			const report = await importOpenSdgRepository(db, dir, { author: 'bench' });
			if (report.failed !== 0 || report.rows !== generated.observations) {
				const failed = report.outcomes.find((o) => o.errors.length);
				throw new Error(`Import of chunk ${first}–${first + count} failed: ${report.failed} failed. ${failed?.errors[0]?.message ?? ''}`);
			}
			observations += report.rows;
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
		const seconds = since(start) / 1000;
		out.status(
			`building: ${observations.toLocaleString('en-US')} observations, ${first + count}/${options.indicators} indicators, ` +
				`${seconds.toFixed(0)} s, ${Math.round(observations / seconds).toLocaleString('en-US')} obs/s`
		);
	}
	out.clearStatus();
	const ms = since(start);
	return { ms: round(ms, 0), perSecond: Math.round((observations / ms) * 1000), observations, indicators: options.indicators };
}

/** `count` distinct random picks from `ids` (deterministic for the seed). */
function sample(ids: readonly string[], count: number, random: () => number): string[] {
	const pool = [...ids];
	const picked: string[] = [];
	while (picked.length < count && pool.length > 0) {
		const i = Math.floor(random() * pool.length);
		picked.push(pool[i]!);
		pool[i] = pool[pool.length - 1]!;
		pool.pop();
	}
	return picked;
}

interface Measured {
	stats: Stats;
	rows: number;
}

/**
 * Times each reader on every id, interleaved (id 1: a, b, c; id 2: a, b, c; …) so that JIT
 * warm-up, garbage collection and cache effects fall on all readers alike.
 */
async function measure<K extends string>(ids: readonly string[], readers: Record<K, (id: string) => Promise<number>>): Promise<Record<K, Measured>> {
	const names = Object.keys(readers) as K[];
	const samples = new Map<K, number[]>(names.map((name) => [name, []]));
	const rows = new Map<K, number>();
	for (const id of ids) {
		for (const name of names) {
			const start = performance.now();
			rows.set(name, await readers[name](id));
			samples.get(name)!.push(since(start));
		}
	}
	return Object.fromEntries(names.map((name) => [name, { stats: stats(samples.get(name)!), rows: rows.get(name) ?? 0 }])) as Record<K, Measured>;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			observations: { type: 'string' },
			indicators: { type: 'string' },
			samples: { type: 'string' },
			warmup: { type: 'string' },
			seed: { type: 'string' },
			dialect: { type: 'string', default: 'sqlite' },
			reuse: { type: 'string' },
			keep: { type: 'boolean', default: false },
			json: { type: 'boolean', default: false }
		}
	});
	const observations = intOption(values.observations, 'observations', 10_000_000);
	const indicators = intOption(values.indicators, 'indicators', Math.max(1, Math.round(observations / 2000)));
	const samples = intOption(values.samples, 'samples', 200);
	const warmup = intOption(values.warmup, 'warmup', 20);
	const seed = intOption(values.seed, 'seed', 2050);
	const dialect = values.dialect;
	if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--dialect must be sqlite or postgres.');
	if (observations % indicators !== 0) throw new Error(`--observations (${observations}) must be a multiple of --indicators (${indicators}).`);
	const out = reporter(values.json);

	// Where the database lives.
	let url: string;
	let file: string | undefined;
	let throwaway: TestDatabase | undefined;
	let tempFolder: string | undefined;
	if (values.reuse) {
		if (dialect === 'postgres') {
			if (!/^postgres(ql)?:\/\//.test(values.reuse)) throw new Error('With --dialect postgres, --reuse takes a postgres://… URL of an existing database.');
			url = values.reuse;
		} else {
			file = path.resolve(values.reuse);
			url = `file:${file}`;
		}
	} else if (dialect === 'postgres') {
		throwaway = await createTestDatabase('postgres');
		url = throwaway.url;
	} else {
		tempFolder = tempDir('read');
		file = path.join(tempFolder, `read-${observations}.db`);
		url = `file:${file}`;
	}

	const db = await openDatabase(url);
	let result: Record<string, unknown>;
	try {
		await migrateToLatest(db);
		let existing = await countObservations(db);
		let built: Build | undefined;
		if (existing === 0) {
			out.log(`Building a ${dialect} database with ${observations.toLocaleString('en-US')} observations (${indicators} indicators × ${observations / indicators}) at ${file ?? db.location}`);
			built = await build(db, { indicators, rowsPerIndicator: observations / indicators, seed }, out);
			out.log(`Built in ${(built.ms / 1000).toFixed(1)} s (${built.perSecond.toLocaleString('en-US')} obs/s through the importer)`);
			if (db.dialect === 'sqlite') db.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
			existing = await countObservations(db);
		} else {
			out.log(`Reusing ${file ?? db.location}: ${existing.toLocaleString('en-US')} observations`);
		}
		const size = await databaseBytes(db, file);
		const ids = (await db.kysely.selectFrom('indicator').select('id').where('current_revision_id', 'is not', null).orderBy('id').execute()).map((r) => r.id);
		out.log(`Database: ${ids.length} indicators with data, ${existing.toLocaleString('en-US')} observations, ${formatBytes(size)}`);

		const random = prng(seed);
		const picked = sample(ids, samples + warmup, random);
		const warm = picked.slice(0, warmup);
		const measured = picked.slice(warmup);
		const revisions = new Map(
			(await db.kysely.selectFrom('indicator').select(['id', 'current_revision_id']).where('id', 'in', picked).execute()).map((r) => [r.id, r.current_revision_id])
		);
		const readers = {
			read: async (id: string) => (await readCurrentObservations(db.kysely, id)).length,
			page: async (id: string) => (await getIndicator(db, id, 'en'))?.observations.length ?? 0,
			// The query of readCurrentObservations without building objects: how much of the time is the database.
			query: async (id: string) => {
				const rows = await db.kysely
					.selectFrom('observation as o')
					.innerJoin('series as s', 's.id', 'o.series_id')
					.select(['s.key', 's.dims', 'o.period', 'o.year', 'o.value', 'o.attributes', 'o.position'])
					.where('o.revision_id', '=', revisions.get(id) ?? -1)
					.orderBy('o.position')
					.execute();
				return rows.length;
			},
			// The same query with the join restricted to the indicator's own series (uses the
			// series (indicator_id, key) index; without it PostgreSQL may hash-join every series).
			queryOwnSeries: async (id: string) => {
				const rows = await db.kysely
					.selectFrom('observation as o')
					.innerJoin('series as s', 's.id', 'o.series_id')
					.select(['s.key', 's.dims', 'o.period', 'o.year', 'o.value', 'o.attributes', 'o.position'])
					.where('o.revision_id', '=', revisions.get(id) ?? -1)
					.where('s.indicator_id', '=', id)
					.orderBy('o.position')
					.execute();
				return rows.length;
			}
		};
		await measure(warm, readers);
		const { read, page, query, queryOwnSeries } = await measure(measured, readers);

		const machine = machineFacts();
		out.log();
		out.log(`Reading one indicator (${read.rows} observations) from ${existing.toLocaleString('en-US')} on ${dialect}; ${measured.length} random indicators after ${warm.length} warm-up reads; goal < ${GOAL_MS} ms`);
		out.log(
			table(
				['what', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms'],
				[
					['readCurrentObservations', read.stats.p50, read.stats.p95, read.stats.p99, read.stats.max, read.stats.mean],
					["getIndicator (page data)", page.stats.p50, page.stats.p95, page.stats.p99, page.stats.max, page.stats.mean],
					['  its observation query alone (no mapping)', query.stats.p50, query.stats.p95, query.stats.p99, query.stats.max, query.stats.mean],
					[
						'  same, join limited to the indicator\'s series',
						queryOwnSeries.stats.p50,
						queryOwnSeries.stats.p95,
						queryOwnSeries.stats.p99,
						queryOwnSeries.stats.max,
						queryOwnSeries.stats.mean
					]
				]
			)
		);
		const meetsGoal = read.stats.p95 < GOAL_MS;
		out.log(`${meetsGoal ? 'Meets' : 'MISSES'} the goal at p95 (${read.stats.p95} ms); database ${formatBytes(size)}`);
		out.log(`Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage}`);
		result = {
			benchmark: 'read',
			date: new Date().toISOString(),
			machine,
			parameters: { observations, indicators, samples: measured.length, warmup: warm.length, seed, dialect, reused: built === undefined },
			goalMs: GOAL_MS,
			database: { location: file ?? db.location, bytes: size, observations: existing, indicators: ids.length },
			build: built ?? null,
			rowsPerRead: read.rows,
			readCurrentObservations: read.stats,
			getIndicator: page.stats,
			observationQuery: query.stats,
			observationQueryOwnSeries: queryOwnSeries.stats,
			meetsGoal
		};
	} finally {
		await db.close();
		if (throwaway) await throwaway.drop();
		if (tempFolder && !values.keep) fs.rmSync(tempFolder, { recursive: true, force: true });
		else if (tempFolder) out.log(`Kept ${file}; run again with --reuse ${file}`);
	}
	const saved = saveResult('read', result);
	out.log(`Saved ${saved}`);
	out.result(result);
}

run(main);

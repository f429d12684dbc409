/**
 * Import throughput: generates an Open SDG repository (default 1,000,000 observations =
 * 500 indicators × 2,000 rows) in a temporary folder and times
 *
 *   - `importOpenSdgRepository(db, dir, { dryRun: true })`: reading, parsing and validating
 *     every file, nothing written;
 *   - `importOpenSdgRepository(db, dir, { author: 'bench' })` into a fresh, migrated database
 *     of each dialect (SQLite in a temporary file, PostgreSQL in a throwaway database);
 *   - the same import again (nothing changed, so nothing should be published).
 *
 * Goal (issue): at least 200,000 observations per second on SQLite.
 *
 *   node bench/import.ts [--observations 1000000] [--indicators 500] [--dialect sqlite|postgres|both] [--json]
 *
 * `--import-only` skips the dry run and the re-import (for profiling one import with
 * `node --cpu-prof bench/import.ts --dialect sqlite --import-only`).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { importOpenSdgRepository, type ImportReport } from '#lib/indicators/server/import-opensdg.ts';
import { createTestDatabase, type TestDialect } from '../tests/support/databases.ts';
import { generateOpenSdgRepository } from './generate-repository.ts';
import { collectGarbage, diskSize, formatBytes, intOption, machineFacts, reporter, round, run, saveResult, since, table, tempDir } from './support.ts';

const GOAL_PER_SECOND = 200_000;

interface Phase {
	ms: number;
	perSecond: number;
	peakRssMiB: number;
}

interface DialectResult {
	dialect: TestDialect;
	import: Phase;
	reimport: (Phase & { unchanged: number; imported: number }) | null;
	databaseBytes: number;
	storedObservations: number;
	meetsGoal: boolean | null;
}

/** Samples the resident set size while `fn` runs. */
async function measure<T>(rows: number, fn: () => Promise<T>): Promise<{ value: T; phase: Phase }> {
	collectGarbage();
	let peak = process.memoryUsage.rss();
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 50);
	const start = performance.now();
	try {
		const value = await fn();
		const ms = since(start);
		peak = Math.max(peak, process.memoryUsage.rss());
		return { value, phase: { ms: round(ms, 1), perSecond: Math.round((rows / ms) * 1000), peakRssMiB: Math.round(peak / 2 ** 20) } };
	} finally {
		clearInterval(timer);
	}
}

function check(report: ImportReport, expectedRows: number, what: string): void {
	if (report.failed !== 0 || report.rows !== expectedRows) {
		const first = report.outcomes.find((o) => o.errors.length > 0);
		throw new Error(
			`${what}: ${report.failed} indicator(s) failed and ${report.rows} of ${expectedRows} observations were read.` +
				(first ? ` First error (${first.indicatorId}): ${first.errors[0]?.message}` : '')
		);
	}
}

async function databaseBytes(db: Db, url: string): Promise<number> {
	if (db.dialect === 'postgres') {
		const { rows } = await sql<{ size: number }>`select pg_database_size(current_database())::bigint as size`.execute(db.kysely);
		return Number(rows[0]?.size ?? 0);
	}
	const file = url.slice('file:'.length);
	return diskSize(file) + diskSize(`${file}-wal`);
}

function progressLine(out: ReturnType<typeof reporter>, label: string) {
	const start = performance.now();
	return (done: number, total: number) => {
		if (done % 10 === 0 || done === total) out.status(`${label}: ${done}/${total} indicators, ${(since(start) / 1000).toFixed(1)} s`);
	};
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			observations: { type: 'string' },
			indicators: { type: 'string' },
			dialect: { type: 'string', default: 'both' },
			seed: { type: 'string' },
			'import-only': { type: 'boolean', default: false },
			json: { type: 'boolean', default: false }
		}
	});
	const importOnly = values['import-only'];
	const observations = intOption(values.observations, 'observations', 1_000_000);
	const indicators = intOption(values.indicators, 'indicators', Math.min(500, observations));
	const seed = intOption(values.seed, 'seed', 2050);
	const dialects: TestDialect[] =
		values.dialect === 'both' ? ['sqlite', 'postgres'] : values.dialect === 'sqlite' || values.dialect === 'postgres' ? [values.dialect] : [];
	if (dialects.length === 0) throw new Error('--dialect must be sqlite, postgres or both.');
	if (observations % indicators !== 0) throw new Error(`--observations (${observations}) must be a multiple of --indicators (${indicators}).`);
	const out = reporter(values.json);

	const repo = tempDir('import');
	const results: DialectResult[] = [];
	let generateMs = 0;
	let repositoryBytes = 0;
	let dryRun: Phase | undefined;
	try {
		const start = performance.now();
		const generated = generateOpenSdgRepository(repo, { indicators, observationsPerIndicator: observations / indicators, seed });
		generateMs = since(start);
		repositoryBytes = generated.bytes;
		out.log(
			`Generated ${indicators} indicators × ${observations / indicators} rows = ${generated.observations.toLocaleString('en-US')} observations ` +
				`(${formatBytes(generated.bytes)}) in ${(generateMs / 1000).toFixed(2)} s`
		);

		for (const dialect of dialects) {
			const test = await createTestDatabase(dialect);
			let db: Db | undefined;
			try {
				db = await openDatabase(test.url);
				await migrateToLatest(db);
				const opened = db;

				if (!dryRun && !importOnly) {
					const dry = await measure(observations, () =>
						importOpenSdgRepository(opened, repo, { author: 'bench', dryRun: true, onProgress: progressLine(out, 'dry run') })
					);
					out.clearStatus();
					check(dry.value, observations, 'Dry run');
					dryRun = dry.phase;
					out.log(`dry run (parse + validate): ${(dryRun.ms / 1000).toFixed(2)} s, ${dryRun.perSecond.toLocaleString('en-US')} obs/s`);
				}

				const first = await measure(observations, () =>
					importOpenSdgRepository(opened, repo, { author: 'bench', onProgress: progressLine(out, `${dialect} import`) })
				);
				out.clearStatus();
				check(first.value, observations, `${dialect} import`);
				if (first.value.imported !== indicators) throw new Error(`${dialect} import: ${first.value.imported} of ${indicators} indicators imported.`);
				out.log(`${dialect} import: ${(first.phase.ms / 1000).toFixed(2)} s, ${first.phase.perSecond.toLocaleString('en-US')} obs/s`);

				if (importOnly) {
					results.push({
						dialect,
						import: first.phase,
						reimport: null,
						databaseBytes: await databaseBytes(db, test.url),
						storedObservations: first.value.rows,
						meetsGoal: dialect === 'sqlite' ? first.phase.perSecond >= GOAL_PER_SECOND : null
					});
					continue;
				}
				const again = await measure(observations, () =>
					importOpenSdgRepository(opened, repo, { author: 'bench', onProgress: progressLine(out, `${dialect} re-import`) })
				);
				out.clearStatus();
				check(again.value, observations, `${dialect} re-import`);
				out.log(`${dialect} re-import (unchanged): ${(again.phase.ms / 1000).toFixed(2)} s`);

				const count = await db.kysely
					.selectFrom('observation')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow();
				const stored = Number(count.n);
				if (stored !== observations) throw new Error(`${dialect}: ${stored} observations stored, expected ${observations}.`);
				results.push({
					dialect,
					import: first.phase,
					reimport: { ...again.phase, unchanged: again.value.unchanged, imported: again.value.imported },
					databaseBytes: await databaseBytes(db, test.url),
					storedObservations: stored,
					meetsGoal: dialect === 'sqlite' ? first.phase.perSecond >= GOAL_PER_SECOND : null
				});
			} finally {
				await db?.close();
				await test.drop();
			}
		}
	} finally {
		fs.rmSync(repo, { recursive: true, force: true });
	}

	const machine = machineFacts();
	out.log();
	out.log(`Import of ${observations.toLocaleString('en-US')} observations in ${indicators} indicators; goal on SQLite: ≥ ${GOAL_PER_SECOND.toLocaleString('en-US')} obs/s`);
	const rows: Array<Array<string | number>> = [];
	if (dryRun) rows.push(['(any)', 'dry run: parse + validate', dryRun.ms / 1000, dryRun.perSecond, dryRun.peakRssMiB, '']);
	for (const r of results) {
		rows.push([r.dialect, 'import (fresh database)', r.import.ms / 1000, r.import.perSecond, r.import.peakRssMiB, formatBytes(r.databaseBytes)]);
		if (r.reimport) {
			rows.push([r.dialect, `re-import, unchanged (${r.reimport.unchanged} unchanged)`, r.reimport.ms / 1000, r.reimport.perSecond, r.reimport.peakRssMiB, '']);
		}
	}
	out.log(table(['dialect', 'phase', 'seconds', 'obs/s', 'peak RSS MiB', 'db size'], rows));
	for (const r of results) {
		if (r.meetsGoal !== null) out.log(`${r.dialect}: ${r.meetsGoal ? 'meets' : 'MISSES'} the goal (${r.import.perSecond.toLocaleString('en-US')} obs/s)`);
	}
	out.log(`Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage}`);

	const result = {
		benchmark: 'import',
		date: new Date().toISOString(),
		machine,
		parameters: { observations, indicators, rowsPerIndicator: observations / indicators, seed, dialects, importOnly },
		goalPerSecond: GOAL_PER_SECOND,
		generate: { ms: round(generateMs, 1), bytes: repositoryBytes },
		dryRun,
		results
	};
	const file = saveResult('import', result);
	out.log(`Saved ${file}`);
	out.result(result);
}

run(main);

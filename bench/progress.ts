/**
 * Progress for every indicator: imports a generated repository (default 500 indicators × 200
 * observations), then times
 *
 *   - `recomputeProgressOfIndicators(db.kysely, ids)`, the batched recompute the command line
 *     uses for a whole region (a few queries per hundred indicators) — the goal is measured on it;
 *   - `recomputeProgress(db.kysely, id)` for all indicators, one after another (reads the
 *     indicator, its target and current observations, computes, stores the result), as one
 *     publish does, and the same inside one transaction (one commit instead of one per indicator);
 *   - the pure `computeIndicatorProgress` on the same rows already in memory;
 *   - reading the rows alone (`readCurrentObservations` for every indicator), to split the total.
 *
 * Goal (issue): progress for 500 indicators in under 1 second.
 *
 *   node bench/progress.ts [--indicators 500] [--rows 200] [--dialect sqlite|postgres|both] [--repeat 5] [--json]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { fromJson } from '#lib/server/db/values.ts';
import { importOpenSdgRepository } from '#lib/indicators/server/import-opensdg.ts';
import { readCurrentObservations } from '#lib/indicators/server/store.ts';
import {
	progressConfigFor,
	readHeadlineTarget,
	recomputeProgress,
	recomputeProgressOfIndicators,
	toProgressRows,
	type StoredProgressConfig
} from '#lib/indicators/server/progress-store.ts';
import { computeIndicatorProgress, type IndicatorProgressConfig, type TidyRow } from '#lib/indicators/progress.ts';
import { createTestDatabase, type TestDialect } from '../tests/support/databases.ts';
import { generateOpenSdgRepository } from './generate-repository.ts';
import { intOption, machineFacts, reporter, round, run, saveResult, since, stats, table, tempDir, type Stats } from './support.ts';

const GOAL_MS = 1000;

interface DialectResult {
	dialect: TestDialect;
	indicators: number;
	observations: number;
	importMs: number;
	/** recomputeProgress for every indicator, per pass (each stores its result in its own commit). */
	recompute: Stats;
	/** recomputeProgressOfIndicators for all indicators at once, per pass. */
	recomputeBatched: Stats;
	/** The same inside one transaction (one commit for all). */
	recomputeOneTransaction: Stats;
	/** readCurrentObservations for every indicator, per pass. */
	read: Stats;
	/** computeIndicatorProgress for every indicator on rows in memory, per pass. */
	compute: Stats;
	statuses: Record<string, number>;
	meetsGoal: boolean;
}

async function benchDialect(
	dialect: TestDialect,
	repo: string,
	expected: { indicators: number; observations: number },
	repeat: number,
	log: (text?: string) => void
): Promise<DialectResult> {
	const test = await createTestDatabase(dialect);
	let db: Db | undefined;
	try {
		db = await openDatabase(test.url);
		await migrateToLatest(db);
		const importStart = performance.now();
		const report = await importOpenSdgRepository(db, repo, { author: 'bench' });
		const importMs = since(importStart);
		if (report.failed !== 0 || report.rows !== expected.observations) {
			const firstError = report.outcomes.find((o) => o.errors.length)?.errors[0];
			throw new Error(`Import of the generated repository failed: ${report.failed} failed, ${report.rows} rows. ${firstError?.message ?? ''}`);
		}
		const ids = report.outcomes.map((o) => o.indicatorId);
		log(`${dialect}: imported ${ids.length} indicators, ${report.rows.toLocaleString('en-US')} observations in ${(importMs / 1000).toFixed(2)} s`);

		// Inputs for the pure computation, prepared the way recomputeProgress prepares them.
		const inputs: Array<{ rows: TidyRow[]; config: IndicatorProgressConfig; columns: string[] | undefined }> = [];
		for (const id of ids) {
			const indicator = await db.kysely
				.selectFrom('indicator as i')
				.leftJoin('revision as r', 'r.id', 'i.current_revision_id')
				.select(['i.direction', 'i.progress_config', 'r.columns'])
				.where('i.id', '=', id)
				.executeTakeFirstOrThrow();
			const stored = fromJson<StoredProgressConfig>(indicator.progress_config, {});
			const columns = indicator.columns ? fromJson<string[]>(indicator.columns, []) : [];
			inputs.push({
				rows: toProgressRows(await readCurrentObservations(db.kysely, id)),
				config: progressConfigFor(stored, indicator.direction, await readHeadlineTarget(db.kysely, id)),
				columns: columns.length ? columns : undefined
			});
		}

		const recompute: number[] = [];
		const batched: number[] = [];
		const oneTransaction: number[] = [];
		const read: number[] = [];
		const compute: number[] = [];
		const statuses: Record<string, number> = {};
		const statusOf = new Map<string, string>();
		for (let pass = 0; pass < repeat; pass++) {
			let start = performance.now();
			for (const id of ids) {
				const result = await recomputeProgress(db.kysely, id);
				if (pass === 0) {
					statuses[result.status || '(none)'] = (statuses[result.status || '(none)'] ?? 0) + 1;
					statusOf.set(id, result.status || '(none)');
				}
			}
			recompute.push(since(start));

			start = performance.now();
			const all = await recomputeProgressOfIndicators(db.kysely, ids);
			batched.push(since(start));
			if (pass === 0) {
				const differing = ids.filter((id) => (all.get(id)?.status || '(none)') !== statusOf.get(id));
				if (differing.length) throw new Error(`The batched recompute disagrees with the one-by-one recompute on ${differing.join(', ')}`);
			}

			start = performance.now();
			await db.kysely.transaction().execute(async (trx) => {
				for (const id of ids) await recomputeProgress(trx, id);
			});
			oneTransaction.push(since(start));

			start = performance.now();
			for (const id of ids) await readCurrentObservations(db.kysely, id);
			read.push(since(start));

			start = performance.now();
			for (const input of inputs) computeIndicatorProgress(input.rows, input.config, input.columns);
			compute.push(since(start));
		}
		const batchedStats = stats(batched);
		return {
			dialect,
			indicators: ids.length,
			observations: report.rows,
			importMs: round(importMs, 1),
			recompute: stats(recompute),
			recomputeBatched: batchedStats,
			recomputeOneTransaction: stats(oneTransaction),
			read: stats(read),
			compute: stats(compute),
			statuses,
			meetsGoal: batchedStats.p50 < GOAL_MS
		};
	} finally {
		await db?.close();
		await test.drop();
	}
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			indicators: { type: 'string' },
			rows: { type: 'string' },
			dialect: { type: 'string', default: 'both' },
			repeat: { type: 'string' },
			seed: { type: 'string' },
			json: { type: 'boolean', default: false }
		}
	});
	const indicators = intOption(values.indicators, 'indicators', 500);
	const rows = intOption(values.rows, 'rows', 200);
	const repeat = intOption(values.repeat, 'repeat', 5);
	const seed = intOption(values.seed, 'seed', 2050);
	const dialects: TestDialect[] =
		values.dialect === 'both' ? ['sqlite', 'postgres'] : values.dialect === 'sqlite' || values.dialect === 'postgres' ? [values.dialect] : [];
	if (dialects.length === 0) throw new Error('--dialect must be sqlite, postgres or both.');
	const out = reporter(values.json);

	const repo = tempDir('progress');
	const results: DialectResult[] = [];
	try {
		const generated = generateOpenSdgRepository(repo, { indicators, observationsPerIndicator: rows, seed });
		out.log(`Generated ${indicators} indicators × ${rows} observations (${generated.observations.toLocaleString('en-US')}) in ${repo}`);
		for (const dialect of dialects) {
			results.push(await benchDialect(dialect, repo, { indicators, observations: generated.observations }, repeat, out.log));
		}
	} finally {
		fs.rmSync(repo, { recursive: true, force: true });
	}

	const machine = machineFacts();
	out.log();
	out.log(`Progress for ${indicators} indicators × ${rows} observations; ${repeat} passes; goal: all indicators in < ${GOAL_MS} ms`);
	out.log(
		table(
			['dialect', 'step', 'p50 ms', 'min ms', 'max ms', 'per indicator ms'],
			results.flatMap((r) => [
				[r.dialect, 'batched recompute (the goal)', r.recomputeBatched.p50, r.recomputeBatched.min, r.recomputeBatched.max, r.recomputeBatched.p50 / r.indicators],
				[r.dialect, 'recomputeProgress one by one', r.recompute.p50, r.recompute.min, r.recompute.max, r.recompute.p50 / r.indicators],
				[r.dialect, '  of which: readCurrentObservations', r.read.p50, r.read.min, r.read.max, r.read.p50 / r.indicators],
				[
					r.dialect,
					'recomputeProgress, all in one transaction',
					r.recomputeOneTransaction.p50,
					r.recomputeOneTransaction.min,
					r.recomputeOneTransaction.max,
					r.recomputeOneTransaction.p50 / r.indicators
				],
				[r.dialect, 'computeIndicatorProgress (in memory)', r.compute.p50, r.compute.min, r.compute.max, r.compute.p50 / r.indicators]
			])
		)
	);
	for (const r of results) {
		out.log(`${r.dialect}: ${r.meetsGoal ? 'meets' : 'MISSES'} the goal (${Math.round(r.recomputeBatched.p50)} ms batched); statuses: ${JSON.stringify(r.statuses)}`);
	}
	out.log(`Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage}`);

	const result = { benchmark: 'progress', date: new Date().toISOString(), machine, parameters: { indicators, rows, repeat, seed, dialects }, goalMs: GOAL_MS, results };
	const file = saveResult('progress', result);
	out.log(`Saved ${file}`);
	out.result(result);
}

run(main);

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { UserFacingError } from '#lib/server/errors.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { asDuplicatePolicy, DUPLICATE_POLICIES, formatIssue, type DuplicatePolicy, type ParseIssue } from '#lib/indicators/opensdg/data-csv.ts';
import { importOpenSdgRepository, type ImportReport } from '#lib/indicators/server/import-opensdg.ts';
import { exportOpenSdgRepository } from '#lib/indicators/server/export-opensdg.ts';
import { publishIndicatorCsv, validateIndicatorCsv } from '#lib/indicators/server/import-csv.ts';
import { nonTextFileIssue } from '#lib/indicators/server/file-kind.ts';
import { readColumnSettings } from '#lib/indicators/server/repository-settings.ts';
import { listRevisions, rollbackToRevision } from '#lib/indicators/server/store.ts';
import { readProgress, recomputeProgress, recomputeProgressOfIndicators } from '#lib/indicators/server/progress-store.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';
import { placementRules } from '#lib/indicators/placement.ts';
import { loadRegionPack, regionPackDir } from '#lib/region/pack.ts';
import { action } from '../run.ts';
import { withDatabase } from './database.ts';

/** Who the command line acts as, in revision histories. */
function cliAuthor(): string {
	return `cli:${os.userInfo().username}`;
}

/** Errors listed per file before the rest are only counted. */
const LISTED_PER_FILE = 20;

function printIssues(kind: 'error' | 'warning', issues: ParseIssue[]): void {
	for (const issue of issues.slice(0, LISTED_PER_FILE)) process.stderr.write(`  ${kind}: ${formatIssue(issue)}\n`);
	if (issues.length > LISTED_PER_FILE) process.stderr.write(`  … and ${issues.length - LISTED_PER_FILE} more ${kind}s in this file.\n`);
}

/** A one-line progress bar on a terminal; nothing when output goes to a file or a pipe. */
function progressBar(label: string): ((done: number, total: number, item: string) => void) | undefined {
	if (!process.stderr.isTTY) return undefined;
	return (done, total, item) => {
		const width = 30;
		const filled = Math.round((done / total) * width);
		process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${item.padEnd(20).slice(0, 20)}`);
		if (done === total) process.stderr.write('\n');
	};
}

function printImportReport(report: ImportReport): void {
	for (const skipped of report.skipped) process.stderr.write(`skipped: ${formatIssue(skipped)}\n`);
	for (const outcome of report.outcomes) {
		if (outcome.status === 'failed') {
			process.stderr.write(`${outcome.indicatorId}: FAILED, nothing changed (${outcome.errors.length} error${outcome.errors.length === 1 ? '' : 's'})\n`);
			printIssues('error', outcome.errors);
		}
		if (outcome.warnings.length) {
			process.stderr.write(`${outcome.indicatorId}: ${outcome.warnings.length} warning${outcome.warnings.length === 1 ? '' : 's'}\n`);
			printIssues('warning', outcome.warnings);
		}
	}
	const total = report.outcomes.length;
	const parts = report.dryRun
		? [`${report.valid} valid`, `${report.failed} with errors`]
		: [`${report.imported} imported`, `${report.unchanged} unchanged`, `${report.failed} failed`];
	if (!report.dryRun) {
		const placed = report.outcomes.filter((o) => o.placedBy);
		if (placed.length) {
			const byArea = new Map<string, string[]>();
			for (const o of placed) byArea.set(o.area!, [...(byArea.get(o.area!) ?? []), o.indicatorId]);
			console.log(`Placed in an area: ${[...byArea].map(([area, ids]) => `${area} (${ids.join(', ')})`).join('; ')}.`);
		}
		if (report.unassigned.length) {
			console.log(
				`In no area yet, shown under "Other indicators" (${report.unassigned.length}): ${report.unassigned.join(', ')}. Assign them to areas in the back office, several at once (Indicators → In no area yet: /admin/indicators#unassigned), or map their goal to an area in areas.yml (goals:) and import again.`
			);
		}
	}
	console.log(
		`${report.dryRun ? 'Dry run, nothing changed: ' : ''}${total} indicator${total === 1 ? '' : 's'} in ${report.dir}: ${parts.join(', ')}; ${report.rows.toLocaleString('en-US')} observations${report.dryRun ? ' checked' : ''}.`
	);
}

function parseDuplicatePolicy(text: string): DuplicatePolicy {
	const policy = asDuplicatePolicy(text);
	if (policy) return policy;
	throw new UserFacingError(`--duplicates ${text} is not a choice: use ${DUPLICATE_POLICIES.join(', ')}.`);
}

function parseRevisionNumber(text: string): number {
	const number = Number(text);
	if (!Number.isInteger(number) || number < 1) throw new UserFacingError(`"${text}" is not a revision number: use a whole number from "sac2050 revisions <id>".`);
	return number;
}

export function registerIndicatorCommands(program: Command): void {
	const importCommand = program.command('import').description('import indicator data (each indicator all-or-nothing, as a new revision)');

	importCommand
		.command('opensdg')
		.description('import an Open SDG data repository (data/indicator_*.csv, meta/*.md|yml, indicator-config/*.yml)')
		.argument('<dir>', 'the repository folder')
		.option('--dry-run', 'validate every file and change nothing')
		.option('--duplicates <choice>', 'two rows for one observation with different values: error (default), keep-first or keep-last (a warning per pair)', 'error')
		.action(
			action(async (dir: string, opts: { dryRun?: boolean; duplicates: string }) => {
				const duplicates = parseDuplicatePolicy(opts.duplicates);
				const folder = path.resolve(dir);
				await withDatabase(async (db) => {
					await migrateToLatest(db);
					const onProgress = progressBar(opts.dryRun ? 'Checking' : 'Importing');
					const report = await importOpenSdgRepository(db, folder, {
						author: cliAuthor(),
						dryRun: opts.dryRun === true,
						duplicates,
						// The region pack's goals and tags place indicators that are in no area yet.
						placement: placementRules(loadRegionPack(regionPackDir()).areas),
						...(onProgress ? { onProgress } : {})
					});
					printImportReport(report);
					if (report.failed) process.exitCode = 1;
				});
			})
		);

	importCommand
		.command('csv')
		.description('import one indicator from a CSV: a Year (or Period) column, any dimension columns, a Value column')
		.argument('<file>', 'the CSV file')
		.requiredOption('--indicator <id>', 'the indicator the data belongs to, e.g. unemployment or 1-2-1')
		.option('--dry-run', 'validate the file and change nothing')
		.option('--duplicates <choice>', 'two rows for one observation with different values: error (default), keep-first or keep-last (a warning per pair)', 'error')
		.action(
			action(async (file: string, opts: { indicator: string; dryRun?: boolean; duplicates: string }) => {
				const duplicates = parseDuplicatePolicy(opts.duplicates);
				if (!fs.existsSync(file)) throw new UserFacingError(`There is no file ${file}: check the path.`);
				const content = fs.readFileSync(file);
				const kind = await nonTextFileIssue(content, path.basename(file));
				if (kind) throw new UserFacingError(formatIssue(kind));
				await withDatabase(async (db) => {
					await migrateToLatest(db);
					// Read with the imported repository's column settings, as its own files were.
					const columns = await readColumnSettings(db.kysely);
					const validation = validateIndicatorCsv(content, path.basename(file), { duplicates, ...(columns ? { columns } : {}) });
					printIssues('warning', validation.warnings);
					if (validation.errors.length) {
						process.stderr.write(`${validation.file}: ${validation.errors.length} error(s); nothing was imported.\n`);
						printIssues('error', validation.errors);
						process.exitCode = 1;
						return;
					}
					if (opts.dryRun) {
						console.log(`Dry run: ${validation.file} is valid, ${validation.rows.length} observations; nothing changed.`);
						return;
					}
					const revision = await publishIndicatorCsv(db, opts.indicator, validation, { author: cliAuthor(), kind: 'import' });
					console.log(
						`${opts.indicator}: revision ${revision.number} published from ${validation.file}: ${revision.rowCount} observations (${revision.rowsAdded} added, ${revision.rowsRemoved} removed, ${revision.rowsChanged} changed).`
					);
				});
			})
		);

	program
		.command('export')
		.description('export indicator data')
		.command('opensdg')
		.description('write every indicator as an Open SDG data repository')
		.argument('<dir>', 'the folder to write (created if missing)')
		.option('--indicator <id...>', 'only these indicators')
		.action(
			action(async (dir: string, opts: { indicator?: string[] }) => {
				await withDatabase(async (db) => {
					const report = await exportOpenSdgRepository(db, path.resolve(dir), opts.indicator);
					if (opts.indicator?.length && report.indicators < opts.indicator.length) {
						throw new UserFacingError(`Only ${report.indicators} of the ${opts.indicator.length} indicators named exist: check the ids.`);
					}
					console.log(`Exported ${report.indicators} indicators (${report.rows.toLocaleString('en-US')} observations, ${report.files.length} files) to ${report.dir}.`);
				});
			})
		);

	program
		.command('revisions')
		.description("list an indicator's data revisions, newest first, with rows added, removed and changed")
		.argument('<id>', 'the indicator id')
		.action(
			action(async (id: string) => {
				await withDatabase(async (db) => {
					const indicator = await db.kysely.selectFrom('indicator').select(['id', 'current_revision_id']).where('id', '=', id).executeTakeFirst();
					if (!indicator) throw new UserFacingError(`There is no indicator "${id}": check the id.`);
					const revisions = await listRevisions(db, id);
					if (!revisions.length) {
						console.log(`${id} has no data revisions yet.`);
						return;
					}
					console.log('rev  when (UTC)         kind      rows    +added  -removed  ~changed  author / source');
					for (const r of revisions) {
						const current = r.id === indicator.current_revision_id ? '*' : ' ';
						console.log(
							`${current}${String(r.number).padEnd(4)}${r.createdAt.slice(0, 16).replace('T', ' ').padEnd(19)}${r.kind.padEnd(10)}${String(r.rowCount).padStart(6)}${String(r.rowsAdded).padStart(9)}${String(r.rowsRemoved).padStart(10)}${String(r.rowsChanged).padStart(10)}  ${r.author} / ${r.source}${r.isSample ? ' (sample data)' : ''}`
						);
					}
					console.log('* current');
				});
			})
		);

	program
		.command('rollback')
		.description("make an earlier revision's data current again (recorded as a new revision)")
		.argument('<id>', 'the indicator id')
		.argument('<revision>', 'the revision number to restore')
		.action(
			action(async (id: string, revisionText: string) => {
				const number = parseRevisionNumber(revisionText);
				await withDatabase(async (db) => {
					const restored = await rollbackToRevision(db, id, number, cliAuthor(), async (trx, indicatorId, rows) => {
						await recomputeProgress(trx, indicatorId, rows);
					});
					if (!restored) throw new UserFacingError(`${id} has no revision ${number}: see "sac2050 revisions ${id}".`);
					console.log(`${id}: revision ${restored.number} restores the data of revision ${number} (${restored.rowCount} observations).`);
				});
			})
		);

	program
		.command('progress')
		.description('show each indicator\'s progress status, score and plain label')
		.option('--json', 'print a JSON array with one object per indicator, series components included')
		.option('--indicator <id...>', 'only these indicators')
		.option('--recompute', 'recompute from the current data first')
		.action(
			action(async (opts: { json?: boolean; indicator?: string[]; recompute?: boolean }) => {
				await withDatabase(async (db) => {
					let query = db.kysely.selectFrom('indicator').select('id').orderBy('area_id').orderBy('position').orderBy('id');
					if (opts.indicator?.length) query = query.where('id', 'in', opts.indicator);
					const ids = (await query.execute()).map((r) => r.id);
					const results = [];
					const recomputed = opts.recompute ? await recomputeProgressOfIndicators(db.kysely, ids) : undefined;
					for (const id of ids) {
						const progress = recomputed ? recomputed.get(id) : await readProgress(db.kysely, id);
						const p = progress ?? { status: 'not_available', score: null, label: 'not_reported', series: [] };
						results.push({
							id,
							status: p.status || 'not_available',
							score: p.score,
							label: p.label,
							...(p.error ? { error: p.error } : {}),
							series: p.series.map((s) => ({
								base_year: s.base_year,
								base_value: s.base_value,
								current_year: s.current_year,
								current_value: s.current_value,
								target: s.target,
								target_year: s.target_year,
								direction: s.direction,
								limit: s.limit,
								progress_value: s.progress_value,
								score: s.score,
								status: s.status,
								projection_2050: s.projection ?? null,
								...(s.tag ? { tag: s.tag } : {}),
								...(s.error ? { error: s.error } : {})
							}))
						});
					}
					if (opts.recompute) await bumpDataVersion(db);
					if (opts.json) {
						console.log(JSON.stringify(results, null, 2));
						return;
					}
					for (const r of results) {
						console.log(`${r.id.padEnd(32)} ${r.label.padEnd(13)} ${String(r.status).padEnd(22)} ${r.score === null ? '' : r.score.toFixed(2)}`);
					}
				});
			})
		);
}

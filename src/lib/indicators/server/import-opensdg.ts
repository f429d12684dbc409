import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Transaction } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';
import { resolveArea, type PlacedBy, type PlacementRules } from '../placement.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import { formatIssue, parseIndicatorCsv, type DuplicatePolicy, type ParseIssue } from '../opensdg/data-csv.ts';
import { parseIndicatorConfig, parseMetaMarkdown, parseMetaYaml } from '../opensdg/metadata.ts';
import { CONFIG_DATA_FILE, dataConfigFromRaw, defaultLanguage, parseDataConfig, type DataConfig } from '../opensdg/config-data.ts';
import { parseTranslationFile, translationPathInfo, TRANSLATIONS_DIR, type RepositoryTranslations } from '../opensdg/translations.ts';
import { repositoryStatusTypes } from '../opensdg/status-types.ts';
import type { ProgressEnvironment } from '../progress.ts';
import { progressEnvironmentOf, readRepositorySettings, storeRepositorySettings, storeStatusTypes, type RepositorySettings } from './repository-settings.ts';
import { classifyRepositoryPath, CONFIG_DIR, DATA_DIR, META_DIR } from '../opensdg/repository-layout.ts';
import { toObservationInputs } from './import-rows.ts';
import { upsertIndicatorFromOpenSdg, type ImportedMetadata } from './indicator-upsert.ts';
import { recomputeProgress } from './progress-store.ts';
import { publishRevisionInTransaction } from './store.ts';
import { rebuildSearchIndex } from '#lib/search/server/index.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';

export interface ImportOptions {
	author: string;
	/** Validate every file and change nothing. */
	dryRun?: boolean;
	/** Two rows for one observation with different values: an error (default), or keep the first or the last. */
	duplicates?: DuplicatePolicy;
	onProgress?: (done: number, total: number, indicatorId: string) => void;
	/** How to place an indicator that belongs to no area yet (the region pack's goals and tags); none: left as it is. */
	placement?: PlacementRules;
}

export type OutcomeStatus = 'imported' | 'unchanged' | 'valid' | 'failed';

export interface IndicatorOutcome {
	indicatorId: string;
	files: string[];
	status: OutcomeStatus;
	rows: number;
	/** Imported with its metadata and no data: non-statistical, or a data file without numbers. */
	nonStatistical?: boolean;
	/** Revision number created, when data was published. */
	revision?: number;
	/** The area it is in after the import (null: in none, shown under "Other indicators"). */
	area?: string | null;
	/** How this import placed it in its area, when it did. */
	placedBy?: PlacedBy;
	errors: ParseIssue[];
	warnings: ParseIssue[];
}

export interface ImportReport {
	dir: string;
	dryRun: boolean;
	outcomes: IndicatorOutcome[];
	/** Files that look like indicator files but cannot be used (bad names). */
	skipped: ParseIssue[];
	imported: number;
	unchanged: number;
	valid: number;
	failed: number;
	/** Observations imported (or validated, on a dry run). */
	rows: number;
	/** Indicators of the repository that are in no area after the import, for an editor to place. */
	unassigned: string[];
}

interface IndicatorFiles {
	data?: string;
	meta?: { path: string; format: 'md' | 'yml' };
	config?: string;
}

function listFiles(root: string, sub: string): string[] {
	const start = path.join(root, sub);
	if (!fs.existsSync(start)) return [];
	return (fs.readdirSync(start, { recursive: true, withFileTypes: true }) as fs.Dirent[])
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
		.sort();
}

/** Finds every indicator's files in an Open SDG data repository. */
export function scanRepository(dir: string): { indicators: Map<string, IndicatorFiles>; skipped: ParseIssue[] } {
	if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
		throw new UserFacingError(`${dir} is not a folder: give the folder of an Open SDG data repository (the one holding data/ and meta/).`);
	}
	const indicators = new Map<string, IndicatorFiles>();
	const skipped: ParseIssue[] = [];
	const entry = (id: string) => {
		let files = indicators.get(id);
		if (!files) indicators.set(id, (files = {}));
		return files;
	};
	for (const rel of [...listFiles(dir, DATA_DIR), ...listFiles(dir, META_DIR), ...listFiles(dir, CONFIG_DIR)]) {
		const info = classifyRepositoryPath(rel);
		if (info.kind === 'invalid') {
			skipped.push({ file: rel, line: null, column: null, message: info.reason, fix: info.fix });
		} else if (info.kind === 'data') {
			const files = entry(info.id);
			if (files.data) {
				skipped.push({
					file: rel,
					line: null,
					column: null,
					message: `A second data file for indicator ${info.id} (the first is ${files.data}).`,
					fix: 'Keep one data file per indicator and remove or rename the other.'
				});
			} else files.data = rel;
		} else if (info.kind === 'meta') {
			const files = entry(info.id);
			// A .md file wins over .yml, as in Open SDG's own builds.
			if (!files.meta || (info.format === 'md' && files.meta.format === 'yml')) files.meta = { path: rel, format: info.format };
		} else if (info.kind === 'config') {
			entry(info.id).config = rel;
		}
	}
	if (indicators.size === 0) {
		throw new UserFacingError(
			`${dir} holds no indicator files: an Open SDG repository has data/indicator_<id>.csv files (and meta/<id>.md or indicator-config/<id>.yml).`
		);
	}
	return { indicators, skipped };
}

/**
 * The repository's data configuration (`config_data.yml`) and translations
 * (`translations/<lang>/<group>.yml`). A file that cannot be read stops the import: the
 * results would otherwise silently differ from the published ones.
 */
export function readRepositorySettingsFiles(dir: string): { settings: RepositorySettings; config: DataConfig } {
	const errors: ParseIssue[] = [];
	let config = dataConfigFromRaw({});
	const settings: RepositorySettings = { translations: {} };
	const configFile = path.join(dir, CONFIG_DATA_FILE);
	if (fs.existsSync(configFile)) {
		const parsed = parseDataConfig(fs.readFileSync(configFile, 'utf8'), CONFIG_DATA_FILE);
		errors.push(...parsed.errors);
		config = parsed.config;
		settings.configData = parsed.config.raw;
	}
	const translations: RepositoryTranslations = {};
	for (const rel of listFiles(dir, TRANSLATIONS_DIR)) {
		const info = translationPathInfo(rel);
		if (!info) continue;
		const parsed = parseTranslationFile(fs.readFileSync(path.join(dir, rel), 'utf8'), rel);
		errors.push(...parsed.errors);
		const groups = (translations[info.language] ??= {});
		groups[info.group] = { ...(groups[info.group] ?? {}), ...parsed.entries };
	}
	settings.translations = translations;
	if (errors.length > 0) throw new UserFacingError(errors.map(formatIssue).join('\n'));
	return { settings, config };
}

/** JSON with object keys sorted: the same settings give the same text whatever order they were read in. */
function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v
	);
}

/** What changed in the repository's settings since the last import. */
interface SettingsChange {
	/** Anything: translations, column settings, status types, … — progress is measured again. */
	any: boolean;
	/** The column settings: which columns are observation attributes, so the data is read again. */
	columns: boolean;
}

function settingsChange(before: RepositorySettings, after: RepositorySettings, config: DataConfig): SettingsChange {
	if (canonicalJson(before) === canonicalJson(after)) return { any: false, columns: false };
	const columnsBefore = dataConfigFromRaw(before.configData ?? {}).columns;
	return { any: true, columns: canonicalJson(columnsBefore ?? null) !== canonicalJson(config.columns ?? null) };
}

function readText(dir: string, rel: string): { text: string; bytes: Buffer } {
	const bytes = fs.readFileSync(path.join(dir, rel));
	return { text: bytes.toString('utf8'), bytes };
}

/** Orders ids like 1-2-1 < 1-10-1 < 10-1-1, and slugs alphabetically. */
function compareIds(a: string, b: string): number {
	return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * Imports an Open SDG data repository. Every indicator is validated from its files; an
 * indicator with any error changes nothing and the others go on. An indicator's new data
 * becomes visible in one transaction, together with its recomputed progress.
 */
export async function importOpenSdgRepository(db: Db, dir: string, options: ImportOptions): Promise<ImportReport> {
	const { indicators, skipped } = scanRepository(dir);
	const { settings, config } = readRepositorySettingsFiles(dir);
	const env = progressEnvironmentOf(settings);
	const ids = [...indicators.keys()].sort(compareIds);
	const report: ImportReport = { dir, dryRun: options.dryRun === true, outcomes: [], skipped, imported: 0, unchanged: 0, valid: 0, failed: 0, rows: 0, unassigned: [] };
	// The repository's settings are kept as data; its indicators' progress is measured with them.
	let change: SettingsChange = { any: false, columns: false };
	if (!report.dryRun) {
		change = settingsChange(await readRepositorySettings(db.kysely), settings, config);
		await storeRepositorySettings(db.kysely, settings);
	}

	const used = { progress: new Set<string>(), reporting: new Set<string>() };
	// Only areas that exist in the database take indicators.
	let placement = options.placement;
	if (placement) {
		const existing = new Set((await db.kysely.selectFrom('area').select('id').execute()).map((a) => a.id));
		placement = { ...placement, areas: new Set([...placement.areas].filter((a) => existing.has(a))) };
	}
	for (const [index, id] of ids.entries()) {
		const files = indicators.get(id)!;
		const outcome = await importIndicator(db, dir, id, files, { ...options, placement }, config, env, used, change);
		if (outcome.status !== 'failed' && outcome.area === null) report.unassigned.push(id);
		report.outcomes.push(outcome);
		report[outcome.status]++;
		if (outcome.status !== 'failed') report.rows += outcome.rows;
		options.onProgress?.(index + 1, ids.length, id);
	}
	if (!report.dryRun) {
		const types = repositoryStatusTypes(
			{ progress: config.progressStatusTypes, reporting: config.reportingStatusTypes },
			used,
			settings.translations,
			defaultLanguage(config)
		);
		if (types.length > 0) await storeStatusTypes(db.kysely, types);
	}
	if (!report.dryRun && (report.imported > 0 || change.any)) {
		await rebuildSearchIndex(db);
		// Metadata, progress and the search index changed after the last publish's bump.
		await bumpDataVersion(db);
	}
	return report;
}

/**
 * Puts an indicator that is in no area into the one its metadata or goal points to (an area an
 * editor chose is kept; without rules nothing moves). Returns its area afterwards.
 */
async function placeIndicator(
	trx: Transaction<Database>,
	id: string,
	metadata: ImportedMetadata,
	rules: PlacementRules | undefined
): Promise<{ area: string | null; by: PlacedBy | null }> {
	const row = await trx.selectFrom('indicator').select('area_id').where('id', '=', id).executeTakeFirstOrThrow();
	if (row.area_id !== null || !rules) return { area: row.area_id, by: null };
	const fields = [metadata.config?.raw, metadata.meta?.parsed.raw].filter((f): f is Record<string, unknown> => f !== undefined);
	const placement = resolveArea(id, fields, rules);
	if (placement.area === null) return { area: null, by: null };
	await trx.updateTable('indicator').set({ area_id: placement.area }).where('id', '=', id).execute();
	return { area: placement.area, by: placement.by };
}

async function importIndicator(
	db: Db,
	dir: string,
	id: string,
	files: IndicatorFiles,
	options: ImportOptions,
	config: DataConfig,
	env: ProgressEnvironment,
	used: { progress: Set<string>; reporting: Set<string> },
	change: SettingsChange
): Promise<IndicatorOutcome> {
	const outcome: IndicatorOutcome = {
		indicatorId: id,
		files: [files.data, files.meta?.path, files.config].filter((f): f is string => f !== undefined),
		status: 'failed',
		rows: 0,
		errors: [],
		warnings: []
	};

	const metadata: ImportedMetadata = {};
	const optionIssues: ParseIssue[][] = [];
	if (files.meta) {
		const { text } = readText(dir, files.meta.path);
		const parsed = files.meta.format === 'md' ? parseMetaMarkdown(text, files.meta.path) : parseMetaYaml(text, files.meta.path);
		outcome.errors.push(...parsed.errors);
		outcome.warnings.push(...parsed.warnings);
		optionIssues.push(parsed.optionErrors);
		metadata.meta = { format: files.meta.format, parsed: parsed.metadata };
	}
	if (files.config) {
		const parsed = parseIndicatorConfig(readText(dir, files.config).text, files.config);
		outcome.errors.push(...parsed.errors);
		outcome.warnings.push(...parsed.warnings);
		optionIssues.push(parsed.optionErrors);
		metadata.config = parsed.metadata;
	}

	// Options of a file that does not switch the calculation on are not read, unless another file of the indicator does.
	const calculationOn = (metadata.config?.auto_progress_calculation ?? metadata.meta?.parsed.auto_progress_calculation) === true;
	for (const parsed of optionIssues) {
		if (calculationOn) outcome.errors.push(...parsed);
		else outcome.warnings.push(...parsed.map((i) => ({ ...i, message: `${i.message} (Not read: the progress calculation is off.)` })));
	}

	const progressStatus = metadata.config?.progress_status ?? metadata.meta?.parsed.progress_status;
	const reportingStatus = metadata.config?.reporting_status ?? metadata.meta?.parsed.reporting_status;
	const saysNonStatistical = (metadata.config?.data_non_statistical ?? metadata.meta?.parsed.data_non_statistical) === true;

	let data: { parsed: ReturnType<typeof parseIndicatorCsv>; checksum: string } | undefined;
	if (files.data) {
		const { text, bytes } = readText(dir, files.data);
		const parsed = parseIndicatorCsv(text, files.data, { ...(config.columns ? { columns: config.columns } : {}), duplicates: options.duplicates ?? 'error' });
		// No numbers, and nothing wrong but words where years go: a file that says what the indicator is.
		const noNumbers = parsed.numericValues === 0 && parsed.columns.includes('Value') && parsed.errors.every((e) => e.column === 'Year');
		if (noNumbers || (saysNonStatistical && parsed.errors.length > 0)) {
			// A non-statistical indicator (e.g. "This is a non-statistical indicator" in the Year column): its metadata, no data.
			outcome.nonStatistical = true;
			outcome.warnings.push({
				file: files.data,
				line: null,
				column: null,
				message: noNumbers
					? 'The file holds no numbers; the indicator is imported with its metadata and no data.'
					: 'The metadata says the indicator is non-statistical; the data file is not read.',
				fix: 'Nothing to do for a non-statistical indicator; otherwise put its observations in the file (Year, Value, …).'
			});
		} else {
			outcome.errors.push(...parsed.errors);
			outcome.warnings.push(...parsed.warnings);
			outcome.rows = parsed.rows.length;
			data = { parsed, checksum: createHash('sha256').update(bytes).digest('hex') };
		}
	} else if (files.meta || files.config) {
		outcome.nonStatistical = saysNonStatistical || undefined;
	}
	if (outcome.nonStatistical === undefined) delete outcome.nonStatistical;
	metadata.nonStatistical = outcome.nonStatistical === true || saysNonStatistical;

	if (outcome.errors.length) return outcome;
	if (progressStatus) used.progress.add(progressStatus);
	if (reportingStatus) used.reporting.add(reportingStatus);
	if (options.dryRun) {
		outcome.status = 'valid';
		return outcome;
	}

	// Metadata, data and progress of one indicator change together, in one transaction.
	await db.kysely.transaction().execute(async (trx) => {
		let changed = await upsertIndicatorFromOpenSdg(trx, id, metadata);
		const placed = await placeIndicator(trx, id, metadata, options.placement);
		outcome.area = placed.area;
		if (placed.by) {
			outcome.placedBy = placed.by;
			changed = true;
		}
		outcome.status = changed ? 'imported' : 'unchanged';
		if (data) {
			const current = await trx
				.selectFrom('indicator as i')
				.leftJoin('revision as r', 'r.id', 'i.current_revision_id')
				.select(['r.checksum', 'r.is_sample'])
				.where('i.id', '=', id)
				.executeTakeFirst();
			// The same file again (and not replacing sample data) publishes nothing new, unless the
			// repository's column settings changed how it is read.
			if (current?.checksum !== data.checksum || current?.is_sample === 1 || change.columns) {
				const revision = await publishRevisionInTransaction(
					db,
					trx,
					{
						indicatorId: id,
						kind: 'import',
						author: options.author,
						source: files.data!,
						checksum: data.checksum,
						columns: data.parsed.columns,
						rows: toObservationInputs(data.parsed.rows),
						isSample: false
					},
					async (trx, indicatorId, rows) => {
						await recomputeProgress(trx, indicatorId, rows, env);
					}
				);
				outcome.revision = revision.number;
				outcome.status = 'imported';
				return;
			}
		}
		// New metadata or new repository settings (translations, column settings) give new progress.
		if (changed || change.any) await recomputeProgress(trx, id, undefined, env);
	});
	return outcome;
}

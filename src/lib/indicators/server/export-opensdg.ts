import fs from 'node:fs';
import path from 'node:path';
import type { Selectable } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { IndicatorTable } from '#lib/server/db/schema.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { serializeIndicatorCsv } from '../opensdg/data-csv.ts';
import { serializeMetaYaml } from '../opensdg/metadata.ts';
import { configPathFor, dataPathFor, metaPathFor } from '../opensdg/repository-layout.ts';
import { toTidyRows } from './import-rows.ts';
import { readStoredOpenSdgMetadata } from './indicator-upsert.ts';
import { progressConfigFor, readHeadlineTarget, type StoredProgressConfig } from './progress-store.ts';
import { getRevision, readRevisionObservations } from './store.ts';
import { readRepositorySettings } from './repository-settings.ts';
import { CONFIG_DATA_FILE, serializeDataConfig } from '../opensdg/config-data.ts';
import { translationPathFor } from '../opensdg/translations.ts';

export interface ExportReport {
	dir: string;
	indicators: number;
	rows: number;
	files: string[];
}

/** Writes through a temporary file, so a reader never sees half a file. */
function writeFile(dir: string, rel: string, text: string): void {
	const file = path.join(dir, rel);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temporary, text);
	fs.renameSync(temporary, file);
}

type IndicatorRow = Selectable<IndicatorTable>;

/** Open SDG metadata for an indicator created in Sac2050 (it has no imported files to reuse). */
function metadataFromIndicator(row: IndicatorRow, target: { value: number; year: number } | undefined): Record<string, unknown> {
	const stored = fromJson<StoredProgressConfig>(row.progress_config, {});
	const config = progressConfigFor(stored, row.direction, target);
	const raw: Record<string, unknown> = {
		indicator_name: row.name,
		indicator_definition: row.description || undefined,
		computation_units: row.unit || undefined,
		reporting_status: row.reporting_status,
		graph_type: row.graph_type,
		auto_progress_calculation: config.auto_progress_calculation === true
	};
	if (config.progress_calculation_options) raw['progress_calculation_options'] = config.progress_calculation_options;
	if (row.source_name || row.source_url) {
		raw['source_active_1'] = true;
		if (row.source_name) raw['source_organisation_1'] = row.source_name;
		if (row.source_url) raw['source_url_1'] = row.source_url;
	}
	if (fromFlag(row.is_sample)) raw['data_notice'] = 'Illustrative sample data, not official statistics.';
	return raw;
}

/**
 * Writes every indicator (or the given ones) as an Open SDG data repository: the current
 * revision's data with its original columns, and the metadata as imported, or built from the
 * indicator when it was created in Sac2050.
 */
export async function exportOpenSdgRepository(db: Db, dir: string, ids?: string[]): Promise<ExportReport> {
	let query = db.kysely.selectFrom('indicator').selectAll().orderBy('id');
	if (ids?.length) query = query.where('id', 'in', ids);
	const indicators = await query.execute();
	const report: ExportReport = { dir, indicators: 0, rows: 0, files: [] };

	// The repository's own settings: its data configuration (column settings, declared statuses) and translations.
	const settings = await readRepositorySettings(db.kysely);
	if (settings.configData) {
		writeFile(dir, CONFIG_DATA_FILE, serializeDataConfig(settings.configData));
		report.files.push(CONFIG_DATA_FILE);
	}
	for (const [language, groups] of Object.entries(settings.translations)) {
		for (const [group, entries] of Object.entries(groups)) {
			const rel = translationPathFor(language, group);
			writeFile(dir, rel, serializeMetaYaml(entries));
			report.files.push(rel);
		}
	}

	for (const indicator of indicators) {
		const metadata = readStoredOpenSdgMetadata(indicator.metadata);
		if (indicator.current_revision_id) {
			const revision = await db.kysely.selectFrom('revision').select(['number']).where('id', '=', indicator.current_revision_id).executeTakeFirstOrThrow();
			const full = await getRevision(db, indicator.id, revision.number);
			const observations = await readRevisionObservations(db.kysely, indicator.current_revision_id, indicator.id);
			const columns = full?.columns ?? [];
			writeFile(dir, dataPathFor(indicator.id), serializeIndicatorCsv(columns, toTidyRows(observations, columns)));
			report.files.push(dataPathFor(indicator.id));
			report.rows += observations.length;
		} else if (metadata.non_statistical) {
			// A non-statistical indicator: a data file with no observations, so it reads back as one.
			writeFile(dir, dataPathFor(indicator.id), 'Year,Value\n');
			report.files.push(dataPathFor(indicator.id));
		}
		if (metadata.meta) {
			const rel = metaPathFor(indicator.id, metadata.meta.format);
			const text =
				metadata.meta.format === 'md'
					? `---\n${serializeMetaYaml(metadata.meta.raw)}---\n${metadata.meta.content ?? ''}`
					: serializeMetaYaml(metadata.meta.raw);
			writeFile(dir, rel, text);
			report.files.push(rel);
		} else if (!metadata.config) {
			const target = await readHeadlineTarget(db.kysely, indicator.id);
			const rel = metaPathFor(indicator.id, 'md');
			writeFile(dir, rel, `---\n${serializeMetaYaml(metadataFromIndicator(indicator, target))}---\n`);
			report.files.push(rel);
		}
		if (metadata.config) {
			writeFile(dir, configPathFor(indicator.id), serializeMetaYaml(metadata.config.raw));
			report.files.push(configPathFor(indicator.id));
		}
		report.indicators++;
	}
	return report;
}

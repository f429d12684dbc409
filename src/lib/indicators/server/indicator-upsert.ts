import type { Kysely, Transaction } from 'kysely';
import type { Database } from '#lib/server/db/schema.ts';
import { fromJson, now, toJson } from '#lib/server/db/values.ts';
import type { IndicatorMetadata } from '../opensdg/metadata.ts';
import type { StoredProgressConfig } from './progress-store.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Open SDG metadata as kept on the indicator row, so an export writes the same files back. */
export interface StoredOpenSdgMetadata {
	meta?: { format: 'md' | 'yml'; raw: Record<string, unknown>; content?: string };
	config?: { raw: Record<string, unknown> };
	/** Non-statistical (the metadata says so, or its data file holds no numbers): a page without a chart. */
	non_statistical?: true;
}

/** The metadata of an indicator in an Open SDG repository: meta file first, config on top. */
export interface ImportedMetadata {
	meta?: { format: 'md' | 'yml'; parsed: IndicatorMetadata };
	config?: IndicatorMetadata;
	nonStatistical?: boolean;
}

function merged(m: ImportedMetadata): Partial<IndicatorMetadata> {
	const result: Partial<IndicatorMetadata> = {};
	for (const source of [m.meta?.parsed, m.config]) {
		if (!source) continue;
		for (const [key, value] of Object.entries(source)) {
			if (value !== undefined && key !== 'raw' && key !== 'sources') (result as Record<string, unknown>)[key] = value;
		}
	}
	return result;
}

function progressConfig(fields: Partial<IndicatorMetadata>): StoredProgressConfig {
	const config: StoredProgressConfig = { origin: 'opensdg', auto_progress_calculation: fields.auto_progress_calculation === true };
	if (fields.progress_status !== undefined) config.progress_status = fields.progress_status;
	if (fields.progress_calculation_options) config.progress_calculation_options = fields.progress_calculation_options as StoredProgressConfig['progress_calculation_options'];
	return config;
}

/**
 * Creates or updates an indicator from Open SDG metadata. Fields the files leave out keep
 * their current values (an indicator of the region pack keeps its area and translations).
 * Returns whether anything changed.
 */
export async function upsertIndicatorFromOpenSdg(db: Executor, id: string, metadata: ImportedMetadata): Promise<boolean> {
	const fields = merged(metadata);
	const stored: StoredOpenSdgMetadata = {};
	if (metadata.meta) {
		stored.meta = { format: metadata.meta.format, raw: metadata.meta.parsed.raw };
		if (metadata.meta.format === 'md' && metadata.meta.parsed.content !== undefined) stored.meta.content = metadata.meta.parsed.content;
	}
	if (metadata.config) stored.config = { raw: metadata.config.raw };
	if (metadata.nonStatistical) stored.non_statistical = true;

	const existing = await db.selectFrom('indicator').selectAll().where('id', '=', id).executeTakeFirst();
	const timestamp = now();
	const hasMetadata = metadata.meta !== undefined || metadata.config !== undefined;
	const values = {
		name: fields.name ?? existing?.name ?? id,
		description: fields.description ?? existing?.description ?? '',
		unit: fields.unit ?? existing?.unit ?? '',
		graph_type: fields.graph_type ?? existing?.graph_type ?? 'line',
		reporting_status: fields.reporting_status ?? existing?.reporting_status ?? 'notstarted',
		source_name: fields.source_name ?? existing?.source_name ?? '',
		source_url: fields.source_url ?? existing?.source_url ?? '',
		direction: existing?.direction ?? fields.progress_calculation_options?.[0]?.direction ?? null,
		metadata: hasMetadata ? toJson(stored) : (existing?.metadata ?? '{}'),
		progress_config: hasMetadata || !existing ? toJson(progressConfig(fields)) : existing.progress_config
	};

	if (!existing) {
		await db
			.insertInto('indicator')
			.values({
				id,
				area_id: null,
				position: 0,
				translations: '{}',
				is_sample: 0,
				current_revision_id: null,
				created_at: timestamp,
				updated_at: timestamp,
				...values
			})
			.execute();
		return true;
	}
	const changed = (Object.keys(values) as Array<keyof typeof values>).some((k) => values[k] !== existing[k]);
	if (changed) await db.updateTable('indicator').set({ ...values, updated_at: timestamp }).where('id', '=', id).execute();
	return changed;
}

export function readStoredOpenSdgMetadata(json: string): StoredOpenSdgMetadata {
	return fromJson<StoredOpenSdgMetadata>(json, {});
}

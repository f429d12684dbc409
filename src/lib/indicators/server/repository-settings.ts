import type { Kysely, Transaction } from 'kysely';
import type { Database } from '#lib/server/db/schema.ts';
import { fromFlag, fromJson, now, toFlag, toJson } from '#lib/server/db/values.ts';
import type { ProgressEnvironment } from '../progress.ts';
import type { ColumnSettings } from '../columns.ts';
import { dataConfigFromRaw, defaultLanguage } from '../opensdg/config-data.ts';
import type { RepositoryStatusType, StatusKind } from '../opensdg/status-types.ts';
import { translationsFor, type RepositoryTranslations } from '../opensdg/translations.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** What an imported Open SDG repository configures beside its indicators, kept so an export writes it back. */
export interface RepositorySettings {
	/** `config_data.yml` as written; undefined when the repository has none. */
	configData?: Record<string, unknown>;
	translations: RepositoryTranslations;
}

const CONFIG_KEY = 'opensdg.config_data';
const TRANSLATIONS_KEY = 'opensdg.translations';

export async function readRepositorySettings(db: Executor): Promise<RepositorySettings> {
	const rows = await db.selectFrom('setting').select(['key', 'value']).where('key', 'in', [CONFIG_KEY, TRANSLATIONS_KEY]).execute();
	const settings: RepositorySettings = { translations: {} };
	for (const row of rows) {
		if (row.key === CONFIG_KEY) {
			const raw = fromJson<Record<string, unknown> | null>(row.value, null);
			if (raw) settings.configData = raw;
		} else settings.translations = fromJson<RepositoryTranslations>(row.value, {});
	}
	return settings;
}

export async function storeRepositorySettings(db: Executor, settings: RepositorySettings): Promise<void> {
	const timestamp = now();
	for (const [key, value] of [
		[CONFIG_KEY, settings.configData ?? null],
		[TRANSLATIONS_KEY, settings.translations]
	] as const) {
		await db
			.insertInto('setting')
			.values({ key, value: toJson(value), updated_at: timestamp })
			.onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(value), updated_at: timestamp }))
			.execute();
	}
}

/**
 * The column settings of the imported repository's `config_data.yml` (observation attributes,
 * non-disaggregation columns); undefined without one. A single CSV uploaded or imported later
 * is read with them, as the repository's own files were.
 */
export async function readColumnSettings(db: Executor): Promise<ColumnSettings | undefined> {
	return dataConfigFromRaw((await readRepositorySettings(db)).configData ?? {}).columns;
}

/** The column settings and default-language translations the progress measure runs with. */
export function progressEnvironmentOf(settings: RepositorySettings): ProgressEnvironment {
	const config = dataConfigFromRaw(settings.configData ?? {});
	const env: ProgressEnvironment = {};
	if (config.columns) env.columns = config.columns;
	const translations = translationsFor(settings.translations, defaultLanguage(config));
	if (translations.size > 0) env.translations = translations;
	return env;
}

export async function readProgressEnvironment(db: Executor): Promise<ProgressEnvironment> {
	return progressEnvironmentOf(await readRepositorySettings(db));
}

/** Adds or updates the repository's status types (a status once seen stays known). */
export async function storeStatusTypes(db: Executor, types: readonly RepositoryStatusType[]): Promise<void> {
	for (const [position, t] of types.entries()) {
		const values = { label: t.label, translations: toJson(t.translations), declared: toFlag(t.declared), position };
		await db
			.insertInto('status_type')
			.values({ kind: t.kind, value: t.value, ...values })
			.onConflict((oc) => oc.columns(['kind', 'value']).doUpdateSet(values))
			.execute();
	}
}

export async function listStatusTypes(db: Executor, kind?: StatusKind): Promise<RepositoryStatusType[]> {
	let query = db.selectFrom('status_type').selectAll().orderBy('kind').orderBy('position').orderBy('value');
	if (kind) query = query.where('kind', '=', kind);
	const rows = await query.execute();
	return rows.map((r) => ({
		kind: r.kind as StatusKind,
		value: r.value,
		label: r.label,
		translations: fromJson<Record<string, string>>(r.translations, {}),
		declared: fromFlag(r.declared)
	}));
}

/** The label of a repository status in `locale` (its default-language label when not translated). */
export function statusTypeLabel(type: RepositoryStatusType, locale: string): string {
	return type.translations[locale] ?? type.label;
}

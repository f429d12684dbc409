import type { Db } from '#lib/server/db/connect.ts';
import { fromJson, now, toJson } from '#lib/server/db/values.ts';
import { privilegedTransaction, type AuditActor } from '#lib/server/audit/log.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';
import type { RegionSettings } from '../pack.ts';

/**
 * Region settings an admin changes in the back office, stored over the region pack's own
 * (region.yml stays the default and the place for everything else).
 */
export const EDITABLE_REGION_FIELDS = ['name', 'shortName', 'tagline', 'about', 'contact'] as const;
export type EditableRegionField = (typeof EDITABLE_REGION_FIELDS)[number];

/** Per field: the text in the default language and its translations; a blank value means "as in region.yml". */
export type RegionOverrides = Partial<Record<EditableRegionField, string>> & { translations?: Record<string, Partial<Record<EditableRegionField, string>>> };

const SETTING_KEY = 'region.settings';

export async function readRegionOverrides(db: Db): Promise<RegionOverrides> {
	const row = await db.kysely.selectFrom('setting').select('value').where('key', '=', SETTING_KEY).executeTakeFirst();
	return fromJson<RegionOverrides>(row?.value, {});
}

export function applyRegionOverrides(settings: RegionSettings, overrides: RegionOverrides): RegionSettings {
	const merged: RegionSettings = { ...settings, translations: { ...settings.translations } };
	for (const field of EDITABLE_REGION_FIELDS) {
		const value = overrides[field]?.trim();
		if (value) merged[field] = value;
	}
	for (const [locale, fields] of Object.entries(overrides.translations ?? {})) {
		const translated = { ...(merged.translations[locale] ?? {}) };
		for (const field of EDITABLE_REGION_FIELDS) {
			const value = fields[field]?.trim();
			if (value) translated[field] = value;
		}
		merged.translations[locale] = translated;
	}
	return merged;
}

/** Saves the overrides (admins only), with the audit entry and a new data version in the same transaction. */
export async function updateRegionSettings(db: Db, actor: AuditActor | null, overrides: RegionOverrides): Promise<void> {
	await privilegedTransaction(db, actor, 'region.edit', { type: 'region', id: 'region' }, async (trx) => {
		const before = fromJson<RegionOverrides>((await trx.selectFrom('setting').select('value').where('key', '=', SETTING_KEY).executeTakeFirst())?.value, {});
		await trx
			.insertInto('setting')
			.values({ key: SETTING_KEY, value: toJson(overrides), updated_at: now() })
			.onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(overrides), updated_at: now() }))
			.execute();
		await bumpDataVersion(db, trx);
		return { result: undefined, audit: { subjectType: 'region', subjectId: 'region', summary: 'Changed the region settings', before, after: overrides } };
	});
}

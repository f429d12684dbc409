import type { RegionSettings } from '#lib/region/pack.ts';
import { EDITABLE_REGION_FIELDS, type RegionOverrides } from '#lib/region/server/settings.ts';
import { SETTINGS_LOCALES, settingsFieldName, type SettingsValue } from '../forms.ts';

/** The settings form's values: the stored overrides, blank where region.yml's text applies. */
export function settingsFormValues(overrides: RegionOverrides): Record<string, string> {
	const values: Record<string, string> = {};
	for (const locale of SETTINGS_LOCALES) {
		for (const field of EDITABLE_REGION_FIELDS) {
			values[settingsFieldName(field, locale)] = (locale === SETTINGS_LOCALES[0] ? overrides[field] : overrides.translations?.[locale]?.[field]) ?? '';
		}
	}
	return values;
}

/** region.yml's own text per form field: shown as each field's hint ("blank: …"). */
export function settingsDefaults(settings: RegionSettings): Record<string, string> {
	const values: Record<string, string> = {};
	for (const locale of SETTINGS_LOCALES) {
		for (const field of EDITABLE_REGION_FIELDS) {
			values[settingsFieldName(field, locale)] = (locale === SETTINGS_LOCALES[0] ? settings[field] : settings.translations[locale]?.[field]) ?? '';
		}
	}
	return values;
}

/** The form's value as the overrides to store: blanks left out, so region.yml applies there. */
export function overridesFromForm(value: SettingsValue): RegionOverrides {
	const overrides: RegionOverrides = {};
	for (const field of EDITABLE_REGION_FIELDS) if (value.base[field]) overrides[field] = value.base[field];
	const translations: NonNullable<RegionOverrides['translations']> = {};
	for (const [locale, fields] of Object.entries(value.translations)) {
		const kept = Object.fromEntries(Object.entries(fields).filter(([, v]) => v));
		if (Object.keys(kept).length) translations[locale] = kept;
	}
	if (Object.keys(translations).length) overrides.translations = translations;
	return overrides;
}

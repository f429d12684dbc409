/**
 * Reading and checking the back office forms: pure functions, unit-tested. Each returns the
 * clean values or, per field, a problem code that the page turns into a message in the
 * visitor's language (see src/lib/admin/ui/problems.ts).
 */

export type Problem = 'required' | 'too_long' | 'url' | 'number' | 'year' | 'choice' | 'target_source';

export type FieldProblems = Record<string, Problem>;

/** `values` are the trimmed texts as typed, for showing the form again. */
export type FormResult<T> = { ok: true; value: T; values: Record<string, string> } | { ok: false; problems: FieldProblems; values: Record<string, string> };

type FormInput = FormData | Record<string, string | undefined>;

function text(form: FormInput, name: string): string {
	const value = form instanceof FormData ? form.get(name) : form[name];
	return typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '';
}

function all(form: FormInput, names: readonly string[]): Record<string, string> {
	return Object.fromEntries(names.map((n) => [n, text(form, n)]));
}

const URL_PATTERN = /^https?:\/\/[^\s/$.?#][^\s]*$/i;

function limit(problems: FieldProblems, values: Record<string, string>, name: string, max: number, required = false): void {
	const value = values[name] ?? '';
	if (required && !value) problems[name] = 'required';
	else if (value.length > max) problems[name] = 'too_long';
}

/** The maximum length of each field, for the forms' maxlength and the checks alike. */
export const MAX_LENGTH = { short: 200, long: 4000 } as const;

// ---- Region settings ------------------------------------------------------------

export const SETTINGS_FIELDS = ['name', 'shortName', 'tagline', 'about', 'contact'] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];
export const SETTINGS_LOCALES = ['en', 'es'] as const;
/** The settings written as paragraphs (a textarea, and the long limit). */
export const LONG_SETTINGS: readonly SettingsField[] = ['about', 'contact'];

export interface SettingsValue {
	/** The default language's text per field ('' = as in region.yml). */
	base: Record<SettingsField, string>;
	/** Spanish text per field. */
	translations: Record<string, Record<SettingsField, string>>;
}

/** Field names in the form: `name` for the default language, `name_es` for Spanish. */
export function settingsFieldName(field: SettingsField, locale: string, baseLocale = 'en'): string {
	return translatedName(field, locale, baseLocale);
}

/** A translated field's form name: the field itself in the default language, `field_es` otherwise. */
export function translatedName(field: string, locale: string, baseLocale = 'en'): string {
	return locale === baseLocale ? field : `${field}_${locale}`;
}

/** The Spanish (and any other non-default) texts of `fields`, keyed by language, blanks left out. */
function translationsOf(values: Record<string, string>, fields: readonly string[], locales: readonly string[], baseLocale: string): Record<string, Record<string, string>> {
	const out: Record<string, Record<string, string>> = {};
	for (const locale of locales) {
		if (locale === baseLocale) continue;
		const texts: Record<string, string> = {};
		for (const f of fields) {
			const value = values[translatedName(f, locale, baseLocale)];
			if (value) texts[f] = value;
		}
		out[locale] = texts;
	}
	return out;
}

export function readSettingsForm(form: FormInput, baseLocale = 'en'): FormResult<SettingsValue> {
	const names = SETTINGS_LOCALES.flatMap((l) => SETTINGS_FIELDS.map((f) => settingsFieldName(f, l, baseLocale)));
	const values = all(form, names);
	const problems: FieldProblems = {};
	for (const name of names) {
		const field = SETTINGS_FIELDS.find((f) => name === f || name.startsWith(`${f}_`))!;
		// The contact is prose, as in region.yml ("Questions? Write to …"), not only an address.
		limit(problems, values, name, LONG_SETTINGS.includes(field) ? MAX_LENGTH.long : MAX_LENGTH.short);
	}
	if (Object.keys(problems).length) return { ok: false, problems, values };
	const pick = (locale: string) => Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, values[settingsFieldName(f, locale, baseLocale)] ?? ''])) as Record<SettingsField, string>;
	const translations: Record<string, Record<SettingsField, string>> = {};
	for (const locale of SETTINGS_LOCALES) if (locale !== baseLocale) translations[locale] = pick(locale);
	return { ok: true, value: { base: pick(baseLocale), translations }, values };
}

// ---- Indicators -------------------------------------------------------------------

export const TARGET_ORIGINS = ['adopted_plan', 'community_process'] as const;
export type TargetOrigin = (typeof TARGET_ORIGINS)[number];

/** The languages catalog texts are written in (the first is the default). */
export const CATALOG_LOCALES = ['en', 'es'] as const;
export const INDICATOR_TRANSLATED = ['name', 'description', 'unit'] as const;

export const INDICATOR_FIELDS = [
	'name',
	'description',
	'area',
	'unit',
	'direction',
	'sourceName',
	'sourceUrl',
	'progress',
	'baseYear',
	'limit',
	'targetValue',
	'targetYear',
	'targetOrigin',
	'targetSource'
] as const;

export interface IndicatorValue {
	name: string;
	description: string;
	areaId: string | null;
	unit: string;
	/** Texts in the other languages: `{ es: { name, description, unit } }`, blanks left out. */
	translations: Record<string, Record<string, string>>;
	direction: 'positive' | 'negative' | null;
	sourceName: string;
	sourceUrl: string;
	/** 'auto': measured from the direction and target; 'off': no progress measure. */
	progress: 'auto' | 'off';
	/** First year of the comparison; null = the default (2015, or the next year with data). */
	baseYear: number | null;
	/** A natural floor or ceiling (e.g. 100 for a percentage), used only without a target. */
	limit: number | null;
	/** The headline target; null removes it. */
	target: { value: number; year: number; origin: TargetOrigin; source: string } | null;
}

function isYear(value: string): boolean {
	return /^\d{4}$/.test(value) && Number(value) >= 1900 && Number(value) <= 2100;
}

function isNumber(value: string): boolean {
	return /^-?\d+(\.\d+)?$/.test(value.replace(/,/g, ''));
}

function toNumber(value: string): number {
	return Number(value.replace(/,/g, ''));
}

function translatedNames(fields: readonly string[]): string[] {
	return CATALOG_LOCALES.slice(1).flatMap((l) => fields.map((f) => translatedName(f, l)));
}

export function readIndicatorForm(form: FormInput, areaIds: readonly string[]): FormResult<IndicatorValue> {
	const values = all(form, [...INDICATOR_FIELDS, ...translatedNames(INDICATOR_TRANSLATED)]);
	const problems: FieldProblems = {};
	limit(problems, values, 'name', MAX_LENGTH.short, true);
	limit(problems, values, 'description', MAX_LENGTH.long);
	limit(problems, values, 'unit', MAX_LENGTH.short);
	for (const locale of CATALOG_LOCALES.slice(1)) {
		limit(problems, values, translatedName('name', locale), MAX_LENGTH.short);
		limit(problems, values, translatedName('description', locale), MAX_LENGTH.long);
		limit(problems, values, translatedName('unit', locale), MAX_LENGTH.short);
	}
	limit(problems, values, 'sourceName', MAX_LENGTH.short);
	limit(problems, values, 'sourceUrl', MAX_LENGTH.short);
	limit(problems, values, 'targetSource', MAX_LENGTH.short);
	if (values.area && !areaIds.includes(values.area)) problems.area = 'choice';
	if (values.direction && values.direction !== 'positive' && values.direction !== 'negative') problems.direction = 'choice';
	if (values.progress !== 'auto' && values.progress !== 'off') problems.progress = 'choice';
	if (values.sourceUrl && !problems.sourceUrl && !URL_PATTERN.test(values.sourceUrl)) problems.sourceUrl = 'url';
	if (values.baseYear && !isYear(values.baseYear)) problems.baseYear = 'year';
	if (values.limit && !isNumber(values.limit)) problems.limit = 'number';
	const hasTarget = Boolean(values.targetValue);
	if (hasTarget) {
		if (!isNumber(values.targetValue!)) problems.targetValue = 'number';
		if (!values.targetYear) problems.targetYear = 'required';
		else if (!isYear(values.targetYear)) problems.targetYear = 'year';
		if (!(TARGET_ORIGINS as readonly string[]).includes(values.targetOrigin ?? '')) problems.targetOrigin = 'choice';
		if (!values.targetSource && !problems.targetSource) problems.targetSource = 'target_source';
	}
	if (Object.keys(problems).length) return { ok: false, problems, values };
	return {
		ok: true,
		values,
		value: {
			name: values.name!,
			description: values.description!,
			areaId: values.area || null,
			unit: values.unit!,
			translations: translationsOf(values, INDICATOR_TRANSLATED, CATALOG_LOCALES, CATALOG_LOCALES[0]),
			direction: (values.direction || null) as IndicatorValue['direction'],
			sourceName: values.sourceName!,
			sourceUrl: values.sourceUrl!,
			progress: values.progress as 'auto' | 'off',
			baseYear: values.baseYear ? Number(values.baseYear) : null,
			limit: values.limit ? toNumber(values.limit) : null,
			target: hasTarget
				? { value: toNumber(values.targetValue!), year: Number(values.targetYear), origin: values.targetOrigin as TargetOrigin, source: values.targetSource! }
				: null
		}
	};
}

// ---- Areas -------------------------------------------------------------------------

export const AREA_FIELDS = ['name', 'question', 'description'] as const;
export interface AreaValue {
	name: string;
	question: string;
	description: string;
	/** `{ es: { name, question, description } }`, blanks left out. */
	translations: Record<string, Record<string, string>>;
}

export function readAreaForm(form: FormInput): FormResult<AreaValue> {
	const values = all(form, [...AREA_FIELDS, ...translatedNames(AREA_FIELDS)]);
	const problems: FieldProblems = {};
	for (const locale of CATALOG_LOCALES) {
		limit(problems, values, translatedName('name', locale), MAX_LENGTH.short, locale === CATALOG_LOCALES[0]);
		limit(problems, values, translatedName('question', locale), MAX_LENGTH.short);
		limit(problems, values, translatedName('description', locale), MAX_LENGTH.long);
	}
	if (Object.keys(problems).length) return { ok: false, problems, values };
	return {
		ok: true,
		values,
		value: {
			name: values.name!,
			question: values.question!,
			description: values.description!,
			translations: translationsOf(values, AREA_FIELDS, CATALOG_LOCALES, CATALOG_LOCALES[0])
		}
	};
}

// ---- Users -------------------------------------------------------------------------

export function readRoleForm<R extends string>(form: FormInput, roles: readonly R[]): FormResult<{ userId: string; role: R }> {
	const values = all(form, ['userId', 'role']);
	const problems: FieldProblems = {};
	if (!values.userId) problems.userId = 'required';
	if (!(roles as readonly string[]).includes(values.role ?? '')) problems.role = 'choice';
	if (Object.keys(problems).length) return { ok: false, problems, values };
	return { ok: true, value: { userId: values.userId!, role: values.role as R }, values };
}

// ---- Assigning indicators to an area ---------------------------------------------------

/** Where the assign form was sent from: the list of indicators in no area, or the full list. */
export const ASSIGN_LISTS = ['unassigned', 'list'] as const;
export type AssignList = (typeof ASSIGN_LISTS)[number];

export interface AssignProblems {
	indicators?: 'none_checked';
	area?: 'required' | 'choice';
}

/** The form as sent, for showing it again: which list, the checked ids, the chosen area, the list's filter. */
export interface AssignInput {
	list: AssignList;
	indicatorIds: string[];
	area: string;
	filter: string;
}

export type AssignResult = { ok: true; value: { areaId: string; indicatorIds: string[] }; input: AssignInput } | { ok: false; problems: AssignProblems; input: AssignInput };

/** The assign form: the checked `indicator` boxes (each id once) and one of `areaIds` as `area`. */
export function readAssignForm(form: FormData, areaIds: readonly string[]): AssignResult {
	const one = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' ? value.trim() : '';
	};
	const indicatorIds = [
		...new Set(
			form
				.getAll('indicator')
				.map((v) => (typeof v === 'string' ? v.trim() : ''))
				.filter(Boolean)
		)
	];
	const list = one('list');
	const filter = one('filter');
	const input: AssignInput = {
		list: (ASSIGN_LISTS as readonly string[]).includes(list) ? (list as AssignList) : 'unassigned',
		indicatorIds,
		area: one('area'),
		filter: areaIds.includes(filter) ? filter : ''
	};
	const problems: AssignProblems = {};
	if (indicatorIds.length === 0) problems.indicators = 'none_checked';
	if (!input.area) problems.area = 'required';
	else if (!areaIds.includes(input.area)) problems.area = 'choice';
	if (problems.indicators || problems.area) return { ok: false, problems, input };
	return { ok: true, value: { areaId: input.area, indicatorIds }, input };
}

/** The query of the page shown after a move: how many moved, to which area, and the list's filter. */
export function assignedQuery(moved: number, areaId: string, filter = ''): string {
	const params = new URLSearchParams({ moved: String(moved), to: areaId });
	if (filter) params.set('area', filter);
	return `?${params}`;
}

/** The move `assignedQuery` described, when the query holds one naming a known area. */
export function readAssigned(params: URLSearchParams, areaIds: readonly string[]): { moved: number; areaId: string } | undefined {
	const moved = params.get('moved') ?? '';
	const areaId = params.get('to') ?? '';
	if (!/^\d{1,6}$/.test(moved) || !areaIds.includes(areaId)) return undefined;
	return { moved: Number(moved), areaId };
}

/**
 * The region pack: everything that makes this copy of Sac2050 about one
 * particular region — its name, languages, colours, geographies, areas,
 * indicator catalog and (optionally) demo data — kept as human-editable YAML
 * and CSV files in one folder (`region/` by default).
 *
 * `loadRegionPack(dir)` reads and validates the whole folder and either
 * returns a typed `RegionPack` or throws a `RegionPackError` whose message is
 * one line naming the file, the line, the path inside the file
 * (e.g. `indicators[12].direction`), what is wrong and what to do. Nothing
 * else in the platform should read these files directly.
 *
 * Layout of a pack:
 *
 *   region.yml          settings, languages, colours, geographies
 *   areas.yml           `areas:` list
 *   indicators.yml      `indicators:` list
 *   demo/               optional; illustrative sample data only
 *     <slug>.csv        Open SDG tidy CSV: Year, [disaggregations…], GeoCode, Value
 *     targets.yml       `sample: true` and a `targets:` list
 *
 * Server-side only (reads files with node:fs).
 */
import { LANGUAGE_CODES, languageInfo } from '../i18n/languages.ts';
import { UserFacingError } from '../server/errors.ts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { z } from 'zod';

// ───────────────────────────── public types ─────────────────────────────

/** Language code → field name → translated text, e.g. `{ es: { name: 'Pobreza' } }`. */
export type Translations = Record<string, Record<string, string>>;

/** `positive`: higher is better; `negative`: lower is better. `null` in `IndicatorDef` when ambiguous. */
export type Direction = 'positive' | 'negative';

/** The 2015 prototype's label, kept only as history. */
export type Status2015 = 'improving' | 'steady' | 'worsening' | 'unreported';

export type GeographyKind = 'region' | 'county' | 'city' | 'place' | 'tract' | 'zcta' | 'district' | 'other';

export interface Geography {
	/** What the GeoCode column of a data file contains, e.g. the county FIPS code `06067`. */
	code: string;
	name: string;
	kind: GeographyKind;
	/** Translatable fields: `name`. */
	translations: Translations;
}

export interface RegionColors {
	/** White text is drawn on it: at least 4.5:1 contrast with white (checked). */
	primary: string;
	/** White text is drawn on it: at least 4.5:1 contrast with white (checked). */
	primaryDark: string;
	/** Highlights, used with dark text. */
	accent: string;
}

export interface RegionSettings {
	name: string;
	shortName: string;
	tagline: string;
	defaultLanguage: string;
	/** Includes `defaultLanguage`. */
	languages: string[];
	colors: RegionColors;
	baseYear: number;
	targetYear: number;
	/** Load the pack's illustrative sample series and targets (`sample_data`, default true). */
	sampleData: boolean;
	/** A directory record not verified for this many months is shown as possibly out of date (`directory_verification_months`, default 12). */
	directoryVerificationMonths: number;
	about: string;
	contact: string;
	/** Where the contact form's messages go (`contact_email`). */
	contactEmail: string;
	/** The project's public source repository (`repository_url`), linked from the footer. */
	repositoryUrl: string;
	/** Translatable fields: `name`, `shortName`, `tagline`, `about`, `contact`. */
	translations: Translations;
	/** One geography code for the whole region (`kind: 'region'`). */
	regionGeocode: Geography;
	/** Per language: a folded word or phrase → words or phrases search should also find. */
	searchSynonyms: Record<string, Record<string, string[]>>;
}

export interface AreaDef {
	slug: string;
	name: string;
	/** The guiding question the area answers. */
	question: string;
	description: string;
	/** Open SDG goals (1–17) whose imported indicators land in this area; each goal in at most one area. */
	goals: number[];
	/** Indicator tags (from imported metadata) that place an indicator in this area. */
	tags: string[];
	/** Translatable fields: `name`, `question`, `description`. */
	translations: Translations;
}

export interface IndicatorSource {
	name: string;
	/** An http(s) address. */
	url: string;
}

export interface IndicatorDef {
	slug: string;
	/** Slug of an `AreaDef`. */
	area: string;
	name: string;
	description: string;
	unit: string;
	/** `null` when neither higher nor lower is clearly better. */
	direction: Direction | null;
	source: IndicatorSource;
	/** Caveats about the source, e.g. that it was inferred. */
	sourceNote?: string;
	status2015: Status2015;
	/** Translatable fields: `name`, `description`, `unit`. */
	translations: Translations;
}

/** One demo CSV, returned unparsed: the Open SDG CSV module parses the rows. */
export interface DemoSeries {
	/** Slug of the indicator the file belongs to (its file name without `.csv`). */
	indicator: string;
	/** Path relative to the pack folder, e.g. `demo/unemployment.csv`. */
	file: string;
	/** The file's text, UTF-8, byte-order mark removed. */
	csvText: string;
	/** Header columns, e.g. `['Year', 'Race', 'GeoCode', 'Value']`. */
	columns: string[];
}

/** A made-up 2050 target for demonstration; never an adopted target. */
export interface DemoTarget {
	indicator: string;
	value: number;
	year: number;
	/** E.g. "sample — not adopted". */
	source: string;
	sample: true;
}

export interface RegionPack {
	/** Absolute path of the pack folder. */
	dir: string;
	settings: RegionSettings;
	/** The geographies data can be broken down by (not including `settings.regionGeocode`). */
	geographies: Geography[];
	/** In display order. */
	areas: AreaDef[];
	/** In display (catalog) order. */
	indicators: IndicatorDef[];
	/** In catalog order; empty when the pack has no `demo/` folder. */
	demoSeries: DemoSeries[];
	demoTargets: DemoTarget[];
	/** Absolute path of `demo/directory/`, the sample directory in the exchange format, when the pack has one. */
	demoDirectory: string | undefined;
}

/** A problem in a region pack, described in one line a non-programmer can act on. */
export class RegionPackError extends UserFacingError {
	/** The file, relative to the working directory when inside it. */
	readonly file: string;
	/** 1-based line in the file, when known. */
	readonly line: number | undefined;
	/** Path inside the file, e.g. `indicators[12].direction`, when known. */
	readonly at: string | undefined;
	/** What is wrong and what to do. */
	readonly problem: string;

	constructor(details: { file: string; line?: number | undefined; at?: string | undefined; problem: string }) {
		const where = [details.file];
		if (details.line !== undefined) where.push(`line ${details.line}`);
		const prefix = where.join(', ') + (details.at ? ` — ${details.at}` : '');
		super(oneLine(`${prefix}: ${details.problem}`));
		this.name = 'RegionPackError';
		this.file = details.file;
		this.line = details.line;
		this.at = details.at;
		this.problem = details.problem;
	}
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** WCAG 2.2 AA minimum for normal-size text. */
export const MIN_TEXT_CONTRAST = 4.5;

/** The region pack folder: `$SAC2050_REGION_DIR`, or `./region`. */
export function regionPackDir(): string {
	return process.env.SAC2050_REGION_DIR ?? path.resolve(process.cwd(), 'region');
}

/** WCAG 2.x contrast ratio of two `#rrggbb` colours (1–21). */
export function contrastRatio(hexA: string, hexB: string): number {
	const a = relativeLuminance(hexA);
	const b = relativeLuminance(hexB);
	return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** A field in the requested language, falling back to the pack's main text. */
export function localize<T extends { translations: Translations }>(
	item: T,
	field: { [K in keyof T]: T[K] extends string ? K : never }[keyof T] & string,
	language: string
): string {
	return item.translations[language]?.[field] ?? (item[field] as string);
}

// ───────────────────────────── loader ─────────────────────────────

export function loadRegionPack(dir: string): RegionPack {
	const root = path.resolve(dir);
	if (!isDirectory(root)) {
		throw new RegionPackError({
			file: displayPath(root),
			problem:
				'region pack folder not found. Create it with region.yml, areas.yml and indicators.yml, or set SAC2050_REGION_DIR to the folder that has them.'
		});
	}

	const regionFile = readYaml(root, 'region.yml', regionFileSchema);
	const settings = toSettings(regionFile.value);
	const geographies = regionFile.value.geographies.map(toGeography);
	checkRegion(regionFile, settings, geographies);

	const areasFile = readYaml(root, 'areas.yml', areasFileSchema);
	const areas = areasFile.value.areas.map((a): AreaDef => ({
		slug: a.slug,
		name: a.name,
		question: a.question,
		description: a.description,
		goals: a.goals ?? [],
		tags: (a.tags ?? []).map((t) => t.trim().toLowerCase()),
		translations: cleanTranslations(a.translations)
	}));
	checkUnique(areasFile, areas.map((a) => a.slug), (i) => ['areas', i, 'slug'], 'area slug');
	checkAreaMapping(areasFile, areas);
	areas.forEach((a, i) => checkLanguages(areasFile, a.translations, ['areas', i, 'translations'], settings));

	const indicatorsFile = readYaml(root, 'indicators.yml', indicatorsFileSchema);
	const indicators = indicatorsFile.value.indicators.map(toIndicator);
	checkUnique(indicatorsFile, indicators.map((d) => d.slug), (i) => ['indicators', i, 'slug'], 'indicator slug');
	const areaSlugs = new Set(areas.map((a) => a.slug));
	indicators.forEach((d, i) => {
		if (!areaSlugs.has(d.area)) {
			indicatorsFile.fail(
				['indicators', i, 'area'],
				`unknown area "${d.area}". Use one of the slugs in ${areasFile.display}: ${[...areaSlugs].join(', ')}.`
			);
		}
		checkLanguages(indicatorsFile, d.translations, ['indicators', i, 'translations'], settings);
	});

	const indicatorSlugs = new Set(indicators.map((d) => d.slug));
	const geoCodes = new Set([settings.regionGeocode.code, ...geographies.map((g) => g.code)]);
	const demoDir = path.join(root, 'demo');
	let demoSeries: DemoSeries[] = [];
	let demoTargets: DemoTarget[] = [];
	if (isDirectory(demoDir)) {
		demoSeries = readDemoSeries(root, indicatorSlugs, geoCodes, indicatorsFile.display);
		const order = new Map(indicators.map((d, i) => [d.slug, i]));
		demoSeries.sort((a, b) => (order.get(a.indicator) ?? 0) - (order.get(b.indicator) ?? 0));
		if (isFile(path.join(demoDir, 'targets.yml'))) {
			demoTargets = readDemoTargets(root, indicatorSlugs, settings, indicatorsFile.display);
		}
	}

	const demoDirectory = isDirectory(path.join(demoDir, 'directory')) ? path.join(demoDir, 'directory') : undefined;
	return { dir: root, settings, geographies, areas, indicators, demoSeries, demoTargets, demoDirectory };
}

// ───────────────────────────── schemas ─────────────────────────────

const text = () =>
	z
		.string({
			error: (iss) =>
				iss.input === undefined
					? undefined
					: iss.input === null
						? 'is empty; write some text here, or remove the field if it is optional'
						: `should be text, but is ${describe(iss.input)}`
		})
		.trim()
		.min(1, { error: 'is empty; write some text here, or remove the field if it is optional' });

const slug = z
	.string({ error: (iss) => (iss.input === undefined ? undefined : `should be a slug, but is ${describe(iss.input)}`) })
	.regex(SLUG_PATTERN, {
		error: (iss) =>
			`"${String(iss.input)}" is not a valid slug. Use only lowercase letters, digits and single hyphens, e.g. "high-school-graduation".`
	});

const languageCode = z
	.string()
	.regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, {
		error: (iss) => `"${String(iss.input)}" is not a language code. Use a code like en, es, zh, vi, hmn or ru.`
	});

const year = z
	.number({ error: (iss) => (iss.input === undefined ? undefined : `should be a year such as 2050, but is ${describe(iss.input)}`) })
	.int({ error: 'should be a whole year such as 2050' })
	.min(1900, { error: 'should be a year between 1900 and 2200' })
	.max(2200, { error: 'should be a year between 1900 and 2200' });

const sdgGoal = z
	.number({ error: (iss) => (iss.input === undefined ? undefined : `should be an Open SDG goal number from 1 to 17, but is ${describe(iss.input)}`) })
	.int({ error: 'should be a whole goal number from 1 to 17' })
	.min(1, { error: 'should be an Open SDG goal number from 1 to 17' })
	.max(17, { error: 'should be an Open SDG goal number from 1 to 17' });

const hexColor = z
	.string({
		error: (iss) =>
			iss.input === undefined
				? undefined
				: `should be a colour such as "#1f6f5c" in quotes (without quotes YAML reads # as the start of a comment), but is ${describe(iss.input)}`
	})
	.regex(/^#[0-9a-fA-F]{6}$/, {
		error: (iss) => `"${String(iss.input)}" is not a colour. Write # and six hex digits in quotes, e.g. "#1f6f5c".`
	});

const httpUrl = z
	.string({ error: (iss) => (iss.input === undefined ? undefined : `should be a web address, but is ${describe(iss.input)}`) })
	.refine(isHttpUrl, {
		error: (iss) => `"${String(iss.input)}" is not a full web address. Write it starting with https://`
	});

const geoCode = z
	.string({
		error: (iss) =>
			iss.input === undefined
				? undefined
				: typeof iss.input === 'number'
					? `is the number ${iss.input}; put the code in quotes, e.g. "06067", so leading zeros are kept`
					: `should be a code in quotes, e.g. "06067", but is ${describe(iss.input)}`
	})
	.regex(/^[A-Za-z0-9._-]+$/, {
		error: (iss) => `"${String(iss.input)}" is not a valid geography code. Use letters, digits, dots, hyphens or underscores only.`
	});

/** Translations: language code → the listed translatable fields (all optional). */
const translations = <const K extends string>(fields: readonly K[]) =>
	z
		.record(
			languageCode,
			z.strictObject(Object.fromEntries(fields.map((f) => [f, text().optional()])) as Record<K, z.ZodOptional<ReturnType<typeof text>>>)
		)
		.optional();

const geographyKinds = ['county', 'city', 'place', 'tract', 'zcta', 'district', 'other'] as const;

const geographySchema = z.strictObject({
	code: geoCode,
	name: text(),
	kind: z.enum(geographyKinds, {
		error: (iss) =>
			iss.input === undefined ? undefined : `"${String(iss.input)}" is not a known kind. Use one of: ${geographyKinds.join(', ')}.`
	}),
	translations: translations(['name'])
});

const regionFileSchema = z.strictObject({
	name: text(),
	short_name: text(),
	tagline: text(),
	default_language: languageCode,
	languages: z.array(languageCode).min(1, { error: 'is empty; list at least the default language, e.g. [en]' }),
	colors: z.strictObject({ primary: hexColor, primary_dark: hexColor, accent: hexColor }),
	base_year: year,
	target_year: year,
	sample_data: z.boolean({ error: 'must be true or false' }).optional(),
	directory_verification_months: z.number({ error: 'must be a whole number of months, such as 12' }).int({ error: 'must be a whole number of months, such as 12' }).min(1, { error: 'must be at least 1 month' }).max(120, { error: 'must be at most 120 months' }).optional(),
	about: text(),
	contact: text(),
	contact_email: z
		.string({ error: (iss) => (iss.input === undefined ? 'is missing; write the address the contact form sends to, e.g. hello@example.org' : `should be an e-mail address, but is ${describe(iss.input)}`) })
		.trim()
		.pipe(z.email({ error: (iss) => `"${String(iss.input)}" is not an e-mail address. Write it as name@example.org.` })),
	repository_url: httpUrl,
	translations: translations(['name', 'short_name', 'tagline', 'about', 'contact']),
	region_geocode: z.strictObject({ code: geoCode, name: text(), translations: translations(['name']) }),
	geographies: z.array(geographySchema),
	search_synonyms: z
		.record(
			languageCode,
			z.record(
				text(),
				z.array(text(), {
					error: (iss) => (iss.input === undefined ? undefined : `should be a list of words or phrases, e.g. [unemployment, employment], but is ${describe(iss.input)}`)
				})
			)
		)
		.optional()
});

const areasFileSchema = z.strictObject({
	areas: z
		.array(
			z.strictObject({
				slug,
				name: text(),
				question: text(),
				description: text(),
				goals: z.array(sdgGoal).optional(),
				tags: z.array(text()).optional(),
				translations: translations(['name', 'question', 'description'])
			})
		)
		.min(1, { error: 'is empty; a region needs at least one area' })
});

const directionSchema = z
	.enum(['positive', 'negative'], {
		error: (iss) =>
			(iss.input === undefined ? 'is missing' : `"${String(iss.input)}" is not allowed`) +
			'; write positive (higher is better), negative (lower is better) or null (neither; say why in a comment)'
	})
	.nullable();

const statusValues = ['improving', 'steady', 'worsening', 'unreported'] as const;

const indicatorsFileSchema = z.strictObject({
	indicators: z
		.array(
			z.strictObject({
				slug,
				area: slug,
				name: text(),
				description: text(),
				unit: text(),
				direction: directionSchema,
				source: z.strictObject({ name: text(), url: httpUrl }),
				source_note: text().optional(),
				status_2015: z.enum(statusValues, {
					error: (iss) =>
						iss.input === undefined
							? undefined
							: `"${String(iss.input)}" is not allowed; use one of: ${statusValues.join(', ')}`
				}),
				translations: translations(['name', 'description', 'unit'])
			})
		)
		.min(1, { error: 'is empty; a region needs at least one indicator' })
});

const targetsFileSchema = z.strictObject({
	sample: z.literal(true, {
		error: 'must be true: demo targets are made up and must be labelled as samples (write "sample: true" at the top of the file)'
	}),
	targets: z.array(
		z.strictObject({
			indicator: slug,
			value: z.number({
				error: (iss) => (iss.input === undefined ? undefined : `should be a number, but is ${describe(iss.input)}`)
			}),
			year,
			source: text()
		})
	)
});

type RegionFile = z.output<typeof regionFileSchema>;
type IndicatorEntry = z.output<typeof indicatorsFileSchema>['indicators'][number];

// ───────────────────────────── conversion ─────────────────────────────

function toSettings(r: RegionFile): RegionSettings {
	return {
		name: r.name,
		shortName: r.short_name,
		tagline: r.tagline,
		defaultLanguage: r.default_language,
		languages: r.languages,
		colors: { primary: r.colors.primary.toLowerCase(), primaryDark: r.colors.primary_dark.toLowerCase(), accent: r.colors.accent.toLowerCase() },
		baseYear: r.base_year,
		targetYear: r.target_year,
		sampleData: r.sample_data ?? true,
		directoryVerificationMonths: r.directory_verification_months ?? 12,
		about: r.about,
		contact: r.contact,
		contactEmail: r.contact_email,
		repositoryUrl: r.repository_url,
		translations: cleanTranslations(r.translations),
		regionGeocode: {
			code: r.region_geocode.code,
			name: r.region_geocode.name,
			kind: 'region',
			translations: cleanTranslations(r.region_geocode.translations)
		},
		searchSynonyms: Object.fromEntries(
			Object.entries(r.search_synonyms ?? {}).map(([lang, list]) => [
				lang,
				Object.fromEntries(Object.entries(list).map(([key, values]) => [key.trim().toLowerCase(), values.map((v) => v.trim()).filter(Boolean)]))
			])
		)
	};
}

function toGeography(g: RegionFile['geographies'][number]): Geography {
	return { code: g.code, name: g.name, kind: g.kind, translations: cleanTranslations(g.translations) };
}

function toIndicator(d: IndicatorEntry): IndicatorDef {
	const def: IndicatorDef = {
		slug: d.slug,
		area: d.area,
		name: d.name,
		description: d.description,
		unit: d.unit,
		direction: d.direction,
		source: { name: d.source.name, url: d.source.url },
		status2015: d.status_2015,
		translations: cleanTranslations(d.translations)
	};
	if (d.source_note !== undefined) def.sourceNote = d.source_note;
	return def;
}

/** Drops absent fields and renames snake_case keys to the camelCase of the TypeScript field. */
function cleanTranslations(input: Record<string, Record<string, string | undefined>> | undefined): Translations {
	const out: Translations = {};
	for (const [lang, fields] of Object.entries(input ?? {})) {
		const clean: Record<string, string> = {};
		for (const [key, value] of Object.entries(fields)) {
			if (value !== undefined) clean[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
		}
		out[lang] = clean;
	}
	return out;
}

// ───────────────────────────── cross-checks ─────────────────────────────

function checkRegion(file: LoadedYaml<RegionFile>, settings: RegionSettings, geographies: Geography[]): void {
	const langs = settings.languages;
	checkUnique(file, langs, (i) => ['languages', i], 'language');
	langs.forEach((code, i) => {
		if (!languageInfo(code)) {
			file.fail(['languages', i], `"${code}" has no interface translation in Sac2050; use some of ${LANGUAGE_CODES.join(', ')}`);
		}
	});
	if (!langs.includes(settings.defaultLanguage)) {
		file.fail(
			['default_language'],
			`"${settings.defaultLanguage}" is not in languages [${langs.join(', ')}]; add it to languages or pick one of them`
		);
	}
	if (settings.targetYear <= settings.baseYear) {
		file.fail(['target_year'], `${settings.targetYear} must be later than base_year ${settings.baseYear}`);
	}
	for (const key of ['primary', 'primary_dark'] as const) {
		const colour = file.value.colors[key];
		const ratio = contrastRatio(colour, '#ffffff');
		if (ratio < MIN_TEXT_CONTRAST) {
			file.fail(
				['colors', key],
				`${colour} gives only ${ratio.toFixed(2)}:1 contrast with white text; WCAG 2.2 AA needs at least ${MIN_TEXT_CONTRAST}:1, so choose a darker colour`
			);
		}
	}
	checkLanguages(file, settings.translations, ['translations'], settings);
	checkLanguages(file, settings.regionGeocode.translations, ['region_geocode', 'translations'], settings);
	checkUnique(file, geographies.map((g) => g.code), (i) => ['geographies', i, 'code'], 'geography code');
	geographies.forEach((g, i) => {
		if (g.code === settings.regionGeocode.code) {
			file.fail(['geographies', i, 'code'], `"${g.code}" is already the region_geocode; give the whole region and each place different codes`);
		}
		checkLanguages(file, g.translations, ['geographies', i, 'translations'], settings);
	});
}

function checkLanguages(file: LoadedYaml<unknown>, t: Translations, at: PathSeg[], settings: RegionSettings): void {
	for (const lang of Object.keys(t)) {
		if (lang === settings.defaultLanguage) {
			file.fail(
				[...at, lang],
				`"${lang}" is the default language; write that text in the main fields instead of under translations`
			);
		}
		if (!settings.languages.includes(lang)) {
			file.fail(
				[...at, lang],
				`language "${lang}" is not in the region's languages [${settings.languages.join(', ')}]; add it to languages in region.yml or fix the code`
			);
		}
	}
}

/** A goal or a tag places indicators in one area only. */
function checkAreaMapping(file: LoadedYaml<unknown>, areas: readonly AreaDef[]): void {
	const goalAt = new Map<number, PathSeg[]>();
	const tagAt = new Map<string, PathSeg[]>();
	areas.forEach((a, i) => {
		a.goals.forEach((goal, j) => {
			const first = goalAt.get(goal);
			if (first) file.fail(['areas', i, 'goals', j], `goal ${goal} is already mapped at ${formatPath(first)}; each goal belongs to one area, so remove it from one of them`);
			goalAt.set(goal, ['areas', i, 'goals', j]);
		});
		a.tags.forEach((tag, j) => {
			const first = tagAt.get(tag);
			if (first) file.fail(['areas', i, 'tags', j], `tag "${tag}" is already used at ${formatPath(first)}; each tag belongs to one area, so remove it from one of them`);
			tagAt.set(tag, ['areas', i, 'tags', j]);
		});
	});
}

function checkUnique(file: LoadedYaml<unknown>, values: string[], at: (i: number) => PathSeg[], what: string): void {
	const seen = new Map<string, number>();
	values.forEach((v, i) => {
		const first = seen.get(v);
		if (first !== undefined) {
			file.fail(at(i), `duplicate ${what} "${v}" (already used at ${formatPath(at(first))}); every ${what} must be unique`);
		}
		seen.set(v, i);
	});
}

// ───────────────────────────── demo data ─────────────────────────────

function readDemoSeries(root: string, indicatorSlugs: Set<string>, geoCodes: Set<string>, indicatorsDisplay: string): DemoSeries[] {
	const demoDir = path.join(root, 'demo');
	const names = readdirSync(demoDir)
		.filter((n) => n.toLowerCase().endsWith('.csv'))
		.sort();
	const series: DemoSeries[] = [];
	for (const name of names) {
		const relative = `demo/${name}`;
		const display = displayPath(path.join(demoDir, name));
		const indicator = name.slice(0, -'.csv'.length);
		if (!indicatorSlugs.has(indicator)) {
			throw new RegionPackError({
				file: display,
				problem: `no indicator has the slug "${indicator}"; name each demo file after an indicator slug in ${indicatorsDisplay} (e.g. unemployment.csv), or delete the file`
			});
		}
		const csvText = readText(path.join(demoDir, name), display);
		const columns = checkDemoCsv(csvText, display, geoCodes);
		series.push({ indicator, file: relative, csvText, columns });
	}
	return series;
}

interface CsvRecordWithInfo {
	record: string[];
	/** `lines`: the 1-based line the record ends on. */
	info: { lines: number };
}

/** Checks the Open SDG header, row widths and every GeoCode; returns the header columns. */
function checkDemoCsv(csvText: string, display: string, geoCodes: Set<string>): string[] {
	let records: CsvRecordWithInfo[];
	try {
		// With `info: true` each record comes back as { record, info } (the typings do not model it).
		records = parseCsv(csvText, { info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as CsvRecordWithInfo[];
	} catch (err) {
		if (err instanceof CsvError) {
			const line = (err as CsvError & { lines?: number }).lines;
			throw new RegionPackError({
				file: display,
				line,
				problem: `not readable as CSV (${err.message}); text containing commas or quotes must be in double quotes`
			});
		}
		throw err;
	}
	const header = records[0]?.record.map((c) => c.trim());
	const example = 'Year,GeoCode,Value (other columns, e.g. Race, go between Year and GeoCode)';
	if (!header) {
		throw new RegionPackError({ file: display, problem: `the file is empty; start it with the header row ${example}` });
	}
	if (header[0] !== 'Year' || header[header.length - 1] !== 'Value' || !header.includes('GeoCode')) {
		throw new RegionPackError({
			file: display,
			line: 1,
			problem: `the header "${header.join(',')}" is not in Open SDG format; it must start with Year, end with Value and include GeoCode: ${example}`
		});
	}
	const seen = new Set<string>();
	header.forEach((column, i) => {
		if (column === '') {
			throw new RegionPackError({ file: display, line: 1, problem: `column ${i + 1} of the header has no name; name it or remove the column` });
		}
		if (seen.has(column)) {
			throw new RegionPackError({ file: display, line: 1, problem: `the column "${column}" appears twice in the header; keep one` });
		}
		seen.add(column);
	});
	if (records.length < 2) {
		throw new RegionPackError({ file: display, problem: 'the file has a header but no data rows; add rows or delete the file' });
	}
	const geoIndex = header.indexOf('GeoCode');
	for (const { record, info } of records.slice(1)) {
		if (record.length !== header.length) {
			throw new RegionPackError({
				file: display,
				line: info.lines,
				problem: `this row has ${record.length} cells but the header has ${header.length} columns (${header.join(',')}); add or remove commas so they match`
			});
		}
		const code = (record[geoIndex] ?? '').trim();
		if (code !== '' && !geoCodes.has(code)) {
			throw new RegionPackError({
				file: display,
				line: info.lines,
				at: 'column GeoCode',
				problem: `unknown geography code "${code}"; leave it blank for the whole region or use one of the codes in region.yml: ${[...geoCodes].join(', ')}`
			});
		}
	}
	return header;
}

function readDemoTargets(root: string, indicatorSlugs: Set<string>, settings: RegionSettings, indicatorsDisplay: string): DemoTarget[] {
	const file = readYaml(root, 'demo/targets.yml', targetsFileSchema);
	const seen = new Map<string, number>();
	return file.value.targets.map((t, i) => {
		if (!indicatorSlugs.has(t.indicator)) {
			file.fail(['targets', i, 'indicator'], `no indicator has the slug "${t.indicator}"; use a slug from ${indicatorsDisplay}`);
		}
		if (t.year <= settings.baseYear) {
			file.fail(['targets', i, 'year'], `${t.year} is not after the base year ${settings.baseYear}; a target is for a future year such as ${settings.targetYear}`);
		}
		const key = `${t.indicator}@${t.year}`;
		const first = seen.get(key);
		if (first !== undefined) {
			file.fail(['targets', i], `a second target for ${t.indicator} in ${t.year} (the first is targets[${first}]); keep one`);
		}
		seen.set(key, i);
		return { indicator: t.indicator, value: t.value, year: t.year, source: t.source, sample: true };
	});
}

// ───────────────────────────── YAML reading with located errors ─────────────────────────────

type PathSeg = string | number;

interface LoadedYaml<T> {
	value: T;
	display: string;
	/** Throws a RegionPackError located at `at` inside this file. */
	fail(at: PathSeg[], problem: string): never;
}

function readYaml<S extends z.ZodType>(root: string, relative: string, schema: S): LoadedYaml<z.output<S>> {
	const absolute = path.join(root, relative);
	const display = displayPath(absolute);
	if (!isFile(absolute)) {
		throw new RegionPackError({
			file: display,
			problem: `file not found; every region pack needs ${relative} (copy it from the Sacramento pack in region/ and edit it)`
		});
	}
	const source = readText(absolute, display);
	const lineCounter = new LineCounter();
	const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
	const syntaxError = doc.errors[0];
	if (syntaxError) {
		const offset = syntaxError.pos[0];
		throw new RegionPackError({
			file: display,
			line: lineCounter.linePos(offset).line,
			problem: `YAML syntax error (${firstLine(syntaxError.message)}); check the indentation, colons and quotes on this line and the one before`
		});
	}
	const fail: (at: PathSeg[], problem: string) => never = (at, problem) => {
		throw new RegionPackError({ file: display, line: locate(doc.contents, at, lineCounter), at: formatPath(at), problem });
	};
	const data: unknown = doc.toJS({ maxAliasCount: 100 });
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new RegionPackError({
			file: display,
			problem: 'the file is empty or is not a set of "field: value" lines at the top level; compare it with the Sacramento pack'
		});
	}
	const result = schema.safeParse(data, { error: defaultIssueMessage, reportInput: true });
	if (!result.success) {
		const issues = result.error.issues;
		// A misspelt field also shows up as the correct field "missing"; report the misspelling.
		const first = issues[0];
		const issue =
			issues.find(
				(i) => i.code === 'unrecognized_keys' && first !== undefined && samePath(i.path, first.path.slice(0, -1))
			) ?? first;
		if (!issue) return fail([], 'is not valid');
		const issuePath = issue.path.filter((p): p is PathSeg => typeof p === 'string' || typeof p === 'number');
		// Point at the misspelt field itself rather than at the object holding it.
		if (issue.code === 'unrecognized_keys') issuePath.push(issue.keys[0] ?? '');
		return fail(issuePath, issue.message);
	}
	return { value: result.data as z.output<S>, display, fail };
}

/** Messages for issues the schema does not describe itself. */
function defaultIssueMessage(iss: z.core.$ZodRawIssue): string | undefined {
	const field = iss.path?.at(-1);
	const name = typeof field === 'string' ? `"${field}"` : 'this entry';
	switch (iss.code) {
		case 'invalid_type':
			if (iss.input === undefined) return `required field ${name} is missing; add it`;
			if (iss.input === null) return `${name} is empty; give it a value`;
			return `should be ${expectedText(iss.expected)}, but is ${describe(iss.input)}`;
		case 'unrecognized_keys':
			return `unknown field ${iss.keys.map((k) => `"${k}"`).join(', ')}; check the spelling or remove it`;
		case 'invalid_value':
			return `"${String(iss.input)}" is not allowed; use one of: ${iss.values.map(String).join(', ')}`;
		case 'too_small':
			return iss.origin === 'array' ? 'the list is empty; add at least one entry' : 'is too small';
		case 'invalid_key':
			// Only translation maps have checked keys.
			return `"${String(iss.input)}" is not a language code; use a code from languages in region.yml, e.g. es`;
		default:
			return undefined;
	}
}

function expectedText(expected: string): string {
	switch (expected) {
		case 'string':
			return 'text';
		case 'number':
			return 'a number';
		case 'array':
			return 'a list (lines starting with "- ")';
		case 'object':
		case 'record':
			return 'a group of "field: value" lines';
		default:
			return expected;
	}
}

/** The 1-based line of the deepest node along `at` that exists in the document. */
function locate(node: unknown, at: PathSeg[], lineCounter: LineCounter): number | undefined {
	let current = node;
	let line = lineOf(current, lineCounter);
	for (const seg of at) {
		let next: unknown;
		if (isMap(current)) {
			const pair = current.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
			if (!pair) break;
			next = lineOf(pair.value, lineCounter) === undefined ? pair.key : pair.value;
		} else if (isSeq(current) && typeof seg === 'number') {
			next = current.items[seg];
		}
		const nextLine = lineOf(next, lineCounter);
		if (nextLine === undefined) break;
		current = next;
		line = nextLine;
	}
	return line;
}

function lineOf(node: unknown, lineCounter: LineCounter): number | undefined {
	const range = (node as YamlNode | null | undefined)?.range;
	return range ? lineCounter.linePos(range[0]).line : undefined;
}

// ───────────────────────────── small helpers ─────────────────────────────

function readText(absolute: string, display: string): string {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(absolute));
	} catch (err) {
		if (err instanceof TypeError) {
			throw new RegionPackError({ file: display, problem: 'is not valid UTF-8 text; save it with UTF-8 encoding' });
		}
		throw err;
	}
	return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function samePath(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
	return a.length === b.length && a.every((seg, i) => seg === b[i]);
}

function formatPath(at: PathSeg[]): string {
	return at.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
}

function displayPath(absolute: string): string {
	const relative = path.relative(process.cwd(), absolute);
	return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : absolute;
}

function describe(value: unknown): string {
	if (value === null) return 'empty';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a group of fields';
	if (typeof value === 'string') return `the text "${value}"`;
	if (typeof value === 'number') return `the number ${value}`;
	if (typeof value === 'boolean') return `${value} (a yes/no value)`;
	return typeof value;
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
	} catch {
		return false;
	}
}

function relativeLuminance(hex: string): number {
	const n = Number.parseInt(hex.slice(1), 16);
	const channel = (c: number) => {
		const s = c / 255;
		return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

function isDirectory(p: string): boolean {
	try {
		return statSync(p).isDirectory();
	} catch {
		return false;
	}
}

function isFile(p: string): boolean {
	try {
		return statSync(p).isFile();
	} catch {
		return false;
	}
}

function firstLine(message: string): string {
	return message.split('\n')[0]?.trim() ?? message;
}

function oneLine(message: string): string {
	return message.replace(/\s*\n\s*/g, ' ').trim();
}

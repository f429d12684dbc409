/**
 * Generates an Open SDG data repository for the benchmarks: `data/indicator_<id>.csv` and
 * `meta/<id>.md` per indicator, deterministic for a given seed (no dependency, no clock).
 *
 *   node bench/generate-repository.ts <dir> --observations 1000000 --indicators 500 [--seed 2050] [--ids sdg|bench]
 *
 * Each data file has the columns `Year,Units,GeoCode,Sex,Age,Value` (every 7th indicator
 * also `COMMENT_OBS`, with commas and quotes in some comments). Rows are series × year:
 * the headline series (blank GeoCode, Sex and Age) first, then Sex / Age breakdowns for the
 * region and for each county; years 2000–2024. Every (series, year) pair is unique, the
 * headline always has a value (so the progress measure has something to compute), and about
 * 0.5% of the other rows have a blank Value. Units is one value per indicator, sometimes with
 * a comma ("Rate per 100,000 population"), so the CSV quoting path is exercised.
 *
 * The meta file carries Open SDG's keys: indicator_name, computation_units, reporting_status,
 * source_organisation_1 / source_url_1, auto_progress_calculation: true and
 * progress_calculation_options with a direction, base_year 2015 and, for two indicators in
 * three, a 2030 target (method 2; the third uses method 1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface GenerateOptions {
	indicators: number;
	observationsPerIndicator: number;
	seed?: number;
	/** Index of the first indicator (to generate a large repository in chunks); default 0. */
	firstIndex?: number;
	/** `sdg`: 1-1-1, 2-1-1, …; `bench`: bench-00001, …. Default `sdg`. */
	ids?: 'sdg' | 'bench';
}

export interface GeneratedRepository {
	dir: string;
	ids: string[];
	observations: number;
	/** Bytes written (data and meta files). */
	bytes: number;
}

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2024;
export const YEARS = LAST_YEAR - FIRST_YEAR + 1;

const SEXES = ['', 'Female', 'Male'];
const AGES = ['', '0-17', '18-24', '25-44', '45-64', '65+'];
/** Sacramento region counties first, then other California county FIPS codes. */
const GEOCODES = ['', ...['06067', '06061', '06113', '06017', '06101', '06115'], ...Array.from({ length: 52 }, (_, i) => `06${String(201 + 2 * i).padStart(3, '0')}`)];
const UNITS = ['Percent', 'Number', 'Rate per 100,000 population', 'Dollars', 'Index (2015 = 100)'];
const COMMENTS = ['Provisional', 'Provisional, subject to revision', 'Estimate ("modelled")', 'Break in series'];

/** Most observations one indicator can have: every series × every year. */
export const MAX_OBSERVATIONS_PER_INDICATOR = (GEOCODES.length * (SEXES.length * AGES.length - 1) + 1) * YEARS;

/** mulberry32: small, fast, good enough for test data. Returns floats in [0, 1). */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The id of the indicator at `index`: SDG-like (`1-1-1`, `2-1-1`, … `17-10-3`) or `bench-00001`. */
export function indicatorId(index: number, style: 'sdg' | 'bench' = 'sdg'): string {
	if (style === 'bench') return `bench-${String(index + 1).padStart(5, '0')}`;
	const goal = (index % 17) + 1;
	const rest = Math.floor(index / 17);
	return `${goal}-${(rest % 10) + 1}-${Math.floor(rest / 10) + 1}`;
}

/** Series in file order: headline, region breakdowns, then each county's breakdowns. */
function seriesList(count: number): Array<{ geo: string; sex: string; age: string }> {
	const list = [{ geo: '', sex: '', age: '' }];
	for (const geo of GEOCODES) {
		for (const sex of SEXES) {
			for (const age of AGES) {
				if (sex === '' && age === '') continue; // a county total would be a second headline row
				if (list.length >= count) return list;
				list.push({ geo, sex, age });
			}
		}
	}
	return list;
}

function csvCell(text: string): string {
	return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function round2(value: number): number {
	return Math.round(value * 100) / 100;
}

export interface IndicatorFiles {
	id: string;
	csv: string;
	meta: string;
	rows: number;
}

/** The two files of the indicator at `index` (same output for the same seed and index). */
export function generateIndicator(index: number, observations: number, seed: number, style: 'sdg' | 'bench' = 'sdg'): IndicatorFiles {
	if (observations > MAX_OBSERVATIONS_PER_INDICATOR) {
		throw new RangeError(`At most ${MAX_OBSERVATIONS_PER_INDICATOR} observations per indicator; use more indicators.`);
	}
	const id = indicatorId(index, style);
	const random = prng((seed * 1_000_003 + index * 7919) >>> 0);
	const unit = UNITS[index % UNITS.length]!;
	const withComments = index % 7 === 3;
	const positive = random() < 0.5;
	// Level around 10–1000, yearly trend of −4%…+4%.
	const level = 10 * Math.pow(100, random());
	const trend = (random() - 0.5) * 0.08;

	const header = ['Year', 'Units', 'GeoCode', 'Sex', 'Age', ...(withComments ? ['COMMENT_OBS'] : []), 'Value'];
	const lines: string[] = [header.join(',')];
	const unitCell = csvCell(unit);
	let rows = 0;
	let headline2015 = level;
	let headline2024 = level;
	for (const [s, series] of seriesList(Math.ceil(observations / YEARS)).entries()) {
		const factor = s === 0 ? 1 : 0.5 + random();
		const seriesTrend = trend + (s === 0 ? 0 : (random() - 0.5) * 0.02);
		for (let year = FIRST_YEAR; year <= LAST_YEAR && rows < observations; year++) {
			const noise = 1 + (random() - 0.5) * 0.04;
			const value = round2(level * factor * Math.pow(1 + seriesTrend, year - FIRST_YEAR) * noise);
			if (s === 0 && year === 2015) headline2015 = value;
			if (s === 0 && year === LAST_YEAR) headline2024 = value;
			const blank = s !== 0 && random() < 0.005;
			const cells = [String(year), unitCell, series.geo, series.sex, series.age];
			if (withComments) cells.push(random() < 0.05 ? csvCell(COMMENTS[Math.floor(random() * COMMENTS.length)]!) : '');
			cells.push(blank ? '' : String(value));
			lines.push(cells.join(','));
			rows++;
		}
	}

	// A target a bit beyond the 2015 → 2024 path in the indicator's good direction.
	const good = positive ? 1 : -1;
	const target = round2(headline2024 * (1 + good * (0.05 + random() * 0.2)));
	const option = [`  - direction: ${positive ? 'positive' : 'negative'}`, '    base_year: 2015'];
	if (index % 3 !== 2) option.push(`    target: ${target}`, '    target_year: 2030');
	const meta = [
		'---',
		`indicator_name: ${JSON.stringify(`Benchmark indicator ${id}`)}`,
		`indicator_sort_order: ${JSON.stringify(id)}`,
		'reporting_status: complete',
		'published: true',
		'graph_type: line',
		`computation_units: ${JSON.stringify(unit)}`,
		`national_indicator_description: ${JSON.stringify(`Generated data for benchmarks (seed ${seed}); 2015 headline ${headline2015}.`)}`,
		'source_active_1: true',
		'source_organisation_1: Sac2050 benchmark generator',
		"source_url_1: 'https://example.org/sac2050/bench'",
		'auto_progress_calculation: true',
		'progress_calculation_options:',
		...option,
		'---',
		'',
		'Generated for the Sac2050 benchmarks. Not real data.',
		''
	].join('\n');
	return { id, csv: lines.join('\n') + '\n', meta, rows };
}

/**
 * Writes `indicators` indicators of `observationsPerIndicator` rows each into `dir`
 * (creating `data/` and `meta/`; existing files of the same ids are overwritten).
 */
export function generateOpenSdgRepository(dir: string, options: GenerateOptions): GeneratedRepository {
	const seed = options.seed ?? 2050;
	const first = options.firstIndex ?? 0;
	fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'meta'), { recursive: true });
	// Repository settings as published repositories have them: column settings and translations
	// (applied to every cell and option before progress is measured).
	fs.writeFileSync(
		path.join(dir, 'config_data.yml'),
		[
			'languages: [en, es]',
			'indicator_options:',
			'  non_disaggregation_columns: [Year, Units, Series, Value, GeoCode, Observation status, Unit multiplier, Unit measure, UNIT_MEASURE, SERIES, COMMENT_TS, DATA_LAST_UPDATE]',
			'  observation_attributes: [COMMENT_OBS, COMMENT_OBS_0]',
			''
		].join('\n')
	);
	fs.mkdirSync(path.join(dir, 'translations', 'en'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'translations', 'en', 'Sex.yml'), 'Female: Women\nMale: Men\n');
	fs.writeFileSync(path.join(dir, 'translations', 'en', 'data.yml'), 'Percent: Per cent\nSex: Sex\nAge: Age group\n');
	const ids: string[] = [];
	let observations = 0;
	let bytes = 0;
	for (let index = first; index < first + options.indicators; index++) {
		const files = generateIndicator(index, options.observationsPerIndicator, seed, options.ids);
		fs.writeFileSync(path.join(dir, 'data', `indicator_${files.id}.csv`), files.csv);
		fs.writeFileSync(path.join(dir, 'meta', `${files.id}.md`), files.meta);
		ids.push(files.id);
		observations += files.rows;
		bytes += Buffer.byteLength(files.csv) + Buffer.byteLength(files.meta);
	}
	return { dir, ids, observations, bytes };
}

function main(): void {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			observations: { type: 'string', default: '1000000' },
			indicators: { type: 'string', default: '500' },
			seed: { type: 'string', default: '2050' },
			ids: { type: 'string', default: 'sdg' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	const dir = positionals[0];
	if (values.help || !dir) {
		process.stdout.write(
			'Usage: node bench/generate-repository.ts <dir> [--observations 1000000] [--indicators 500] [--seed 2050] [--ids sdg|bench]\n' +
				'Writes an Open SDG data repository (data/indicator_<id>.csv, meta/<id>.md) of generated, deterministic data.\n'
		);
		process.exit(values.help ? 0 : 1);
	}
	const indicators = Number(values.indicators);
	const observations = Number(values.observations);
	const seed = Number(values.seed);
	if (!Number.isInteger(indicators) || indicators <= 0) throw new Error('--indicators must be a positive whole number.');
	if (!Number.isInteger(observations) || observations < indicators) throw new Error('--observations must be a whole number of at least --indicators.');
	if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number.');
	if (values.ids !== 'sdg' && values.ids !== 'bench') throw new Error('--ids must be sdg or bench.');
	if (observations % indicators !== 0) {
		process.stderr.write(`Note: ${observations} observations do not divide by ${indicators} indicators; writing ${Math.floor(observations / indicators)} per indicator.\n`);
	}
	const start = performance.now();
	const result = generateOpenSdgRepository(dir, { indicators, observationsPerIndicator: Math.floor(observations / indicators), seed, ids: values.ids });
	const seconds = (performance.now() - start) / 1000;
	process.stdout.write(
		`Wrote ${result.ids.length} indicators, ${result.observations.toLocaleString('en-US')} observations, ` +
			`${(result.bytes / 2 ** 20).toFixed(1)} MiB to ${path.resolve(dir)} in ${seconds.toFixed(2)} s.\n`
	);
}

if (import.meta.main) {
	try {
		main();
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n`);
		process.exit(1);
	}
}

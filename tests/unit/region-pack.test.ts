import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contrastRatio, loadRegionPack, localize, regionPackDir, RegionPackError } from '../../src/lib/region/pack.ts';
import type { RegionPack } from '../../src/lib/region/pack.ts';

const REAL_PACK = path.resolve(import.meta.dirname, '../../region');

const COUNTIES: Record<string, string> = {
	'06067': 'Sacramento County',
	'06061': 'Placer County',
	'06017': 'El Dorado County',
	'06113': 'Yolo County',
	'06101': 'Sutter County',
	'06115': 'Yuba County'
};

/** WCAG 2.x contrast ratio, computed here independently of the loader. */
function wcagContrast(hexA: string, hexB: string): number {
	const luminance = (hex: string) => {
		const [r, g, b] = [1, 3, 5].map((i) => {
			const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
			return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
		}) as [number, number, number];
		return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	};
	const [hi, lo] = [luminance(hexA), luminance(hexB)].sort((x, y) => y - x) as [number, number];
	return (hi + 0.05) / (lo + 0.05);
}

describe('the Sacramento region pack', () => {
	const pack: RegionPack = loadRegionPack(REAL_PACK);

	it('has the region settings', () => {
		expect(pack.settings.name).toBe('Sacramento region');
		expect(pack.settings.shortName).toBe('Sacramento');
		expect(pack.settings.defaultLanguage).toBe('en');
		expect(pack.settings.languages).toEqual(['en', 'es', 'zh', 'vi', 'hmn', 'ru']);
		expect(pack.settings.baseYear).toBe(2015);
		expect(pack.settings.targetYear).toBe(2050);
		expect(pack.settings.tagline).not.toBe('');
		expect(pack.settings.translations.es?.name).toBeTruthy();
		expect(pack.settings.translations.es?.tagline).toBeTruthy();
		expect(pack.settings.regionGeocode).toMatchObject({ code: 'SACOG', name: 'Sacramento region (six counties)', kind: 'region' });
	});

	it('has the six counties with their FIPS codes', () => {
		expect(pack.geographies).toHaveLength(6);
		expect(Object.fromEntries(pack.geographies.map((g) => [g.code, g.name]))).toEqual(COUNTIES);
		for (const g of pack.geographies) {
			expect(g.kind).toBe('county');
			expect(g.translations.es?.name).toMatch(/^Condado de /);
		}
	});

	it('has the six areas in prototype order, each with a Spanish version', () => {
		expect(pack.areas.map((a) => a.slug)).toEqual([
			'economy',
			'education',
			'health-families',
			'public-safety',
			'sustainability',
			'transportation-housing'
		]);
		for (const a of pack.areas) {
			expect(a.question).toMatch(/\?$/);
			expect(a.description.length).toBeGreaterThan(80);
			expect(a.translations.es?.name).toBeTruthy();
			expect(a.translations.es?.question).toMatch(/^¿/);
			expect(a.translations.es?.description).toBeTruthy();
		}
	});

	it('has all 50 prototype indicators, each fully described', () => {
		expect(pack.indicators).toHaveLength(50);
		expect(new Set(pack.indicators.map((d) => d.slug)).size).toBe(50);
		for (const d of pack.indicators) {
			expect(d.unit, d.slug).not.toBe('');
			expect(d.description.length, d.slug).toBeGreaterThan(40);
			expect(d.source.name, d.slug).not.toBe('');
			expect(d.source.url, d.slug).toMatch(/^https:\/\/[^\s]+$/);
			expect(['positive', 'negative', null], d.slug).toContain(d.direction);
			expect(['improving', 'steady', 'worsening', 'unreported'], d.slug).toContain(d.status2015);
			expect(d.translations.es?.name, d.slug).toBeTruthy();
			expect(d.translations.es?.description, d.slug).toBeTruthy();
		}
		const perArea = Object.groupBy(pack.indicators, (d) => d.area);
		expect(Object.fromEntries(Object.entries(perArea).map(([k, v]) => [k, v?.length]))).toEqual({
			economy: 12,
			education: 7,
			'health-families': 13,
			'public-safety': 6,
			sustainability: 7,
			'transportation-housing': 5
		});
	});

	it('uses brand colours with at least 4.5:1 contrast for white text', () => {
		const { primary, primaryDark, accent } = pack.settings.colors;
		for (const colour of [primary, primaryDark, accent]) expect(colour).toMatch(/^#[0-9a-f]{6}$/);
		expect(wcagContrast(primary, '#ffffff')).toBeGreaterThanOrEqual(4.5);
		expect(wcagContrast(primaryDark, '#ffffff')).toBeGreaterThanOrEqual(4.5);
		// The accent carries dark text only.
		expect(wcagContrast(accent, '#1b1b1b')).toBeGreaterThanOrEqual(4.5);
		expect(contrastRatio(primary, '#ffffff')).toBeCloseTo(wcagContrast(primary, '#ffffff'), 2);
	});

	it('localizes fields with a fallback to English', () => {
		const unemployment = pack.indicators.find((d) => d.slug === 'unemployment');
		expect(unemployment).toBeDefined();
		expect(localize(unemployment!, 'name', 'es')).toBe('Desempleo');
		expect(localize(unemployment!, 'name', 'zh')).toBe('Unemployment');
		expect(localize(pack.settings, 'shortName', 'es')).toBe('Sacramento');
		expect(localize(pack.settings, 'name', 'es')).toBe('Región de Sacramento');
	});

	it('has sample data for at least two indicators in every area', () => {
		const areaOf = new Map(pack.indicators.map((d) => [d.slug, d.area]));
		for (const area of pack.areas) {
			const samples = pack.demoSeries.filter((s) => areaOf.get(s.indicator) === area.slug);
			expect(samples.length, area.slug).toBeGreaterThanOrEqual(2);
		}
		for (const s of pack.demoSeries) {
			const indicator = pack.indicators.find((d) => d.slug === s.indicator);
			expect(indicator?.direction, `${s.indicator} needs a direction to show a trend`).not.toBeNull();
		}
	});

	it('keeps the sample series small, tidy and within 2010–2024', () => {
		const disaggregated = pack.demoSeries.filter((s) => s.columns.length > 3);
		expect(disaggregated.length).toBeGreaterThanOrEqual(2);
		expect(pack.demoSeries.some((s) => s.csvText.includes(',06067,'))).toBe(true);
		for (const s of pack.demoSeries) {
			const rows = s.csvText.trim().split('\n').slice(1);
			expect(rows.length, s.file).toBeLessThan(400);
			for (const row of rows) {
				const cells = row.split(',');
				const year = Number(cells[0]);
				expect(year, `${s.file}: ${row}`).toBeGreaterThanOrEqual(2010);
				expect(year, `${s.file}: ${row}`).toBeLessThanOrEqual(2024);
				expect(cells.at(-1), `${s.file}: ${row}`).toMatch(/^-?\d+(\.\d{1,2})?$/);
			}
			// Every file has headline rows: region-wide, no disaggregation (all middle columns blank).
			const isHeadline = (row: string) => row.split(',').slice(1, -1).every((cell) => cell === '');
			expect(rows.some(isHeadline), s.file).toBe(true);
		}
	});

	it('labels every 2050 target as a sample', () => {
		expect(pack.demoTargets.length).toBeGreaterThanOrEqual(pack.demoSeries.length);
		for (const t of pack.demoTargets) {
			expect(t.sample).toBe(true);
			expect(t.year).toBe(2050);
			expect(t.source).toMatch(/sample/i);
			expect(pack.demoSeries.map((s) => s.indicator)).toContain(t.indicator);
		}
	});

	it('finds the pack from SAC2050_REGION_DIR or ./region', () => {
		const saved = process.env.SAC2050_REGION_DIR;
		try {
			delete process.env.SAC2050_REGION_DIR;
			expect(regionPackDir()).toBe(path.resolve(process.cwd(), 'region'));
			process.env.SAC2050_REGION_DIR = '/srv/other-region';
			expect(regionPackDir()).toBe('/srv/other-region');
		} finally {
			if (saved === undefined) delete process.env.SAC2050_REGION_DIR;
			else process.env.SAC2050_REGION_DIR = saved;
		}
	});
});

describe('broken region packs', () => {
	const made: string[] = [];
	afterAll(() => {
		for (const dir of made) rmSync(dir, { recursive: true, force: true });
	});

	/** A copy of the real pack in a temp folder, changed by `edit`. */
	function brokenPack(edit: (dir: string) => void): string {
		const dir = mkdtempSync(path.join(tmpdir(), 'sac2050-region-'));
		made.push(dir);
		cpSync(REAL_PACK, dir, { recursive: true });
		edit(dir);
		return dir;
	}

	function replaceIn(dir: string, file: string, from: string, to: string): void {
		const full = path.join(dir, file);
		const text = readFileSync(full, 'utf8');
		if (!text.includes(from)) throw new Error(`test setup: "${from}" not found in ${file}`);
		writeFileSync(full, text.replace(from, to));
	}

	function loadError(dir: string): RegionPackError {
		try {
			loadRegionPack(dir);
		} catch (err) {
			expect(err).toBeInstanceOf(RegionPackError);
			const e = err as RegionPackError;
			expect(e.message).not.toContain('\n');
			return e;
		}
		throw new Error('expected the pack to be rejected');
	}

	it('reads the search synonyms per language, and rejects one that is not a list', () => {
		const synonyms = loadRegionPack(REAL_PACK).settings.searchSynonyms;
		expect(synonyms.en?.jobs).toEqual(expect.arrayContaining(['unemployment', 'employment']));
		expect(synonyms.en?.['housing cost']).toEqual(expect.arrayContaining(['housing prices', 'rent']));
		const dir = brokenPack((d) => replaceIn(d, 'region.yml', 'rent: [housing prices]', 'rent: housing prices'));
		const err = loadError(dir);
		expect(err.at).toBe('search_synonyms.en.rent');
		expect(err.message).toContain('should be a list of words or phrases');
	});

	it('reads the contact address and repository, and rejects ones that are not', () => {
		const settings = loadRegionPack(REAL_PACK).settings;
		expect(settings.contactEmail).toBe('contact@sac2050.org');
		expect(settings.repositoryUrl).toMatch(/^https:\/\//);
		const email = loadError(brokenPack((d) => replaceIn(d, 'region.yml', 'contact_email: contact@sac2050.org', 'contact_email: contact at sac2050')));
		expect(email.at).toBe('contact_email');
		expect(email.message).toContain('is not an e-mail address');
		const missing = loadError(brokenPack((d) => replaceIn(d, 'region.yml', 'contact_email: contact@sac2050.org', '')));
		expect(missing.message).toContain('contact_email');
		const url = loadError(brokenPack((d) => replaceIn(d, 'region.yml', 'repository_url: https://', 'repository_url: ftp://')));
		expect(url.at).toBe('repository_url');
	});

	it('rejects an indicator in an unknown area', () => {
		const dir = brokenPack((d) => replaceIn(d, 'indicators.yml', 'area: economy', 'area: economi'));
		const err = loadError(dir);
		expect(err.message).toContain(path.join(dir, 'indicators.yml'));
		expect(err.at).toBe('indicators[0].area');
		expect(err.message).toContain('indicators[0].area');
		expect(err.message).toMatch(/line \d+/);
		expect(err.message).toContain('unknown area "economi"');
		expect(err.message).toContain('economy, education');
	});

	it('reads the sample-data switch, and rejects one that is not true or false', () => {
		expect(loadRegionPack(REAL_PACK).settings.sampleData).toBe(true);
		const off = brokenPack((d) => replaceIn(d, 'region.yml', 'sample_data: true', 'sample_data: false'));
		expect(loadRegionPack(off).settings.sampleData).toBe(false);
		const err = loadError(brokenPack((d) => replaceIn(d, 'region.yml', 'sample_data: true', 'sample_data: maybe')));
		expect(err.at).toBe('sample_data');
		expect(err.message).toContain('must be true or false');
	});

	it('rejects a duplicate indicator slug', () => {
		const dir = brokenPack((d) => replaceIn(d, 'indicators.yml', '- slug: average-annual-pay-infl-adj', '- slug: average-annual-pay'));
		const err = loadError(dir);
		expect(err.message).toContain('indicators.yml');
		expect(err.at).toBe('indicators[1].slug');
		expect(err.message).toContain('duplicate indicator slug "average-annual-pay"');
	});

	it('rejects a slug that is not lowercase-with-hyphens', () => {
		const dir = brokenPack((d) => replaceIn(d, 'areas.yml', 'slug: public-safety', 'slug: Public Safety'));
		const err = loadError(dir);
		expect(err.message).toContain('areas.yml');
		expect(err.at).toBe('areas[3].slug');
		expect(err.message).toContain('lowercase');
	});

	it('rejects a goal mapped to two areas, and a goal outside 1–17, naming file and key', () => {
		let err = loadError(brokenPack((d) => replaceIn(d, 'areas.yml', 'goals: [4]', 'goals: [4, 8]')));
		expect(err.message).toContain('areas.yml');
		expect(err.at).toBe('areas[1].goals[1]');
		expect(err.message).toContain('goal 8 is already mapped at areas[0].goals[2]');
		err = loadError(brokenPack((d) => replaceIn(d, 'areas.yml', 'goals: [4]', 'goals: [18]')));
		expect(err.at).toBe('areas[1].goals[0]');
		expect(err.message).toContain('from 1 to 17');
	});

	it('rejects a bad direction', () => {
		const dir = brokenPack((d) => replaceIn(d, 'indicators.yml', 'direction: positive', 'direction: up'));
		const err = loadError(dir);
		expect(err.message).toContain('indicators.yml');
		expect(err.at).toBe('indicators[0].direction');
		expect(err.message).toContain('"up" is not allowed');
		expect(err.message).toContain('positive (higher is better)');
	});

	it('rejects an indicator without a direction', () => {
		const dir = brokenPack((d) => replaceIn(d, 'indicators.yml', '    direction: positive\n', ''));
		const err = loadError(dir);
		expect(err.at).toBe('indicators[0].direction');
		expect(err.message).toContain('is missing');
	});

	it('names a misspelt field', () => {
		const dir = brokenPack((d) => replaceIn(d, 'indicators.yml', '    description: >-', '    descripton: >-'));
		const err = loadError(dir);
		expect(err.at).toBe('indicators[0].descripton');
		expect(err.message).toContain('unknown field "descripton"');
	});

	it('rejects an unknown GeoCode in a demo CSV, naming the line', () => {
		const dir = brokenPack((d) => {
			const file = path.join(d, 'demo', 'unemployment.csv');
			writeFileSync(file, readFileSync(file, 'utf8') + '2024,06999,5.1\n');
		});
		const lines = readFileSync(path.join(REAL_PACK, 'demo', 'unemployment.csv'), 'utf8').trim().split('\n').length;
		const err = loadError(dir);
		expect(err.message).toContain(path.join(dir, 'demo', 'unemployment.csv'));
		expect(err.line).toBe(lines + 1);
		expect(err.message).toContain(`line ${lines + 1}`);
		expect(err.message).toContain('GeoCode');
		expect(err.message).toContain('"06999"');
	});

	it('rejects a demo CSV that is not in Open SDG format', () => {
		const dir = brokenPack((d) => replaceIn(d, 'demo/energy.csv', 'Year,GeoCode,Value', 'year,value'));
		const err = loadError(dir);
		expect(err.message).toContain('energy.csv');
		expect(err.line).toBe(1);
		expect(err.message).toContain('Year,GeoCode,Value');
	});

	it('rejects a demo CSV for an unknown indicator', () => {
		const dir = brokenPack((d) => writeFileSync(path.join(d, 'demo', 'bike-lanes.csv'), 'Year,GeoCode,Value\n2020,,1\n'));
		const err = loadError(dir);
		expect(err.message).toContain('bike-lanes.csv');
		expect(err.message).toContain('no indicator has the slug "bike-lanes"');
	});

	it('rejects a target for an unknown indicator, and unlabelled targets', () => {
		const unknown = loadError(brokenPack((d) => replaceIn(d, 'demo/targets.yml', 'indicator: energy', 'indicator: enrgy')));
		expect(unknown.message).toContain('targets.yml');
		expect(unknown.at).toMatch(/^targets\[\d+\]\.indicator$/);
		expect(unknown.message).toContain('"enrgy"');

		const unlabelled = loadError(brokenPack((d) => replaceIn(d, 'demo/targets.yml', '\nsample: true', '\nsample: false')));
		expect(unlabelled.at).toBe('sample');
		expect(unlabelled.message).toContain('labelled as samples');
	});

	it('rejects translations into a language the region does not offer', () => {
		const dir = brokenPack((d) => replaceIn(d, 'areas.yml', '    translations:\n      es:', '    translations:\n      fr:\n        name: L’économie\n      es:'));
		const err = loadError(dir);
		expect(err.message).toContain('areas.yml');
		expect(err.at).toBe('areas[0].translations.fr');
		expect(err.message).toContain('not in the region\'s languages [en, es, zh, vi, hmn, ru]');
	});

	it('refuses a language Sac2050 has no interface translation for', () => {
		const err = loadError(brokenPack((d) => replaceIn(d, 'region.yml', 'languages: [en, es, zh, vi, hmn, ru]', 'languages: [en, es, fr]')));
		expect(err.at).toBe('languages[2]');
		expect(err.message).toContain('"fr" has no interface translation in Sac2050; use some of en, es, zh, vi, hmn, ru');
	});

	it('explains an unquoted FIPS code', () => {
		const dir = brokenPack((d) => replaceIn(d, 'region.yml', 'code: "06061"', 'code: 06061'));
		const err = loadError(dir);
		expect(err.message).toContain('region.yml');
		expect(err.at).toBe('geographies[1].code');
		expect(err.message).toContain('quotes');
	});

	it('rejects a primary colour too light for white text', () => {
		const dir = brokenPack((d) => replaceIn(d, 'region.yml', 'primary: "#1f6f5c"', 'primary: "#7fbf7f"'));
		const err = loadError(dir);
		expect(err.at).toBe('colors.primary');
		expect(err.message).toContain('4.5:1');
	});

	it('reports YAML syntax errors with a line number', () => {
		const dir = brokenPack((d) => replaceIn(d, 'areas.yml', '    name: The Economy\n', '    name: The Economy\n   question: "unclosed\n'));
		const err = loadError(dir);
		expect(err.message).toContain('areas.yml');
		expect(err.line).toBeGreaterThan(1);
		expect(err.message).toContain('YAML syntax error');
	});

	it('reports a missing file', () => {
		const dir = brokenPack((d) => unlinkSync(path.join(d, 'areas.yml')));
		const err = loadError(dir);
		expect(err.message).toContain('areas.yml');
		expect(err.message).toContain('file not found');
	});
});

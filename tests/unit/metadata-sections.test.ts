import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { hasMetadataSections, metadataSections, plainText } from '#lib/indicators/metadata-sections.ts';
import { parseMetaMarkdown } from '#lib/indicators/opensdg/metadata.ts';

const LA_META = path.resolve(import.meta.dirname, '../../../shared/datasets/open-sdg-la-sample/meta');

describe('Open SDG metadata in sections', () => {
	it('reads goal, target, sources and coverage of a real LA indicator', () => {
		const file = path.join(LA_META, '8-5-1.md');
		const parsed = parseMetaMarkdown(fs.readFileSync(file, 'utf8'), 'meta/8-5-1.md');
		const sections = metadataSections({ meta: { format: 'md', raw: parsed.metadata.raw } });
		expect(sections.goal).toBe('8');
		expect(sections.targetId).toBe('8.5');
		expect(sections.target).toMatch(/^8\.5 By 2030, achieve full and productive employment/);
		expect(sections.globalMetadata).toEqual({ url: 'https://unstats.un.org/sdgs/metadata/files/Metadata-08-05-01.pdf', text: expect.stringContaining('United Nations') });
		expect(sections.custodian).toBe('International Labour Organization (ILO)');
		expect(sections.coverage).toBe('City of Los Angeles');
		// Sources switched off (source_active_n: false) are left out; "Link to source" alone is no link.
		expect(sections.sources.map((s) => s.organisation)).toEqual(['United States Census Bureau']);
		expect(sections.sources[0]?.coverage).toBe('City of Los Angeles');
		expect(hasMetadataSections(sections)).toBe(true);
	});

	it('keeps only http(s) links, drops markup, lets the config override the meta file', () => {
		const sections = metadataSections({
			meta: {
				format: 'md',
				raw: {
					indicator_definition: '<p>Share of <b>people</b> in [work](https://example.org/x).</p>',
					source_organisation_1: 'Agency',
					source_url_1: 'javascript:alert(1)',
					source_release_date_1: '2024-03-01',
					source_next_release_2: 'soon',
					source_url_2: 'https://data.example.org/table',
					comments_limitations: 'Small samples.',
					related_indicators: ['1-2-1', '8-5-2'],
					national_geographical_coverage: 'City'
				}
			},
			config: { raw: { national_geographical_coverage: 'County' } }
		});
		expect(sections.definition).toBe('Share of people in work.');
		expect(sections.sources).toEqual([
			{ organisation: 'Agency', releaseDate: '2024-03-01' },
			{ link: { url: 'https://data.example.org/table', text: 'https://data.example.org/table' }, nextRelease: 'soon' }
		]);
		expect(sections.limitations).toBe('Small samples.');
		expect(sections.related).toEqual(['1-2-1', '8-5-2']);
		expect(sections.coverage).toBe('County');
		expect(hasMetadataSections(metadataSections({}))).toBe(false);
		expect(plainText('  ')).toBeUndefined();
		expect(plainText(2024)).toBe('2024');
	});
});

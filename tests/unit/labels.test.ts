import { describe, expect, it } from 'vitest';
import { describeSelection, dimensionText, dimensionValueText } from '#lib/indicators/ui/labels.ts';

const places = { '06067': 'Sacramento County', '06113': 'Yolo County' };

describe('what a reader sees of a view', () => {
	it('names places, and leaves other dimensions as the data writes them', () => {
		expect(dimensionText('GeoCode')).toBe('Place');
		expect(dimensionText('Sex')).toBe('Sex');
		expect(dimensionValueText('GeoCode', '06113', places)).toBe('Yolo County');
		expect(dimensionValueText('GeoCode', '06999', places)).toBe('06999');
		expect(dimensionValueText('Sex', '06113', places)).toBe('06113');
	});

	it('describes a selection, or the headline when nothing is chosen', () => {
		expect(describeSelection({ Sex: 'Female', GeoCode: '06067' }, 'Headline', places)).toBe('Sex: Female, Place: Sacramento County');
		expect(describeSelection({ Sex: '', GeoCode: '' }, 'Headline', places)).toBe('Headline');
		expect(describeSelection({ GeoCode: '06067' }, 'Headline')).toBe('Place: 06067');
	});
});

import { m } from '#lib/paraglide/messages.js';
import { dimensionText } from '../ui/labels.ts';
import { MAX_COMPARED } from '../view.ts';
import type { IndicatorPageData } from './indicator-page.ts';
import { comparedLabel, FOOTNOTE_ATTRIBUTES, observationNote, viewDescription } from './indicator-visuals.ts';
import type { StoredObservation } from './store.ts';

export interface TableRow {
	period: string;
	/** One value per column (null: no value). */
	values: Array<number | null>;
	/** Footnotes (numbered as on the chart) and other notes on the row's observations. */
	notes: string;
}

export interface IndicatorPageView {
	/** How the view is named in headings: "Sex: Female", "compared by Sex". */
	shown: string;
	/** Dimensions a reader can compare (two or more values). */
	compareOptions: Array<{ name: string; label: string }>;
	compare:
		| {
				dimension: string;
				label: string;
				choices: Array<{ value: string; label: string; checked: boolean }>;
				omitted: string[];
				max: number;
		  }
		| undefined;
	/** Column headings of the values: one (the view) or one per compared series. */
	columns: string[];
	rows: TableRow[];
	notes: Array<{ number: number; text: string }>;
}

/** The page's derived view: compare choices, and the data table with the chart's footnote numbers. */
export function indicatorPageView(page: IndicatorPageData, notes: Array<{ number: number; text: string }>): IndicatorPageView {
	const numberOf = new Map(notes.map((n) => [n.text, n.number]));
	const noteText = (o: StoredObservation, prefix = '') => {
		const parts: string[] = [];
		const footnote = observationNote(o);
		if (footnote) parts.push(`${prefix}[${numberOf.get(footnote) ?? '·'}] ${footnote}`);
		for (const [name, value] of Object.entries(o.attributes)) if (!FOOTNOTE_ATTRIBUTES.includes(name) && value.trim()) parts.push(`${prefix}${value}`);
		return parts.join('; ');
	};

	const comparison = page.comparison;
	const compareOptions = page.dimensions
		.filter((d) => d.values.length + (d.hasBlank ? 1 : 0) > 1)
		.map((d) => ({ name: d.name, label: dimensionText(d.name) }));
	if (comparison && !compareOptions.some((o) => o.name === comparison.dimension)) {
		compareOptions.push({ name: comparison.dimension, label: dimensionText(comparison.dimension) });
	}

	let columns: string[];
	let rows: TableRow[];
	if (comparison) {
		const labels = comparison.series.map((s) => comparedLabel(comparison.dimension, s.value, page.placeNames));
		columns = labels;
		const periods = new Map<string, number>();
		for (const s of comparison.series) for (const o of s.observations) periods.set(o.period, o.year);
		rows = [...periods]
			.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
			.map(([period]) => {
				const cells = comparison.series.map((s) => s.observations.find((o) => o.period === period));
				return {
					period,
					values: cells.map((o) => o?.value ?? null),
					notes: cells
						.map((o, i) => (o ? noteText(o, `${labels[i]}: `) : ''))
						.filter(Boolean)
						.join('; ')
				};
			});
	} else {
		columns = [page.indicator.unit ? m.ind_table_value_unit({ unit: page.indicator.unit }) : m.indicator_value()];
		rows = page.observations.map((o) => ({ period: o.period, values: [o.value], notes: noteText(o) }));
	}

	return {
		shown: viewDescription(page),
		compareOptions,
		compare: comparison
			? {
					dimension: comparison.dimension,
					label: dimensionText(comparison.dimension),
					choices: comparison.choices.map((value) => ({
						value,
						label: comparedLabel(comparison.dimension, value, page.placeNames),
						checked: comparison.series.some((s) => s.value === value)
					})),
					omitted: comparison.omitted.map((v) => comparedLabel(comparison.dimension, v, page.placeNames)),
					max: MAX_COMPARED
				}
			: undefined,
		columns,
		rows,
		notes
	};
}

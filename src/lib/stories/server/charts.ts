/**
 * Indicator charts embedded in stories (`{{chart <indicator id>}}`): the indicator's headline
 * values as they were when the story was published beside today's, drawn by the indicators'
 * own chart code (src/lib/indicators/chart.ts) on the server, with a table of both.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { m } from '#lib/paraglide/messages.js';
import { readCurrentObservations } from '#lib/indicators/server/store.ts';
import { selectView } from '#lib/indicators/view.ts';
import { buildChart, CHART_WIDTHS, chartSvgMarkup, type ChartDrawing, type ChartInput } from '#lib/indicators/chart.ts';
import { chartSummaryText } from '#lib/indicators/server/indicator-visuals.ts';
import { chartIndicators } from '../model.ts';
import { comparePoints, type ChartPoint, type ComparedRow } from '../chart-compare.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The headline values of an indicator's current data, by year; undefined when it has none. */
export async function headlinePoints(db: Executor, indicatorId: string): Promise<ChartPoint[] | undefined> {
	const indicator = await db
		.selectFrom('indicator as i')
		.leftJoin('revision as r', 'r.id', 'i.current_revision_id')
		.select(['r.columns'])
		.where('i.id', '=', indicatorId)
		.executeTakeFirst();
	if (!indicator) return undefined;
	const rows = await readCurrentObservations(db, indicatorId);
	if (!rows.length) return undefined;
	return selectView(rows, fromJson<string[]>(indicator.columns, []), {})
		.observations.filter((o): o is typeof o & { value: number } => o.value !== null)
		.map((o) => ({ period: o.period, year: o.year, value: o.value }))
		.sort((a, b) => a.year - b.year || a.period.localeCompare(b.period));
}

export interface StoryChart {
	indicatorId: string;
	/** False when no indicator has this id: the page says the chart is not available. */
	exists: boolean;
	name: string;
	unit: string;
	isSample: boolean;
	/** When the "then" values were kept (the story's publication); null before it is published. */
	takenAt: string | null;
	/** True when today's values differ from those at publication. */
	changed: boolean;
	drawings: ChartDrawing[];
	/** The text equivalent: each period's value then and now. */
	rows: ComparedRow[];
}

/** The charts a story's body embeds, in order. */
export async function storyCharts(db: Db, storyId: string, body: string, locale: string): Promise<StoryChart[]> {
	const ids = chartIndicators(body);
	if (!ids.length) return [];
	const [indicators, snapshots] = await Promise.all([
		db.kysely.selectFrom('indicator').select(['id', 'name', 'unit', 'translations', 'is_sample']).where('id', 'in', ids).execute(),
		db.kysely.selectFrom('story_chart_snapshot').selectAll().where('story_id', '=', storyId).where('indicator_id', 'in', ids).execute()
	]);
	const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
	const charts: StoryChart[] = [];
	for (const id of ids) {
		const row = indicators.find((i) => i.id === id);
		if (!row) {
			charts.push({ indicatorId: id, exists: false, name: id, unit: '', isSample: false, takenAt: null, changed: false, drawings: [], rows: [] });
			continue;
		}
		const translations = fromJson<Translations>(row.translations, {});
		const name = localized(row.name, translations, locale, 'name');
		const unit = localized(row.unit, translations, locale, 'unit');
		const now = (await headlinePoints(db.kysely, id)) ?? [];
		const snapshot = snapshots.find((s) => s.indicator_id === id);
		const then = snapshot ? fromJson<ChartPoint[]>(snapshot.observations, []) : undefined;
		const compared = comparePoints(then, now);
		const thenLabel = snapshot ? m.stories_chart_then({ date: dateFormat.format(new Date(snapshot.taken_at)) }) : '';
		const input: ChartInput = {
			title: name,
			unit,
			type: 'line',
			series: compared.changed && then ? [{ label: m.stories_chart_now(), points: now }, { label: thenLabel, points: then }] : [{ label: m.stories_chart_now(), points: now }],
			isSample: fromFlag(row.is_sample)
		};
		const drawings = CHART_WIDTHS.map((width) => ({
			width,
			markup: chartSvgMarkup(
				buildChart(input, {
					width,
					drawTitle: false,
					locale,
					labels: { year: m.chart_year(), target: m.chart_target(), sample: m.sample_tag_long(), noData: m.indicator_no_data(), summary: chartSummaryText() }
				}),
				{ idPrefix: `story-chart-${id}-${width}` }
			)
		}));
		charts.push({ indicatorId: id, exists: true, name, unit, isSample: fromFlag(row.is_sample), takenAt: snapshot?.taken_at ?? null, changed: compared.changed, drawings, rows: compared.rows });
	}
	return charts;
}

/**
 * How an indicator's Open SDG metadata asks for its chart to be drawn. Pure.
 *
 * Open SDG stacks bars when the metadata says `graph_type: bar` with
 * `graph_stacked_disaggregation: <column>` (or `graph_type: stacked_bar`): the values of
 * that disaggregation are parts of one whole, so comparing them stacks them in each year's bar.
 */

export interface ChartSettings {
	type: 'line' | 'bar';
	/** The disaggregation whose values are stacked when compared; null when none is set. */
	stackedDisaggregation: string | null;
	/** `graph_type: stacked_bar`: whatever dimension is compared is stacked. */
	stackAny: boolean;
}

function field(raw: unknown, name: string): string | undefined {
	if (!raw || typeof raw !== 'object') return undefined;
	const value = (raw as Record<string, unknown>)[name];
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** `metadata` is the indicator row's stored Open SDG metadata (`{ meta: { raw }, config: { raw } }`, config on top). */
export function chartSettings(metadata: string, graphType: string): ChartSettings {
	let stored: { meta?: { raw?: unknown }; config?: { raw?: unknown } } = {};
	try {
		const parsed: unknown = JSON.parse(metadata);
		if (parsed && typeof parsed === 'object') stored = parsed as typeof stored;
	} catch {
		// unreadable metadata: the defaults
	}
	const read = (name: string) => field(stored.config?.raw, name) ?? field(stored.meta?.raw, name);
	const type = (read('graph_type') ?? graphType).toLowerCase();
	const stackAny = type === 'stacked_bar';
	return {
		type: type === 'bar' || stackAny ? 'bar' : 'line',
		stackedDisaggregation: type === 'bar' || stackAny ? (read('graph_stacked_disaggregation') ?? null) : null,
		stackAny
	};
}

/** Whether comparing `dimension` draws stacked bars. */
export function stacksWhenCompared(settings: ChartSettings, dimension: string): boolean {
	if (settings.type !== 'bar') return false;
	if (settings.stackAny) return true;
	return settings.stackedDisaggregation !== null && settings.stackedDisaggregation.toLowerCase() === dimension.toLowerCase();
}

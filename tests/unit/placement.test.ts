import { describe, expect, it } from 'vitest';
import { asGoal, goalOfIndicatorId, placementRules, resolveArea } from '#lib/indicators/placement.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { PROJECT_DIR } from '../support/databases.ts';
import path from 'node:path';
import fs from 'node:fs';

const rules = placementRules([
	{ slug: 'economy', goals: [1, 8], tags: ['jobs'] },
	{ slug: 'health', goals: [3], tags: ['health'] },
	{ slug: 'safety', goals: [], tags: [] }
]);

describe('goal → area', () => {
	it('reads the goal of an Open SDG id and of metadata values', () => {
		expect(goalOfIndicatorId('8-5-1')).toBe(8);
		expect(goalOfIndicatorId('16-b-1')).toBe(16);
		expect(goalOfIndicatorId('unemployment')).toBeNull();
		expect(goalOfIndicatorId('18-1-1')).toBeNull();
		expect(asGoal('08')).toBe(8);
		expect(asGoal(3)).toBe(3);
		expect(asGoal('Goal 17')).toBe(17);
		expect(asGoal('0')).toBeNull();
		expect(asGoal('eight')).toBeNull();
	});

	it('places by the metadata area first, then the goal (metadata, else the id), then a tag', () => {
		expect(resolveArea('8-5-1', [{ area: 'safety' }], rules)).toEqual({ area: 'safety', by: 'area', goal: 8 });
		expect(resolveArea('8-5-1', [], rules)).toEqual({ area: 'economy', by: 'goal', goal: 8 });
		expect(resolveArea('8-5-1', [{ sdg_goal: '3' }], rules)).toEqual({ area: 'health', by: 'goal', goal: 3 });
		expect(resolveArea('homicides', [{ tags: ['Health', 'other'] }], rules)).toEqual({ area: 'health', by: 'tag', goal: null });
		expect(resolveArea('homicides', [{ tags: 'jobs, wages' }], rules)).toMatchObject({ area: 'economy', by: 'tag' });
	});

	it('leaves an indicator unplaced when nothing matches, or the area named does not exist', () => {
		expect(resolveArea('16-1-1', [{ area: 'no-such-area' }], rules)).toEqual({ area: null, by: null, goal: 16 });
		expect(resolveArea('x', [{ tags: ['unknown'] }], rules)).toEqual({ area: null, by: null, goal: null });
	});

	it('the shipped region pack maps every goal 1–17, so every Los Angeles sample indicator finds an area', () => {
		const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));
		const packRules = placementRules(pack.areas);
		for (let goal = 1; goal <= 17; goal++) expect(packRules.goals.has(goal), `goal ${goal}`).toBe(true);
		const sample = path.join(PROJECT_DIR, '..', 'shared', 'datasets', 'open-sdg-la-sample', 'data');
		const ids = fs.readdirSync(sample).map((f) => f.replace(/^indicator_/, '').replace(/\.csv$/, ''));
		expect(ids.length).toBeGreaterThan(10);
		for (const id of ids) expect(resolveArea(id, [], packRules).area, id).not.toBeNull();
	});
});

/**
 * What the context directory adds to Sac2050 (docs ARCHITECTURE.md, "As the capabilities
 * multiply"): read this to find everything of the capability without searching the code.
 */
import { FILE_NAMES } from './exchange.ts';

export const directoryManifest = {
	name: 'directory',
	/** Migrations 006-directory and 009-directory-representatives; types in server/schema.ts. */
	tables: ['organization', 'program', 'program_organization', 'policy', 'funding', 'contribution_link', 'directory_change', 'organization_representative'],
	/** Public pages (src/routes), and the indicator page's section `#involved` (ui/IndicatorInvolved.svelte). */
	pages: ['/organizations', '/organizations/{id}', '/programs/{id}', '/policies/{id}', '/funding', '/indicators/{id}#involved', '/account/organizations'],
	/** The back office (src/routes/admin/directory), for editors, admins and an organization's representatives. */
	adminPages: ['/admin/directory', '/admin/directory/claims', '/admin/directory/organizations/{id}', '/admin/directory/programs/{id}', '/admin/directory/funding/{id}', '/admin/directory/funding/new'],
	/** Actions of the permission check (src/lib/server/auth/permissions.ts); representatives get view and edit for their own records. */
	permissions: ['directory.claim', 'directory.view', 'directory.edit', 'directory.decideClaims'],
	/** Sample data of the region pack: demo/directory/ (server/sample.ts), removed with `sample remove`. */
	sampleData: 'demo/directory/',
	/** src/cli/commands/directory.ts */
	cliCommands: ['import directory <dir> [--dry-run] [--date-order day-first|month-first]', 'export directory <dir>'],
	/** The exchange format, in and out (exchange.ts). */
	exchangeFiles: Object.values(FILE_NAMES),
	/** Under /api/v1, described in the OpenAPI document (src/lib/api/openapi.ts); served by src/lib/api/server/directory.ts. */
	apiPaths: [
		'/organizations',
		'/organizations/{id}',
		'/programs',
		'/programs/{id}',
		'/policies',
		'/policies/{id}',
		'/funding.json',
		'/funding.csv',
		'/indicators/{id}/involved'
	] as string[],
	/** Kinds of the search index (src/lib/search/server/index.ts), found at /organizations/{id}, /programs/{id}, /policies/{id}. */
	searchable: ['organization', 'program', 'policy'] as string[]
} as const;

/**
 * What the context directory adds to Sac2050 (docs ARCHITECTURE.md, "As the capabilities
 * multiply"): read this to find everything of the capability without searching the code.
 */
import { FILE_NAMES } from './exchange.ts';

export const directoryManifest = {
	name: 'directory',
	/** Migration 006-directory; types in server/schema.ts. */
	tables: ['organization', 'program', 'program_organization', 'policy', 'funding', 'contribution_link', 'directory_change'],
	/** src/cli/commands/directory.ts */
	cliCommands: ['import directory <dir> [--dry-run] [--date-order day-first|month-first]', 'export directory <dir>'],
	/** The exchange format, in and out (exchange.ts). */
	exchangeFiles: Object.values(FILE_NAMES),
	/** Not yet: API paths, searchable records and pages come with the public side of the directory. */
	apiPaths: [] as string[],
	searchable: [] as string[]
} as const;

import { Command } from 'commander';
import { registerDatabaseCommands } from './commands/database.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerIndicatorCommands } from './commands/indicators.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerDirectoryCommands } from './commands/directory.ts';
import { fail } from './run.ts';

const program = new Command()
	.name('sac2050')
	.description('Sac2050 command-line tool. Uses DATABASE_URL (default: SQLite in data/sac2050.db).')
	.showHelpAfterError('(run with --help for usage)')
	.configureOutput({ outputError: (text, write) => write(text) });

registerDatabaseCommands(program);
registerServeCommand(program);
registerIndicatorCommands(program);
registerUserCommands(program);
registerDirectoryCommands(program);

program.parseAsync(process.argv).catch(fail);

/**
 * The command list. Add a line per command; the module is loaded only when the command runs.
 */
import { registerCommand } from '../main.ts';

void registerCommand;

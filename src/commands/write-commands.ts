import type { Command } from 'commander';
import type { ContextFactory } from '../context.js';
import { registerApiCommand } from './api/register.js';
import { registerLinkCommands } from './associate/register.js';
import { registerDeleteCommand } from './delete/register.js';
import { registerUpdateCommand } from './update/register.js';

/** The commands that change rows, and `dvas api`, in the order `dvas --help` lists them (after create). */
export function registerWriteCommands(program: Command, contextFor: ContextFactory): void {
  registerUpdateCommand(program, contextFor);
  registerDeleteCommand(program, contextFor);
  registerLinkCommands(program, contextFor);
  registerApiCommand(program, contextFor);
}

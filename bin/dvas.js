#!/usr/bin/env node
// Starts the compiled CLI. main() returns the exit code; only this file sets it.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));

/**
 * The `loopguard` executable's body: runs `main` on this process's arguments and exits with its status.
 * @module
 */
import { main } from './main.js';

process.exitCode = await main(process.argv);

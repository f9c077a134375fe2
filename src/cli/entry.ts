// Process entry of the CLI (bin/medscale.js runs the built copy; tests run this one from source).
import { run } from './main.js';

process.exitCode = await run(process.argv.slice(2));

import { runWebHost } from './main'

void runWebHost(process.argv.slice(2))

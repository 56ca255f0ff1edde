// A strategy scan in its own process, for the SIGKILL resume test: node strategy-scan-child.js DB TARGET ATTACKER JUDGE
import { openStore } from '../../store/sqlite-store.js';
import { runScan } from '../scan.js';
import { strategyScanInput } from './strategy-scan-setup.js';

const [database, target, attacker, judge] = process.argv.slice(2);
const store = openStore(database);
await runScan(strategyScanInput(store, { target, attacker, judge }, { turns: 3 }));
store.close();

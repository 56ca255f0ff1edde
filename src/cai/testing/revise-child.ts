import { openStore } from '../../store/sqlite-store.js';
import { caiRevise } from '../cai-library.js';
import { CaiReviseSettingsSchema, resolveCaiSettings } from '../cai-settings.js';
import { ModelCallLayer } from '../../models/model-call-layer.js';

// A `cai revise` in a child process, for the test that kills it mid-run: argv[2] the database, argv[3] the settings as JSON.
const store = openStore(process.argv[2]!);
await caiRevise(resolveCaiSettings(CaiReviseSettingsSchema, JSON.parse(process.argv[3]!) as Record<string, unknown>), { store, layer: new ModelCallLayer({ cache: store }), probe: false });
store.close();

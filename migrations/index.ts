import { CreateEventStore1763800000000 } from './1763800000000-create-event-store.js';
import { CreateDiplomacy1763800100000 } from './1763800100000-create-diplomacy.js';
import { FoldCache1763800200000 } from './1763800200000-fold-cache.js';

/** Every migration, in order; TypeORM gets classes, not file globs (ESM-safe). */
export const migrations = [CreateEventStore1763800000000, CreateDiplomacy1763800100000, FoldCache1763800200000];

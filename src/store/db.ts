// The database handle type, alone: modules that only take an open database import it from here, so that nothing
// opened by open-database.ts (migrations, derived views, meta) has to import that module back.
import type Database from 'better-sqlite3';

export type Db = Database.Database;

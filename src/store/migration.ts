// The shape of one numbered schema migration (the list is migrations.ts; each migration-*.ts holds one).
// Its own module so that the migrations and their list do not import each other.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** It rewrites the data of an existing database, leaving the old pages free: VACUUM once it has committed. */
  readonly vacuum?: boolean;
}

// The shape through which Entra ID sign-in readers ask whether a sign-in id is new (store/signin-ledger.ts keeps
// the ids). Here, below both formats and store, so neither imports the other.

/** What a counted sign-in is kept with (for merge): its usage row's merge key, its second of the day, its outcome. */
export interface SignInRow {
  readonly rowKey: Buffer;
  readonly second: number;
  readonly failed: boolean;
}

/** Each Entra ID sign-in counts once: `claim` says whether its id is new (and takes it), seen, or in a pruned day. */
export interface SignInClaims {
  claim(day: string, id: string, row: () => SignInRow): 'new' | 'seen' | 'pruned';
  /** Ids taken since the last commit. */
  readonly size: number;
}

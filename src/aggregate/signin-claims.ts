// The shape through which Entra ID sign-in readers ask whether a sign-in id is new (store/signin-ledger.ts keeps
// the ids). Here, below both formats and store, so neither imports the other.

/** Each Entra ID sign-in counts once: `claim` says whether its id is new (and takes it), seen, or in a pruned day. */
export interface SignInClaims {
  claim(day: string, id: string): 'new' | 'seen' | 'pruned';
  /** Ids taken since the last commit. */
  readonly size: number;
}

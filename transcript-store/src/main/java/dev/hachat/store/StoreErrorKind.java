package dev.hachat.store;

/** Why a store operation failed. Callers branch on this, never on message text. */
public enum StoreErrorKind {
  /** No such session in the store. */
  NOT_FOUND(false),
  /** A session with that id already exists. */
  ALREADY_EXISTS(false),
  /** A compare-and-set on an ownership record or a lease lost: someone else holds that epoch. */
  CONFLICT(false),
  /** The writer's epoch has been superseded: it no longer owns the session. */
  FENCED(false),
  /** The store could not be reached or did not answer in time; retrying may succeed. */
  UNAVAILABLE(true),
  /** The request itself is invalid (a programming error in the caller). */
  INVALID(false),
  /**
   * The store refused the data itself (PostgreSQL SQLSTATE class 22 data exception or 23 integrity
   * violation, e.g. a NUL character in text): the same write fails every time, so it is never
   * retried as it is.
   */
  REJECTED(false);

  private final boolean retryable;

  StoreErrorKind(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}

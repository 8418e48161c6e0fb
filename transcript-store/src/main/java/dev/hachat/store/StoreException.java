package dev.hachat.store;

import java.util.Objects;

/**
 * A typed store failure. Expected failures (not found, conflict, fenced) carry no stack trace;
 * {@link StoreErrorKind#UNAVAILABLE} keeps its cause for operators.
 */
public final class StoreException extends RuntimeException {

  private final StoreErrorKind kind;
  private final transient Ownership current;
  private final transient Lease currentLease;

  private StoreException(
      StoreErrorKind kind, String message, Throwable cause, Ownership current, Lease lease) {
    super(message, cause, false, kind == StoreErrorKind.UNAVAILABLE);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.current = current;
    this.currentLease = lease;
  }

  public static StoreException of(StoreErrorKind kind, String message) {
    return new StoreException(kind, message, null, null, null);
  }

  public static StoreException unavailable(String message, Throwable cause) {
    return new StoreException(StoreErrorKind.UNAVAILABLE, message, cause, null, null);
  }

  /** The store refused the data itself ({@link StoreErrorKind#REJECTED}); keeps its cause. */
  public static StoreException rejected(String message, Throwable cause) {
    return new StoreException(StoreErrorKind.REJECTED, message, cause, null, null);
  }

  /** A lost compare-and-set, carrying the ownership that won. */
  public static StoreException conflict(Ownership current) {
    return new StoreException(
        StoreErrorKind.CONFLICT,
        "session "
            + current.sessionId()
            + " is owned by "
            + current.owner()
            + " at epoch "
            + current.epoch(),
        null,
        current,
        null);
  }

  /** A lost compare-and-set on a lease, carrying the lease as it is now. */
  public static StoreException conflict(Lease current) {
    return new StoreException(
        StoreErrorKind.CONFLICT,
        "lease "
            + current.name()
            + (current.held() ? " is held by " + current.holder() : " is held by nobody")
            + " at epoch "
            + current.epoch(),
        null,
        null,
        current);
  }

  public StoreErrorKind kind() {
    return kind;
  }

  /** For {@link StoreErrorKind#CONFLICT}: the ownership that won; otherwise {@code null}. */
  public Ownership current() {
    return current;
  }

  /**
   * For {@link StoreErrorKind#CONFLICT} on a lease: the lease as it is now; otherwise {@code null}.
   */
  public Lease currentLease() {
    return currentLease;
  }

  public static boolean is(Throwable t, StoreErrorKind kind) {
    return t instanceof StoreException se && se.kind == kind;
  }
}

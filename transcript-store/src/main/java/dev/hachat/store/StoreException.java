package dev.hachat.store;

import java.util.Objects;

/**
 * A typed store failure. Expected failures (not found, conflict, fenced) carry no stack trace;
 * {@link StoreErrorKind#UNAVAILABLE} keeps its cause for operators.
 */
public final class StoreException extends RuntimeException {

  private final StoreErrorKind kind;
  private final transient Ownership current;

  private StoreException(StoreErrorKind kind, String message, Throwable cause, Ownership current) {
    super(message, cause, false, kind == StoreErrorKind.UNAVAILABLE);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.current = current;
  }

  public static StoreException of(StoreErrorKind kind, String message) {
    return new StoreException(kind, message, null, null);
  }

  public static StoreException unavailable(String message, Throwable cause) {
    return new StoreException(StoreErrorKind.UNAVAILABLE, message, cause, null);
  }

  /** The store refused the data itself ({@link StoreErrorKind#REJECTED}); keeps its cause. */
  public static StoreException rejected(String message, Throwable cause) {
    return new StoreException(StoreErrorKind.REJECTED, message, cause, null);
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
        current);
  }

  public StoreErrorKind kind() {
    return kind;
  }

  /** For {@link StoreErrorKind#CONFLICT}: the ownership that won; otherwise {@code null}. */
  public Ownership current() {
    return current;
  }

  public static boolean is(Throwable t, StoreErrorKind kind) {
    return t instanceof StoreException se && se.kind == kind;
  }
}

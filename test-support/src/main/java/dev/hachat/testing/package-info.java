/**
 * Helpers for hachat's tests, in test scope only: {@link dev.hachat.testing.Await} (a Future's
 * result with a deadline), {@link dev.hachat.testing.ManualClock} (a wall clock and a monotonic
 * clock moved by hand), {@link dev.hachat.testing.PartialRequest} (a request whose body never
 * comes). Never used by main code.
 */
package dev.hachat.testing;

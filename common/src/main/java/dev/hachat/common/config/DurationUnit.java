package dev.hachat.common.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.temporal.ChronoUnit;

/**
 * Marks an {@code int} or {@code long} option field as a duration held in {@link #value()}: the
 * {@link ConfigLoader} then reads {@code 30s}, {@code 500ms}, {@code 48h}, {@code PT5M} or a bare
 * number in that unit (the syntax is in {@link Durations}), and prints the value with a unit. The
 * field and its getter keep their type and unit, so code using the option does not change.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface DurationUnit {
  /** The unit of the field, and of a bare number in a file or an override. */
  ChronoUnit value();
}

package dev.hachat.common.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.temporal.ChronoUnit;

/**
 * The {@link ConfigLoader}'s Jackson module for {@link DurationUnit} fields: reads a number in the
 * field's unit or a text {@link Durations#parse} accepts, writes {@link Durations#format}. Only the
 * loader's own mapper has it, so other JSON of the same classes is unchanged.
 */
final class DurationModule extends SimpleModule {
  DurationModule() {
    super("hachat-durations");
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    context.insertAnnotationIntrospector(new Introspector());
  }

  /** Finds the reader and the writer of a field marked {@link DurationUnit}. */
  private static final class Introspector extends NopAnnotationIntrospector {
    @Override
    public Object findDeserializer(Annotated a) {
      DurationUnit d = a.getAnnotation(DurationUnit.class);
      return d == null ? null : new Reader(d.value(), a.getRawType());
    }

    @Override
    public Object findSerializer(Annotated a) {
      DurationUnit d = a.getAnnotation(DurationUnit.class);
      return d == null ? null : new Writer(d.value());
    }
  }

  /** A number in the field's unit, or a duration text; into an {@code int} or {@code long}. */
  private static final class Reader extends StdDeserializer<Number> {
    private final ChronoUnit unit;
    private final boolean isInt;

    Reader(ChronoUnit unit, Class<?> type) {
      super(Number.class);
      Durations.symbol(unit);
      this.isInt = type == int.class || type == Integer.class;
      if (!isInt && type != long.class && type != Long.class) {
        throw new IllegalStateException("@DurationUnit on a field of type " + type.getName());
      }
      this.unit = unit;
    }

    @Override
    public Number deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      long v;
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          return ctxt.reportInputMismatch(this, "too large: '%s'", p.getText());
        }
        v = p.getLongValue();
        if (v < 0) {
          return ctxt.reportInputMismatch(this, "must not be negative: '%s'", p.getText());
        }
      } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        return ctxt.reportInputMismatch(
            this, "'%s' is not a whole number of %s", p.getText(), Durations.name(unit));
      } else if (t == JsonToken.VALUE_STRING) {
        try {
          v = Durations.parse(p.getText(), unit);
        } catch (IllegalArgumentException e) {
          return ctxt.reportInputMismatch(this, "%s", e.getMessage());
        }
      } else {
        return ctxt.reportInputMismatch(
            this, "a duration such as 30s or 500ms (a bare number is %s)", Durations.name(unit));
      }
      if (isInt && v > Integer.MAX_VALUE) {
        return ctxt.reportInputMismatch(
            this,
            "too large: '%s' (at most %s)",
            p.getText(),
            Durations.format(Integer.MAX_VALUE, unit));
      }
      if (isInt) {
        return Integer.valueOf((int) v); // not in a ?: with a Long, which would widen it
      }
      return Long.valueOf(v);
    }

    @Override
    public Number getNullValue(DeserializationContext ctxt) throws JsonMappingException {
      return ctxt.reportInputMismatch(
          this,
          "missing value; a duration such as 30s or 500ms (a bare number is %s)",
          Durations.name(unit));
    }
  }

  /** Writes the field's value with a unit. */
  private static final class Writer extends StdSerializer<Number> {
    private final ChronoUnit unit;

    Writer(ChronoUnit unit) {
      super(Number.class);
      this.unit = unit;
    }

    @Override
    public void serialize(Number value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(Durations.format(value.longValue(), unit));
    }
  }
}

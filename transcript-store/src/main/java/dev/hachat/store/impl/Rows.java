package dev.hachat.store.impl;

import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.Visibility;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Records as table rows, the same in Cassandra and PostgreSQL (the tables share their column
 * names): an {@link InstanceRecord} of the instance registry ({@code instances}, {@code
 * chat_instances}) and a transcript {@link Entry} ({@code entries}, {@code chat_entries}). A row is
 * read through the driver's own typed getters by column name, e.g. {@code row::getString}.
 */
public final class Rows {
  /** The instance registry's columns, in the order of {@link #instanceValues}. */
  public static final String INSTANCE_COLUMNS =
      "instance_id, webapi, esp, admin, state, sessions, session_limit, heartbeat, started_at,"
          + " version";

  private Rows() {}

  /** The record's column values, in the order of {@link #INSTANCE_COLUMNS}. */
  public static Object[] instanceValues(InstanceRecord r) {
    return new Object[] {
      r.instanceId(),
      r.webapi(),
      r.esp(),
      r.admin(),
      r.state(),
      r.sessions(),
      r.limit(),
      r.heartbeat(),
      r.startedAt(),
      r.version()
    };
  }

  /** An instance registry row. */
  public static InstanceRecord instance(
      Function<String, String> text, ToIntFunction<String> integer, ToLongFunction<String> bigint) {
    return new InstanceRecord(
        text.apply("instance_id"),
        text.apply("webapi"),
        text.apply("esp"),
        text.apply("admin"),
        text.apply("state"),
        integer.applyAsInt("sessions"),
        integer.applyAsInt("session_limit"),
        bigint.applyAsLong("heartbeat"),
        bigint.applyAsLong("started_at"),
        text.apply("version"));
  }

  /** A transcript entry row. */
  public static Entry entry(Function<String, String> text, ToLongFunction<String> bigint) {
    return new Entry(
        bigint.applyAsLong("idx"),
        EntryType.fromWireName(text.apply("type")),
        text.apply("participant_id"),
        text.apply("nickname"),
        ParticipantType.fromWireName(text.apply("participant_type")),
        text.apply("text"),
        bigint.applyAsLong("utc_time"),
        text.apply("client_message_id"),
        Visibility.fromWireName(text.apply("visibility")));
  }
}

package dev.hachat.store;

/**
 * The system notice an instance appends when it takes a chat over from another one: a restore after
 * an interruption (the owner died or lost its lease) or after a hand-over (evacuation, drain). Its
 * {@code clientMessageId} is a tag, as an agent's join carries its holder tag, so the contact
 * history counts restores by a field no wording change touches; {@link #is} also knows the notices
 * of versions before the tag by their fixed text.
 */
public final class RestoreNotice {
  /** The tag of a restore after an interruption. */
  public static final String TAG_INTERRUPTED = "restore:interrupted";

  /** The tag of a restore after a hand-over. */
  public static final String TAG_HANDED_OVER = "restore:handed-over";

  /** What participants read after an interruption. */
  public static final String TEXT_INTERRUPTED =
      "The chat moved to another server after an interruption; it continues here.";

  /** What participants read after a hand-over. */
  public static final String TEXT_HANDED_OVER =
      "The chat moved to another server; it continues here.";

  private RestoreNotice() {}

  /** The tag of the notice for a restore after a hand-over ({@code true}) or an interruption. */
  public static String tag(boolean handedOver) {
    return handedOver ? TAG_HANDED_OVER : TAG_INTERRUPTED;
  }

  /** The text of that notice. */
  public static String text(boolean handedOver) {
    return handedOver ? TEXT_HANDED_OVER : TEXT_INTERRUPTED;
  }

  /**
   * Whether {@code e} is a restore notice: a system {@link EntryType#NOTICE} with one of the tags,
   * or, without a tag (written by an earlier version), with one of the texts.
   */
  public static boolean is(Entry e) {
    if (e.type() != EntryType.NOTICE || e.participantType() != ParticipantType.SYSTEM) {
      return false;
    }
    String tag = e.clientMessageId();
    if (tag != null) {
      return tag.equals(TAG_INTERRUPTED) || tag.equals(TAG_HANDED_OVER);
    }
    return e.text().equals(TEXT_INTERRUPTED) || e.text().equals(TEXT_HANDED_OVER);
  }
}

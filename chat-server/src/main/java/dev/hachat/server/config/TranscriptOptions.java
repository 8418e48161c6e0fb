package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/** When and how transcripts are saved (Genesys option names). */
public class TranscriptOptions {
  /**
   * Default {@code transcript-auto-save}: 0 never save intermediate transcripts; 1 save every
   * message before acknowledging it (other entries ride along with the next save); 2 also await the
   * save of every other entry (joins, leaves, notices, typing). Genesys defaults to 0; we default
   * to 1 so a fresh install is highly available.
   */
  public static final int DEFAULT_TRANSCRIPT_AUTO_SAVE = 1;

  /** Default {@code transcript-resend-attempts}: retries of a failed save before giving up. */
  public static final int DEFAULT_TRANSCRIPT_RESEND_ATTEMPTS = 3;

  /** Default {@code transcript-resend-delay}: milliseconds between save retries. */
  public static final int DEFAULT_TRANSCRIPT_RESEND_DELAY = 200;

  /** Default {@code transcript-save-timeout}: milliseconds one save may take before it fails. */
  public static final int DEFAULT_TRANSCRIPT_SAVE_TIMEOUT = 5000;

  /** Default {@code transcript-save-on-error}: what a session does when saving keeps failing. */
  public static final SaveOnError DEFAULT_TRANSCRIPT_SAVE_ON_ERROR = SaveOnError.CONTINUE;

  /** Default {@code transcript-save-notices}: tell participants when saving is in trouble. */
  public static final boolean DEFAULT_TRANSCRIPT_SAVE_NOTICES = true;

  /** Policy when a save still fails after all resend attempts. */
  public enum SaveOnError {
    /** Close the session: nothing unsaved was acknowledged, so nothing acknowledged is lost. */
    CLOSE,
    /** Keep the session open; hold unsaved entries and keep retrying in the background. */
    CONTINUE
  }

  private int transcriptAutoSave = DEFAULT_TRANSCRIPT_AUTO_SAVE;
  private int transcriptResendAttempts = DEFAULT_TRANSCRIPT_RESEND_ATTEMPTS;

  @DurationUnit(ChronoUnit.MILLIS)
  private int transcriptResendDelay = DEFAULT_TRANSCRIPT_RESEND_DELAY;

  @DurationUnit(ChronoUnit.MILLIS)
  private int transcriptSaveTimeout = DEFAULT_TRANSCRIPT_SAVE_TIMEOUT;

  private SaveOnError transcriptSaveOnError = DEFAULT_TRANSCRIPT_SAVE_ON_ERROR;
  private boolean transcriptSaveNotices = DEFAULT_TRANSCRIPT_SAVE_NOTICES;

  public int getTranscriptAutoSave() {
    return transcriptAutoSave;
  }

  public TranscriptOptions setTranscriptAutoSave(int v) {
    this.transcriptAutoSave = v;
    return this;
  }

  public int getTranscriptResendAttempts() {
    return transcriptResendAttempts;
  }

  public TranscriptOptions setTranscriptResendAttempts(int v) {
    this.transcriptResendAttempts = v;
    return this;
  }

  public int getTranscriptResendDelay() {
    return transcriptResendDelay;
  }

  public TranscriptOptions setTranscriptResendDelay(int v) {
    this.transcriptResendDelay = v;
    return this;
  }

  public int getTranscriptSaveTimeout() {
    return transcriptSaveTimeout;
  }

  public TranscriptOptions setTranscriptSaveTimeout(int v) {
    this.transcriptSaveTimeout = v;
    return this;
  }

  public SaveOnError getTranscriptSaveOnError() {
    return transcriptSaveOnError;
  }

  public TranscriptOptions setTranscriptSaveOnError(SaveOnError v) {
    this.transcriptSaveOnError = v;
    return this;
  }

  public boolean isTranscriptSaveNotices() {
    return transcriptSaveNotices;
  }

  public TranscriptOptions setTranscriptSaveNotices(boolean v) {
    this.transcriptSaveNotices = v;
    return this;
  }

  void validate() {
    ConfigException.check(
        transcriptAutoSave >= 0 && transcriptAutoSave <= 2,
        "transcript.transcript-auto-save",
        "must be 0, 1 or 2");
    ConfigException.check(
        transcriptResendAttempts >= 0, "transcript.transcript-resend-attempts", "must be >= 0");
    ConfigException.check(
        transcriptResendDelay >= 1, "transcript.transcript-resend-delay", "must be >= 1 ms");
    ConfigException.check(
        transcriptSaveTimeout >= 1, "transcript.transcript-save-timeout", "must be >= 1 ms");
    ConfigException.check(
        transcriptSaveOnError != null, "transcript.transcript-save-on-error", "close or continue");
  }
}

package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a whole store, kept in its metadata document (format 3, extension of the store):
 * the shortest deletion window a destruction may be scheduled with unless it is forced.
 *
 * @param minimumDeletionWindow zero or positive; {@link #DEFAULT} holds 7 days
 */
record StoreSettings(Duration minimumDeletionWindow) {

  /** What a store without settings (every store before format 3) has. */
  static final StoreSettings DEFAULT = new StoreSettings(KeyPolicy.DEFAULT_DELETION_WINDOW);

  StoreSettings {
    Objects.requireNonNull(minimumDeletionWindow, "minimum deletion window");
    if (minimumDeletionWindow.isNegative()) {
      throw new IllegalArgumentException("the minimum deletion window must not be negative, got "
          + minimumDeletionWindow);
    }
  }
}

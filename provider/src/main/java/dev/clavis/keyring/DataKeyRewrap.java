package dev.clavis.keyring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link Keyring#rewrapDataKeysReport}: the rewrapped data keys and where their
 * plaintext was while it happened. On a token every data key is unwrapped into a sensitive
 * session object and wrapped under the new KEK there ({@code C_UnwrapKey} + {@code C_WrapKey}),
 * so it never exists in host memory; where the token lacks a mechanism for that, or the keyring's
 * KEKs live in host memory anyway (a file store), the keys passed through host memory and
 * {@link #notes()} says why.
 */
public final class DataKeyRewrap {

  private final List<byte[]> wrappedDataKeys;
  private final int inHostMemory;
  private final List<String> notes;

  /**
   * @param wrappedDataKeys the new wrapped forms, in the order of the input; not copied (the list is
   *     made unmodifiable)
   * @param inHostMemory how many of them had their plaintext in host memory during the rewrap
   * @param notes why those did, one sentence per cause; empty when {@code inHostMemory} is 0
   * @throws IllegalArgumentException if {@code inHostMemory} is out of range, or positive without a note
   */
  public DataKeyRewrap(List<byte[]> wrappedDataKeys, int inHostMemory, List<String> notes) {
    this.wrappedDataKeys = Collections.unmodifiableList(Objects.requireNonNull(wrappedDataKeys, "wrappedDataKeys"));
    this.notes = List.copyOf(notes);
    if (inHostMemory < 0 || inHostMemory > wrappedDataKeys.size()) {
      throw new IllegalArgumentException("inHostMemory must be 0.." + wrappedDataKeys.size() + ", got " + inHostMemory);
    }
    if (inHostMemory > 0 && this.notes.isEmpty()) {
      throw new IllegalArgumentException("data keys that passed through host memory need a note saying why");
    }
    this.inHostMemory = inHostMemory;
  }

  /** @return the new wrapped forms, in the order of the input */
  public List<byte[]> wrappedDataKeys() {
    return wrappedDataKeys;
  }

  /** @return how many data keys had their plaintext in host memory during the rewrap */
  public int inHostMemory() {
    return inHostMemory;
  }

  /** @return how many data keys never left the backend */
  public int keptInBackend() {
    return wrappedDataKeys.size() - inHostMemory;
  }

  /** @return why some data keys passed through host memory; empty if none did */
  public List<String> notes() {
    return notes;
  }

  @Override
  public String toString() {
    return "DataKeyRewrap{" + wrappedDataKeys.size() + " rewrapped, " + keptInBackend() + " kept in the backend"
        + (notes.isEmpty() ? "" : ", " + new ArrayList<>(notes)) + "}";
  }
}

package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parsed, decrypted content of one version of a store file (mutable while it is built). */
final class StoreImage {
  long generation;
  ProtectorParameters protector;
  byte[] masterIv;
  byte[] wrappedMaster;
  byte[] metadata = new byte[0];
  Map<KeyRef, Entry> index = new LinkedHashMap<>();

  /** @return a new image with the master-key protection (parameters, IV, wrapping) of {@code from} */
  static StoreImage protectedLike(StoreImage from) {
    StoreImage next = new StoreImage();
    next.protector = from.protector;
    next.masterIv = from.masterIv;
    next.wrappedMaster = from.wrappedMaster;
    return next;
  }

  /** Where one material record lives (encrypted, in {@code source} at {@code offset}), and what it is. */
  static final class Entry {
    final KeyAlgorithm algorithm;
    final boolean exportable;
    final byte[] source;
    final int offset;
    final int length;

    Entry(KeyAlgorithm algorithm, boolean exportable, byte[] source, int offset, int length) {
      this.algorithm = algorithm;
      this.exportable = exportable;
      this.source = source;
      this.offset = offset;
      this.length = length;
    }
  }
}

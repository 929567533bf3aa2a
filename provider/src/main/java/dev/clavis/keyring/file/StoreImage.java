package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** @return the records of this image, in index order, as they are */
  List<StoreFormat.Record> records() {
    List<StoreFormat.Record> records = new ArrayList<>(index.size());
    for (Map.Entry<KeyRef, Entry> e : index.entrySet()) {
      Entry x = e.getValue();
      records.add(new StoreFormat.Record(e.getKey(), x.algorithm, x.exportable, x.source, x.offset, x.length));
    }
    return records;
  }

  /**
   * Sets this image's index to {@code cur}'s with {@code s} applied (kept records first, in order,
   * then the added ones).
   *
   * @return the records to write, in index order
   */
  List<StoreFormat.Record> indexChanges(StoreImage cur, StagedChanges s) {
    List<StoreFormat.Record> records = new ArrayList<>(cur.index.size() + s.added.size());
    Map<KeyRef, Entry> next = new LinkedHashMap<>(Math.max(16, (cur.index.size() + s.added.size()) * 4 / 3 + 1));
    for (Map.Entry<KeyRef, Entry> e : cur.index.entrySet()) {
      if (s.erased.contains(e.getKey()) || s.added.containsKey(e.getKey())) {
        continue;
      }
      Entry x = e.getValue();
      records.add(new StoreFormat.Record(e.getKey(), x.algorithm, x.exportable, x.source, x.offset, x.length));
      next.put(e.getKey(), x);
    }
    for (Map.Entry<KeyRef, byte[]> e : s.added.entrySet()) {
      FileMaterial m = s.addedMaterial.get(e.getKey());
      byte[] rec = e.getValue();
      boolean exportable = exportableOf(m);
      records.add(new StoreFormat.Record(e.getKey(), m.algorithm(), exportable, rec, 0, rec.length));
      next.put(e.getKey(), new Entry(m.algorithm(), exportable, rec, 0, rec.length));
    }
    this.index = next;
    return records;
  }

  private static boolean exportableOf(FileMaterial m) {
    try {
      byte[] b = m.exportRaw();
      Arrays.fill(b, (byte) 0);
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  /** Points the index at the records inside {@code bytes}, laid out in index order from {@code materialStart}. */
  void pointInto(byte[] bytes, int materialStart) {
    Map<KeyRef, Entry> fresh = new LinkedHashMap<>();
    int off = 0;
    for (Map.Entry<KeyRef, Entry> e : index.entrySet()) {
      Entry x = e.getValue();
      fresh.put(e.getKey(), new Entry(x.algorithm, x.exportable, bytes, materialStart + off, x.length));
      off += x.length;
    }
    index = fresh;
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

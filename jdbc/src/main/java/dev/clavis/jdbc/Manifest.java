package dev.clavis.jdbc;

import dev.clavis.keyring.KeyRef;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The head row's list of every version row the keyring has: name, version, state and the SHA-256
 * of the row's MAC. The head MAC covers it, so a row deleted, added (copied from another keyring),
 * or replaced by an older copy of itself is told from the real one.
 *
 * <pre>u32 count | (name | u32 version | state | digest (32))*, sorted by name then version</pre>
 */
final class Manifest {

  /** What the head recorded of one row. */
  record Entry(String state, byte[] digest) {}

  private final TreeMap<String, TreeMap<Integer, Entry>> entries;

  private Manifest(TreeMap<String, TreeMap<Integer, Entry>> entries) {
    this.entries = entries;
  }

  static Manifest empty() {
    return new Manifest(new TreeMap<>());
  }

  /** @throws IllegalArgumentException if the bytes are not a manifest */
  static Manifest decode(byte[] b) {
    Bytes.Reader r = new Bytes.Reader(b);
    int n = r.u32();
    if (n < 0) {
      throw new IllegalArgumentException("negative count");
    }
    TreeMap<String, TreeMap<Integer, Entry>> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String name = r.label();
      int v = r.u32();
      String state = r.label();
      byte[] d = r.raw(32);
      m.computeIfAbsent(name, k -> new TreeMap<>()).put(v, new Entry(state, d));
    }
    if (!r.atEnd()) {
      throw new IllegalArgumentException("trailing bytes");
    }
    return new Manifest(m);
  }

  byte[] encode() {
    int n = size();
    Bytes.Writer w = new Bytes.Writer(4 + n * 64).u32(n);
    entries.forEach((name, vs) -> vs.forEach((v, e) -> w.label(name).u32(v).label(e.state()).raw(e.digest())));
    return w.done();
  }

  int size() {
    return entries.values().stream().mapToInt(Map::size).sum();
  }

  /** @return what the head recorded of {@code ref}, or null */
  Entry get(KeyRef ref) {
    TreeMap<Integer, Entry> vs = entries.get(ref.name());
    return vs == null ? null : vs.get(ref.version().orElse(-1));
  }

  /** @return a copy with {@code rows} recorded (replacing what it held of their versions) */
  Manifest with(java.util.Collection<VersionRow> rows) {
    // the inner maps are never changed once built: those of untouched keys are shared, not copied
    TreeMap<String, TreeMap<Integer, Entry>> m = new TreeMap<>(entries);
    java.util.Set<String> copied = new java.util.HashSet<>();
    for (VersionRow row : rows) {
      TreeMap<Integer, Entry> vs = m.get(row.name());
      if (copied.add(row.name())) {
        vs = vs == null ? new TreeMap<>() : new TreeMap<>(vs);
        m.put(row.name(), vs);
      }
      vs.put(row.version(), new Entry(row.state(), row.digest()));
    }
    return new Manifest(m);
  }

  /** @return every recorded version, by name */
  Map<String, TreeMap<Integer, Entry>> all() {
    return Collections.unmodifiableMap(entries);
  }
}

package dev.clavis.hd;

import dev.clavis.engine.hd.Bip32Path;

/**
 * Where a key sits, for {@code toString()} and {@code getPath()}: the parent's path (shared, not
 * copied) and the last step, joined only when asked for, so deriving many children builds no
 * strings.
 */
final class KeyPath {

  /** The path of a master key, or of a key whose ancestry is unknown (prefix null). */
  private final KeyPath parent;
  private final int step;
  private final boolean known;
  private final int depth;

  private KeyPath(KeyPath parent, int step, boolean known, int depth) {
    this.parent = parent;
    this.step = step;
    this.known = known;
    this.depth = depth;
  }

  static KeyPath master() {
    return new KeyPath(null, 0, true, 0);
  }

  /** A key parsed from its serialization: the path from the master is unknown. */
  static KeyPath unknown(int depth) {
    return new KeyPath(null, 0, false, depth);
  }

  KeyPath child(int index) {
    return new KeyPath(this, index, known, depth + 1);
  }

  /** True when the full path from the master key is known. */
  boolean isKnown() {
    return known;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    append(b);
    if (!known) {
      b.append(" (depth ").append(depth).append(')');
    }
    return b.toString();
  }

  private void append(StringBuilder b) {
    if (parent == null) {
      b.append(known ? "m" : "…");
      return;
    }
    parent.append(b);
    b.append('/').append(Bip32Path.step(step));
  }
}

package dev.clavis.jdbc;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The checks that bind the version rows to the head: each row's MAC, its digest against the
 * manifest, and the set of rows against the manifest's set. Each failure is a {@link
 * StoreDamagedException} naming the keyring, the key and the version and saying what was done to
 * the row where that can be told (a state edited, wrapped keys swapped, a row deleted, added or
 * put back from an older copy).
 */
final class RowChecks {

  static final String COLUMNS = "name, version, state, algorithm, exportable, generation, wrapped, row_mac";

  private final DbKeys keys;
  private final UUID id;
  private final String where;

  RowChecks(DbKeys keys, UUID id, String where) {
    this.keys = keys;
    this.id = id;
    this.where = where;
  }

  static VersionRow row(ResultSet r) throws SQLException {
    return new VersionRow(r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getBoolean(5), r.getLong(6),
        r.getBytes(7), r.getBytes(8));
  }

  /** @return the row of {@code ref}, or null */
  VersionRow select(Connection c, KeyRef ref) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
        + " FROM clavis_key_version WHERE keyring_id = ? AND name = ? AND version = ?")) {
      ps.setObject(1, id);
      ps.setString(2, ref.name());
      ps.setInt(3, ref.version().getAsInt());
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? row(r) : null;
      }
    }
  }

  /**
   * Checks one row read for its material (or before it is rewritten) against the head.
   *
   * @param row the row, or null if there is none
   * @param recorded what the head's manifest recorded of it, or null
   * @param generation the head's generation, for messages
   * @throws StoreDamagedException if they do not match
   */
  void check(Connection c, KeyRef ref, VersionRow row, Manifest.Entry recorded, long generation) throws SQLException {
    if (row == null && recorded == null) {
      return;
    }
    if (row == null) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": key " + ref.name() + " version "
          + ref.version().getAsInt() + " is recorded in the head (generation " + generation + ") but its row is"
          + " missing: the row was deleted (the database was not changed)");
    }
    if (recorded == null) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": the row of key " + ref.name() + " version "
          + ref.version().getAsInt() + " is not recorded in the head (generation " + generation + "): it was inserted"
          + " or copied from another keyring (the database was not changed)");
    }
    if (!row.macValid(keys, id)) {
      throw macFailure(c, ref, row);
    }
    if (!MessageDigest.isEqual(row.digest(), recorded.digest())) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": the row of key " + ref.name() + " version "
          + ref.version().getAsInt() + " (state " + row.state() + ", written at generation " + row.generation()
          + ") is not the one the head (generation " + generation + ") recorded, in state " + recorded.state()
          + ": an older copy of the row was put back (replayed" + (KeyState.DESTROYED.name().equals(recorded.state())
          ? ": a destroyed version brought back" : "") + ") (the database was not changed)");
    }
  }

  /** Says what was done to a row whose MAC fails, where that can be told. */
  private StoreDamagedException macFailure(Connection c, KeyRef ref, VersionRow row) throws SQLException {
    String what = where + ": the row of key " + ref.name() + " version " + ref.version().getAsInt();
    for (KeyState s : KeyState.values()) {
      if (!s.name().equals(row.state()) && row.macValidWith(keys, id, s.name(), row.wrapped())) {
        return new StoreDamagedException(Kind.TAMPERED, what + " fails its MAC: its state column was edited from "
            + s + " to " + row.state() + " (the database was not changed)");
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT name, version, wrapped FROM clavis_key_version"
        + " WHERE keyring_id = ? AND wrapped IS NOT NULL AND NOT (name = ? AND version = ?)")) {
      ps.setObject(1, id);
      ps.setString(2, ref.name());
      ps.setInt(3, ref.version().getAsInt());
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          if (row.macValidWith(keys, id, row.state(), r.getBytes(3))) {
            return new StoreDamagedException(Kind.TAMPERED, what + " fails its MAC: its wrapped key was swapped with"
                + " the one of " + r.getString(1) + " version " + r.getInt(2) + " (the database was not changed)");
          }
        }
      }
    }
    return new StoreDamagedException(Kind.TAMPERED, what + " fails its MAC under this keyring's key: its columns were"
        + " edited, or the row was copied from another keyring (the database was not changed)");
  }

  /**
   * The open-time check of the whole set: every row recorded, no row missing or added, each
   * state and MAC digest as recorded (the wrapped material is checked when it is first used).
   * The set is read without the wrapped material (about half the bytes at 10,000 keys); a row
   * that fails is read again whole, from the same snapshot (the caller's), for the checks that
   * say what was done to it.
   */
  void checkIndex(Connection c, Manifest m, long generation) throws SQLException {
    Set<KeyRef> seen = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, version, state, row_mac"
        + " FROM clavis_key_version WHERE keyring_id = ?")) {
      ps.setObject(1, id);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          KeyRef ref = KeyRef.of(r.getString(1), r.getInt(2));
          seen.add(ref);
          Manifest.Entry e = m.get(ref);
          boolean stateDiffers = e != null && !e.state().equals(r.getString(3));
          boolean digestDiffers = e == null || !MessageDigest.isEqual(e.digest(), VersionRow.digestOf(r.getBytes(4)));
          if (!stateDiffers && !digestDiffers) {
            continue;
          }
          VersionRow row = select(c, ref);
          if (stateDiffers && row != null && !row.macValid(keys, id)) {
            throw macFailure(c, ref, row);
          }
          if (digestDiffers) {
            check(c, ref, row, e, generation);
          }
        }
      }
    }
    List<KeyRef> missing = new ArrayList<>();
    m.all().forEach((name, vs) -> vs.keySet().forEach(v -> {
      KeyRef ref = KeyRef.of(name, v);
      if (!seen.contains(ref)) {
        missing.add(ref);
      }
    }));
    if (!missing.isEmpty()) {
      check(c, missing.get(0), null, m.get(missing.get(0)), generation);
    }
  }
}

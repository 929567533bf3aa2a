package dev.clavis.keyring.engine;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's persisted metadata of one named key: its policy, its versions oldest first, the
 * primary version number (0 for none) and whether the whole key was scheduled for deletion
 * (which takes it out of the listing at once). Immutable.
 */
record KeyRecord(String name, KeyAlgorithm algorithm, KeyPolicy policy, List<VersionRecord> versions, int primary,
    boolean deleted) {

  KeyRecord {
    versions = List.copyOf(versions);
  }

  VersionRecord version(int v) {
    // versions are numbered 1..n without gaps, oldest first
    return v >= 1 && v <= versions.size() ? versions.get(v - 1) : null;
  }

  VersionRecord primaryRecord() {
    return primary == 0 ? null : version(primary);
  }

  dev.clavis.keyring.KeyState latestState() {
    return versions.get(versions.size() - 1).state();
  }

  int nextVersion() {
    return versions.size() + 1;
  }

  KeyRecord withVersion(VersionRecord vr) {
    List<VersionRecord> l = new ArrayList<>(versions);
    if (vr.version() == l.size() + 1) {
      l.add(vr);
    } else {
      l.set(vr.version() - 1, vr);
    }
    return new KeyRecord(name, algorithm, policy, l, primary, deleted);
  }

  KeyRecord withPrimary(int p) {
    return new KeyRecord(name, algorithm, policy, versions, p, deleted);
  }

  KeyRecord withDeleted(boolean d) {
    return new KeyRecord(name, algorithm, policy, versions, primary, d);
  }

  KeyRecord withPolicy(KeyPolicy p) {
    return new KeyRecord(name, algorithm, p, versions, primary, deleted);
  }
}

package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's persisted metadata of one named key: its policy, its versions oldest first, the
 * primary version number (0 for none), whether the whole key was scheduled for deletion
 * (which takes it out of the listing at once), and its operators' metadata. Immutable; build with {@link #builder()} or copy with
 * {@link #toBuilder()}.
 */
record KeyRecord(String name, KeyAlgorithm algorithm, KeyPolicy policy, List<VersionRecord> versions, int primary,
    boolean deleted, KeyMetadata metadata) {

  KeyRecord {
    versions = List.copyOf(versions);
    metadata = metadata == null ? KeyMetadata.empty() : metadata;
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

  /** @return a builder with no fields set (no versions, primary 0, not deleted) */
  static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding this record's fields, to copy it with some changed */
  Builder toBuilder() {
    return new Builder(this);
  }

  /** @return a copy with {@code vr} added as the next version, or replacing the version of its number */
  KeyRecord withVersion(VersionRecord vr) {
    List<VersionRecord> l = new ArrayList<>(versions);
    if (vr.version() == l.size() + 1) {
      l.add(vr);
    } else {
      l.set(vr.version() - 1, vr);
    }
    return toBuilder().versions(l).build();
  }

  KeyRecord withPrimary(int p) {
    return toBuilder().primary(p).build();
  }

  KeyRecord withDeleted(boolean d) {
    return toBuilder().deleted(d).build();
  }

  KeyRecord withPolicy(KeyPolicy p) {
    return toBuilder().policy(p).build();
  }

  KeyRecord withMetadata(KeyMetadata m) {
    return toBuilder().metadata(m).build();
  }

  /** Builds a {@link KeyRecord}. */
  static final class Builder {
    private String name;
    private KeyAlgorithm algorithm;
    private KeyPolicy policy;
    private List<VersionRecord> versions = List.of();
    private int primary;
    private boolean deleted;
    private KeyMetadata metadata = KeyMetadata.empty();

    private Builder() {}

    private Builder(KeyRecord r) {
      name = r.name;
      algorithm = r.algorithm;
      policy = r.policy;
      versions = r.versions;
      primary = r.primary;
      deleted = r.deleted;
      metadata = r.metadata;
    }

    Builder name(String n) {
      name = n;
      return this;
    }

    Builder algorithm(KeyAlgorithm a) {
      algorithm = a;
      return this;
    }

    Builder policy(KeyPolicy p) {
      policy = p;
      return this;
    }

    Builder versions(List<VersionRecord> v) {
      versions = v;
      return this;
    }

    Builder primary(int p) {
      primary = p;
      return this;
    }

    Builder deleted(boolean d) {
      deleted = d;
      return this;
    }

    Builder metadata(KeyMetadata m) {
      metadata = m;
      return this;
    }

    /** @return the record (the version list copied) */
    KeyRecord build() {
      return new KeyRecord(name, algorithm, policy, versions, primary, deleted, metadata);
    }
  }
}
